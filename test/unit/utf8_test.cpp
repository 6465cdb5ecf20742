// Unit tests of UTF-8 aware truncation.
#include <gtest/gtest.h>

#include <string>

#include "utf8.hpp"

using namespace credits::core;

TEST(Utf8, CutsOnlyBetweenCharacters) {
    std::string e_acute = "\xC3\xA9";       // 2 bytes
    std::string euro = "\xE2\x82\xAC";      // 3 bytes
    std::string emoji = "\xF0\x9F\x98\x80"; // 4 bytes
    std::string text = "x" + e_acute + euro + emoji;
    EXPECT_EQ(utf8_prefix(text, 100), text.size());
    EXPECT_EQ(utf8_prefix(text, 1), 1u);
    EXPECT_EQ(utf8_prefix(text, 2), 1u); // would split é
    EXPECT_EQ(utf8_prefix(text, 3), 3u);
    EXPECT_EQ(utf8_prefix(text, 4), 3u);
    EXPECT_EQ(utf8_prefix(text, 5), 3u);
    EXPECT_EQ(utf8_prefix(text, 6), 6u);
    for (std::size_t n = 6; n < 10; n++)
        EXPECT_EQ(utf8_prefix(text, n), n < 10 ? 6u : 10u);
    EXPECT_EQ(utf8_prefix(text, 10), 10u);
    EXPECT_EQ(utf8_prefix(text, 0), 0u);
}

TEST(Utf8, CopyIsTerminatedAndWhole) {
    std::string text;
    for (int i = 0; i < 150; i++)
        text += "\xC3\xA9";
    char out[200];
    std::size_t n = utf8_copy(text, out, sizeof out);
    EXPECT_EQ(n, 198u); // 199 bytes of room would split the 100th é
    EXPECT_EQ(out[n], '\0');
    EXPECT_EQ(std::string(out), text.substr(0, 198));
    char none[1];
    EXPECT_EQ(utf8_copy(text, none, 1), 0u);
    EXPECT_EQ(none[0], '\0');
}
