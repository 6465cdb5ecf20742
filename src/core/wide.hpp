// Amounts in and out of Boost.Multiprecision integers, for computations
// whose intermediates need more than 128 bits.
#pragma once

#include <string>

#include "amount.hpp"
#include "error.hpp"

namespace credits::core {

// An amount as a wide integer.
template <class Wide> Wide to_wide(int128 v) {
    uint128 m = v < 0 ? uint128(-v) : uint128(v); // the range is symmetric: -v never overflows
    Wide w = Wide(uint64_t(m >> 64));
    w <<= 64;
    w += uint64_t(m);
    return v < 0 ? Wide(-w) : w;
}

// A wide integer as an amount; 22003 ("credit out of range", with `detail`)
// when it is outside the credit range.
template <class Wide> int128 to_amount(const Wide& v, const std::string& detail = {}) {
    static const Wide limit = to_wide<Wide>(kMaxRaw);
    if (v > limit || v < -limit)
        throw Error(sqlstate::kOutOfRange, "credit out of range", detail);
    Wide m = v < 0 ? Wide(-v) : v;
    uint128 u =
        uint128(static_cast<uint64_t>(m >> 64)) << 64 | static_cast<uint64_t>(m & UINT64_MAX);
    return v < 0 ? -int128(u) : int128(u);
}

// 10^n as a wide integer.
template <class Wide> Wide pow10(int n) {
    Wide p = 1;
    for (int k = 0; k < n; k++)
        p *= 10;
    return p;
}

} // namespace credits::core
