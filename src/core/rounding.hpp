// Rounding modes and rounded integer division, shared by every computation
// that has to drop digits.
#pragma once

#include <string_view>

namespace credits::core {

enum class RoundMode { HalfUp, HalfEven, HalfDown, Up, Down, Ceiling, Floor };

// Parses a mode name (half_up, half_even, half_down, up, down, ceiling, floor);
// throws 22023 on anything else.
RoundMode parse_round_mode(std::string_view name);

// The name parse_round_mode accepts for a mode.
const char* round_mode_name(RoundMode mode);

// How the dropped part of a value compares with half a unit.
enum class Dropped { Zero, BelowHalf, Half, AboveHalf };

// Whether a truncated magnitude must be bumped by one unit away from zero.
// `odd` is the parity of the truncated magnitude, `negative` the value's sign.
bool round_away(RoundMode mode, Dropped dropped, bool negative, bool odd);

// n / d rounded with `mode`, for any signed integer type (d != 0).
template <class Int> Int divide_rounded(Int n, Int d, RoundMode mode) {
    if (d < 0) {
        n = -n;
        d = -d;
    }
    Int q = n / d;
    Int r = n % d;
    if (r == 0)
        return q;
    bool negative = n < 0;
    if (negative)
        r = -r;
    Int rest = d - r;
    Dropped dropped = r < rest    ? Dropped::BelowHalf
                      : r == rest ? Dropped::Half
                                  : Dropped::AboveHalf;
    bool odd = (q % 2) != 0;
    if (round_away(mode, dropped, negative, odd))
        q += negative ? Int(-1) : Int(1);
    return q;
}

} // namespace credits::core
