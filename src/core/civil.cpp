// Howard Hinnant's days-from-civil algorithms.
#include "civil.hpp"

#include <algorithm>
#include <stdexcept>

namespace credits::core {

CivilDate civil_from_days(int64_t z) {
    z += 719468;
    const int64_t era = floor_div(z, 146097);
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    CivilDate d;
    d.day = doy - (153 * mp + 2) / 5 + 1;
    d.month = mp < 10 ? mp + 3 : mp - 9;
    d.year = int64_t(yoe) + era * 400 + (d.month <= 2);
    return d;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = floor_div(y, 400);
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

namespace {

bool is_leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int64_t y, unsigned m) {
    static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

[[noreturn]] void out_of_range() {
    throw std::overflow_error("timestamp out of range");
}

} // namespace

int64_t add_period(int64_t t, const Period& p) {
    int64_t day = floor_div(t, kMicrosPerDay);
    int64_t time_of_day = t - day * kMicrosPerDay;
    if (p.months != 0) {
        CivilDate d = civil_from_days(day + kPgEpochUnixSeconds / 86400);
        int64_t month0 = d.year * 12 + (d.month - 1) + p.months;
        int64_t year = floor_div(month0, 12);
        unsigned month = unsigned(month0 - year * 12) + 1;
        unsigned dom = std::min(d.day, days_in_month(year, month));
        day = days_from_civil(year, month, dom) - kPgEpochUnixSeconds / 86400;
    }
    day += p.days;
    int64_t out;
    if (__builtin_mul_overflow(day, kMicrosPerDay, &out) ||
        __builtin_add_overflow(out, time_of_day, &out) ||
        __builtin_add_overflow(out, p.micros, &out) || out >= kTimestampEnd)
        out_of_range();
    return out;
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
