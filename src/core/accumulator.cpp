// Final results of the wide accumulator.
#include "accumulator.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include "error.hpp"
#include "wide.hpp"

namespace credits::core {

namespace {

using Wide = boost::multiprecision::int256_t;

// The exact total as a 256-bit integer.
Wide exact_total(const Accumulator& acc) {
    Wide total = Wide(acc.high);
    total <<= 128;
    Wide low = Wide(acc.low_bits[1]);
    low <<= 64;
    low += acc.low_bits[0];
    return total + low;
}

// Narrows to an amount; 22003 outside the credit range.
int128 narrow(const Wide& value) {
    return to_amount(value, "The aggregate's result does not fit in a credit.");
}

} // namespace

int128 Accumulator::total() const {
    int128 value = int128(low());
    bool negative_fits = high == -1 && value < 0 && value >= kMinRaw;
    bool positive_fits = high == 0 && value >= 0;
    if (negative_fits || positive_fits)
        return value;
    return narrow(exact_total(*this));
}

int128 Accumulator::mean() const {
    Wide q = divide_rounded<Wide>(exact_total(*this), Wide(count), RoundMode::HalfEven);
    return narrow(q);
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
