// The `credit` amount: a signed 128-bit count of nano-credits (9 fractional
// digits), with text conversion and arithmetic that never wraps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rounding.hpp"

namespace credits::core {

using int128 = __int128;
using uint128 = unsigned __int128;

// Fractional digits carried by every amount.
inline constexpr int kScale = 9;
// Raw units (nano-credits) in one credit.
inline constexpr int64_t kUnit = 1000000000;
// The range is symmetric, so negation and abs() never overflow.
inline constexpr int128 kMaxRaw = int128((uint128(1) << 127) - 1);
inline constexpr int128 kMinRaw = -kMaxRaw;
// Enough for a sign, 30 integer digits, a point, 9 fractional digits and NUL.
inline constexpr std::size_t kMaxTextLength = 48;

// Parses text into raw units; more than 9 fractional digits is an error (22P02).
int128 parse_amount(std::string_view text);

// Parses text into raw units, rounding extra fractional digits with `mode`.
int128 parse_amount_rounded(std::string_view text, RoundMode mode);

// Parses an integer count of raw units (the inverse of format_raw_integer).
int128 parse_raw_integer(std::string_view text);

// Writes the canonical text of `raw` (no exponent, no trailing fractional
// zeros) into `out`, which holds kMaxTextLength bytes; returns the length.
std::size_t format_amount(int128 raw, char* out);

// Writes `raw` as a plain integer (no decimal point); returns the length.
std::size_t format_raw_integer(int128 raw, char* out);

// Throws 22003 unless `raw` is inside the credit range.
void check_range(int128 raw);

int128 add(int128 a, int128 b);
int128 subtract(int128 a, int128 b);
// Multiplies by an integer; the result is exact or an error.
int128 multiply(int128 a, int64_t n);
// Divides by an integer, rounding the 9th fractional digit with `mode`.
int128 divide(int128 a, int64_t n, RoundMode mode);

// 10^(9 - digits): the raw units of one step at `digits` fractional digits;
// 22023 unless digits is 0..9.
int128 digits_step(int digits);

// Rounds to `digits` fractional digits (0..9) with `mode`.
int128 round_to_digits(int128 raw, int digits, RoundMode mode);

// Converts a double by its shortest decimal form (the digits float8out
// prints): exact, or 22P02 when that form needs more than 9 fractional digits.
int128 from_double(double value);
// The double nearest to the amount (ties to even).
double to_double(int128 raw);

// Bumps a truncated quotient one unit away from zero when `mode` says so.
int128 apply_rounding(int128 truncated, Dropped dropped, bool negative, RoundMode mode);

// Three-way comparison.
inline int compare(int128 a, int128 b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

} // namespace credits::core
