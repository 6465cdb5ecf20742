// UTF-8 aware truncation.
#include "utf8.hpp"

#include <cstring>

namespace credits::core {

namespace {

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

} // namespace

std::size_t utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return text.size();
    // Step back over continuation bytes to the start of the character that
    // the cut would split; cutting before it keeps only whole characters.
    std::size_t cut = max_bytes;
    while (cut > 0 && is_continuation(static_cast<unsigned char>(text[cut])))
        cut--;
    return cut;
}

std::size_t utf8_copy(std::string_view text, char* out, std::size_t size) {
    if (size == 0)
        return 0;
    std::size_t n = utf8_prefix(text, size - 1);
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
    return n;
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
