// Proration: the unused part of a billing period under four time bases, as an
// exact fraction, and amounts prorated and rounded by the caller's rules.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "amount.hpp"

namespace credits::core {

// second: exact elapsed time between instants (Stripe).
// day: whole calendar days in the caller's time zone (Lago, Chargebee).
// actual_360: actual days over a 30-day-month count of the period (Zuora).
// 30_360: every month counts as 30 days, in numerator and denominator (Zuora).
enum class Basis { Second, Day, Actual360, Thirty360 };

// Parses a basis name; 22023 for anything else.
Basis parse_basis(std::string_view name);

// One instant seen two ways: absolute, and as the wall clock in the time zone
// the caller chose (both PostgreSQL timestamps, microseconds since 2000-01-01).
struct Instant {
    int64_t utc;
    int64_t local;
};

// An exact fraction num/den with 0 <= num <= den, den > 0.
struct Fraction {
    int64_t num;
    int64_t den;
};

// The unused part of [start, end) when the change happens at `change`.
// 22023 when end <= start, change is outside the period, or a day-based
// basis finds the period shorter than a day.
Fraction unused_fraction(Basis basis, Instant start, Instant end, Instant change);

// The 30/360 day count from one date to another (days since 1970-01-01):
// 360 per year, 30 per month, day-of-month capped at 30.
int64_t days_360(int64_t from_day, int64_t to_day);

// amount x fraction, rounded to `digits` (0..9) with `mode`.
int128 prorate(int128 amount, Fraction unused, int digits, RoundMode mode);

// One plan change in a billing period: the amounts before and after, and
// the unused fraction of the period at the change.
struct PlanChange {
    int128 old_amount;
    int128 new_amount;
    Fraction unused;
};

// The exact net of several changes of one period, summed, then rounded once:
// sum((new - old) x unused), to `digits` with `mode`. A chain of changes
// issues, for each change, this total minus what earlier changes issued, so
// rounding never drifts however many changes there are. Negative: the
// customer is owed credit.
int128 cumulative_net(const std::vector<PlanChange>& chain, int digits, RoundMode mode);

// The line a new change adds to a period's chain (`chain` ends with it;
// `earlier_lines` are what the earlier changes issued): the rounded
// cumulative net minus what was issued, except that credits never add up to
// more than was paid for the period (the first plan's amount plus every
// positive line, this one included). Negative: credit the customer is owed.
int128 plan_change_line(const std::vector<PlanChange>& chain,
                        const std::vector<int128>& earlier_lines, int digits, RoundMode mode);

} // namespace credits::core
