// Unused fractions per basis, and exact prorated amounts.
#include "proration.hpp"

#include <algorithm>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "civil.hpp"
#include "error.hpp"
#include "wide.hpp"

namespace credits::core {

namespace {

using Big = boost::multiprecision::cpp_int;

[[noreturn]] void invalid(const std::string& message, const std::string& detail = {}) {
    throw Error(sqlstate::kInvalidParameter, message, detail);
}

// 10^(9 - digits): the raw units of one step at `digits`.
Big step_for(int digits) {
    return to_wide<Big>(digits_step(digits));
}

// value_num / value_den (den > 0) rounded to a multiple of step.
int128 round_rational(const Big& num, const Big& den, const Big& step, RoundMode mode) {
    return to_amount(divide_rounded<Big>(num, den * step, mode) * step);
}

} // namespace

Basis parse_basis(std::string_view name) {
    if (name == "second")
        return Basis::Second;
    if (name == "day")
        return Basis::Day;
    if (name == "actual_360")
        return Basis::Actual360;
    if (name == "30_360")
        return Basis::Thirty360;
    invalid("unknown proration basis \"" + std::string(name) + "\"",
            "Valid bases are second, day, actual_360 and 30_360.");
}

int64_t days_360(int64_t from_day, int64_t to_day) {
    CivilDate a = civil_from_days(from_day), b = civil_from_days(to_day);
    return 360 * (b.year - a.year) + 30 * (int64_t(b.month) - int64_t(a.month)) +
           (int64_t(std::min(b.day, 30u)) - int64_t(std::min(a.day, 30u)));
}

Fraction unused_fraction(Basis basis, Instant start, Instant end, Instant change) {
    if (end.utc <= start.utc)
        invalid("period_end must be later than period_start");
    if (change.utc < start.utc || change.utc > end.utc)
        invalid("change_at must be within the period (period_start <= change_at <= period_end)");
    // The boundaries are exact for every basis: a change at the start leaves
    // the whole period unused (even where actual/360 counts a short month as
    // less than 30 days), a change at the end leaves nothing.
    if (change.utc == end.utc)
        return {0, 1};
    if (change.utc == start.utc)
        return {1, 1};
    if (basis == Basis::Second)
        return {end.utc - change.utc, end.utc - start.utc};
    int64_t first = pg_day(start.local), last = pg_day(end.local), at = pg_day(change.local);
    int64_t num = 0, den = 0;
    switch (basis) {
    case Basis::Day:
        num = last - at;
        den = last - first;
        break;
    case Basis::Actual360:
        num = last - at;
        den = days_360(first, last);
        break;
    case Basis::Thirty360:
        num = days_360(at, last);
        den = days_360(first, last);
        break;
    case Basis::Second:
        break;
    }
    if (den <= 0)
        invalid("the period is shorter than one day, which this basis cannot count",
                "Use basis second for periods shorter than a day.");
    return {std::clamp<int64_t>(num, 0, den), den};
}

int128 prorate(int128 amount, Fraction unused, int digits, RoundMode mode) {
    Big step = step_for(digits);
    return round_rational(to_wide<Big>(amount) * unused.num, Big(unused.den), step, mode);
}

int128 cumulative_net(const std::vector<PlanChange>& chain, int digits, RoundMode mode) {
    Big step = step_for(digits);
    Big num = 0, den = 1; // the exact sum so far, num/den
    for (const PlanChange& c : chain) {
        Big line = (to_wide<Big>(c.new_amount) - to_wide<Big>(c.old_amount)) * c.unused.num;
        num = num * c.unused.den + line * den;
        den *= c.unused.den;
    }
    return round_rational(num, den, step, mode);
}

int128 plan_change_line(const std::vector<PlanChange>& chain,
                        const std::vector<int128>& earlier_lines, int digits, RoundMode mode) {
    Big issued = 0, paid = to_wide<Big>(chain.front().old_amount), credited = 0;
    for (int128 line : earlier_lines) {
        issued += to_wide<Big>(line);
        if (line > 0)
            paid += to_wide<Big>(line);
        else
            credited -= to_wide<Big>(line);
    }
    Big line = to_wide<Big>(cumulative_net(chain, digits, mode)) - issued;
    if (line > 0)
        paid += line;
    if (line < 0 && credited - line > paid)
        line = credited < paid ? Big(credited - paid) : Big(0);
    return to_amount(line);
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
