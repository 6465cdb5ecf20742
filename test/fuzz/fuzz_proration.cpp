// libFuzzer target: proration against exact rational oracles. The unused
// fraction on basis second is (end - change) / (end - start); day bases stay
// within 0..1 and never grow as the change moves later; prorate() is
// amount x fraction rounded by each mode's definition, computed here with
// plain integer division; a chain's lines sum to its rounded total.
#include <cstdlib>
#include <vector>

#include "error.hpp"
#include "fuzz_input.hpp"
#include "proration.hpp"

using namespace credits::core;

namespace {

constexpr int64_t kDay = 86400000000;

// n / d (d > 0) rounded to an integer by `mode`, from the modes' definitions.
int128 round_quotient(int128 n, int128 d, RoundMode mode) {
    int128 q = n / d, r = n % d; // truncated toward zero
    if (r == 0)
        return q;
    int sign = n < 0 ? -1 : 1;
    int128 twice = (r < 0 ? -r : r) * 2;
    bool tie = twice == d, above_half = twice > d;
    bool away = false;
    switch (mode) {
    case RoundMode::Up:
        away = true;
        break;
    case RoundMode::Down:
        away = false;
        break;
    case RoundMode::Ceiling:
        away = sign > 0;
        break;
    case RoundMode::Floor:
        away = sign < 0;
        break;
    case RoundMode::HalfUp:
        away = above_half || tie;
        break;
    case RoundMode::HalfDown:
        away = above_half;
        break;
    case RoundMode::HalfEven:
        away = above_half || (tie && q % 2 != 0);
        break;
    }
    return away ? q + sign : q;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    credits::fuzz::Input in(data, size);
    Basis basis = Basis(in.below(4));
    int64_t start = int64_t(in.below(1u << 20)) * 1000000 - (int64_t(1) << 38);
    int64_t length = 1 + int64_t(in.below(uint64_t(400) * kDay));
    int64_t end = start + length;
    int64_t change = start + int64_t(in.below(uint64_t(length) + 1));
    int64_t offset = int64_t(in.below(27)) * 3600000000 - 12 * 3600000000; // a fixed zone
    auto at = [&](int64_t utc) { return Instant{utc, utc + offset}; };

    Fraction f;
    try {
        f = unused_fraction(basis, at(start), at(end), at(change));
    } catch (const Error&) {
        if (basis == Basis::Second) // second counts any non-empty period
            std::abort();
        return 0;
    }
    if (f.den <= 0 || f.num < 0 || f.num > f.den)
        std::abort();
    if (basis == Basis::Second && int128(f.num) * length != int128(end - change) * f.den)
        std::abort();
    if (change == start && f.num != f.den)
        std::abort();
    if (change == end && f.num != 0)
        std::abort();
    if (change < end) { // later changes never leave more unused
        int64_t later = change + 1 + int64_t(in.below(uint64_t(end - change)));
        try { // a day basis may refuse a short period once off its boundaries
            Fraction g = unused_fraction(basis, at(start), at(end), at(later));
            if (int128(g.num) * f.den > int128(f.num) * g.den)
                std::abort();
        } catch (const Error&) {
            if (basis == Basis::Second)
                std::abort();
        }
    }

    int128 amount = int128(int64_t(in.below(uint64_t(1) << 62))) * (in.byte() & 1 ? -1 : 1);
    int digits = int(in.below(10));
    RoundMode mode = RoundMode(in.below(7));
    int128 step = 1;
    for (int i = digits; i < 9; i++)
        step *= 10;
    int128 expected = round_quotient(amount * f.num, int128(f.den) * step, mode) * step;
    if (prorate(amount, f, digits, mode) != expected)
        std::abort();

    // a chain of two changes: the lines issued add up to the rounded total
    PlanChange first{amount, amount / 2, f};
    PlanChange second{amount / 2, amount / 3, Fraction{f.num / 2, f.den}};
    int128 line1 = cumulative_net({first}, digits, mode);
    int128 total = cumulative_net({first, second}, digits, mode);
    int128 exact_total = round_quotient((amount / 2 - amount) * f.num * 2 +
                                            (amount / 3 - amount / 2) * (f.num / 2) * 2,
                                        int128(f.den) * 2 * step, mode) *
                         step;
    if (total != exact_total ||
        line1 != round_quotient((amount / 2 - amount) * f.num, int128(f.den) * step, mode) * step)
        std::abort();
    return 0;
}
