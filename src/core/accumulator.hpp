// A 192-bit running total of amounts for sum() and avg(): partial sums never
// overflow; only a final result outside the credit range is an error.
#pragma once

#include <cstdint>

#include "amount.hpp"

namespace credits::core {

// Plain data so the SQL layer can keep it in an aggregate's memory context
// and serialize it for parallel workers. Only 64-bit members: PostgreSQL's
// allocations are 8-byte aligned, too little for a 128-bit integer.
struct Accumulator {
    uint64_t low_bits[2] = {0, 0}; // total modulo 2^128, low word first
    int64_t high = 0;              // total divided by 2^128, rounded toward minus infinity
    int64_t count = 0;

    uint128 low() const { return uint128(low_bits[1]) << 64 | low_bits[0]; }
    void set_low(uint128 v) {
        low_bits[0] = uint64_t(v);
        low_bits[1] = uint64_t(v >> 64);
    }
    // Adds one amount.
    void add(int128 value) {
        uint128 before = low();
        uint128 after = before + uint128(value);
        set_low(after);
        high += int64_t(after < before) - int64_t(value < 0);
        count++;
    }
    // Removes an amount added before (moving-window aggregates).
    void remove(int128 value) {
        uint128 before = low();
        uint128 after = before - uint128(value);
        set_low(after);
        high -= int64_t(after > before) - int64_t(value < 0);
        count--;
    }
    // Adds another partial total (parallel aggregation).
    void merge(const Accumulator& other) {
        uint128 before = low();
        uint128 after = before + other.low();
        set_low(after);
        high += other.high + int64_t(after < before);
        count += other.count;
    }
    // The total as an amount; 22003 when it is outside the credit range.
    int128 total() const;
    // The mean rounded half-even at the 9th fractional digit; count must be > 0.
    int128 mean() const;
};

} // namespace credits::core
