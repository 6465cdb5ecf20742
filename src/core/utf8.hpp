// Cutting text without splitting a UTF-8 character, so that a shortened
// message is still valid UTF-8 for every driver.
#pragma once

#include <cstddef>
#include <string_view>

namespace credits::core {

// The length of the longest prefix of `text` that is at most `max_bytes`
// long and does not end inside a multi-byte UTF-8 sequence.
std::size_t utf8_prefix(std::string_view text, std::size_t max_bytes);

// Copies `text` into `out` (room for `size` bytes, NUL included), cut on a
// character boundary; returns the bytes copied.
std::size_t utf8_copy(std::string_view text, char* out, std::size_t size);

} // namespace credits::core
