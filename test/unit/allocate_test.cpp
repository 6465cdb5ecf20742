// Unit tests of largest-remainder allocation.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "allocate.hpp"
#include "error.hpp"

using namespace credits::core;

namespace {

std::vector<std::string> split(int128 total, std::vector<std::string_view> w, int digits) {
    std::vector<int128> parts(w.size());
    allocate(total, w.data(), w.size(), digits, parts.data());
    std::vector<std::string> out;
    for (int128 p : parts) {
        char buf[kMaxTextLength];
        format_amount(p, buf);
        out.push_back(buf);
    }
    return out;
}

std::string sqlstate_of(int128 total, std::vector<std::string_view> w, int digits) {
    try {
        split(total, w, digits);
    } catch (const Error& e) {
        return e.sqlstate();
    }
    return "";
}

} // namespace

TEST(Allocate, ThreeWaysTiesToEarlier) {
    using V = std::vector<std::string>;
    EXPECT_EQ(split(parse_amount("100"), {"1", "1", "1"}, 2), (V{"33.34", "33.33", "33.33"}));
    EXPECT_EQ(split(parse_amount("-100"), {"1", "1", "1"}, 2), (V{"-33.34", "-33.33", "-33.33"}));
    EXPECT_EQ(split(parse_amount("0.05"), {"1", "1"}, 2), (V{"0.03", "0.02"}));
    EXPECT_EQ(split(parse_amount("10"), {"0.7", "0.2", "0.1"}, 0), (V{"7", "2", "1"}));
    EXPECT_EQ(split(parse_amount("1"), {"0", "2.5", "0.5"}, 2), (V{"0", "0.83", "0.17"}));
    EXPECT_EQ(split(parse_amount("0"), {"1", "2"}, 2), (V{"0", "0"}));
}

TEST(Allocate, Errors) {
    EXPECT_EQ(sqlstate_of(parse_amount("1"), {}, 2), "22023");
    EXPECT_EQ(sqlstate_of(parse_amount("1"), {"-1", "2"}, 2), "22023");
    EXPECT_EQ(sqlstate_of(parse_amount("1"), {"0", "0"}, 2), "22023");
    EXPECT_EQ(sqlstate_of(parse_amount("1"), {"NaN"}, 2), "22023");
    EXPECT_EQ(sqlstate_of(parse_amount("1"), {"1"}, 10), "22023");
    EXPECT_EQ(sqlstate_of(parse_amount("1.005"), {"1"}, 2), "22023");
    EXPECT_EQ(sqlstate_of(parse_amount("1"), {"-0.0", "1"}, 2), "");
}

TEST(Allocate, RandomPartsSumToTotal) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 2000; round++) {
        int n = 1 + int(rng() % 8);
        std::vector<std::string> ws;
        for (int i = 0; i < n; i++)
            ws.push_back(std::to_string(rng() % 1000) + "." + std::to_string(rng() % 100));
        ws[0] = "1";
        std::vector<std::string_view> views(ws.begin(), ws.end());
        int128 total = int128(int64_t(rng() % 100000000) - 50000000) * 10000000; // 2 digits
        std::vector<int128> parts(n);
        allocate(total, views.data(), n, 2, parts.data());
        int128 sum = 0;
        for (int128 p : parts) {
            sum += p;
            ASSERT_EQ(p % 10000000, 0);
        }
        ASSERT_EQ(sum, total);
    }
}
