// Civil (proleptic Gregorian) dates from day counts and back.
#pragma once

#include <cstdint>

namespace credits::core {

// Seconds between 1970-01-01 and 2000-01-01, PostgreSQL's epoch.
inline constexpr int64_t kPgEpochUnixSeconds = 946684800;
inline constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

struct CivilDate {
    int64_t year;
    unsigned month; // 1..12
    unsigned day;   // 1..31
};

// Floor division for possibly negative numerators.
inline int64_t floor_div(int64_t a, int64_t b) {
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// The date of a day count since 1970-01-01.
CivilDate civil_from_days(int64_t days);
// The day count since 1970-01-01 of a date.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
// An interval as PostgreSQL keeps it: months, days and microseconds.
struct Period {
    int32_t months = 0;
    int32_t days = 0;
    int64_t micros = 0;
};

// PostgreSQL's last representable timestamp (294276-12-31 23:59:59.999999)
// plus one microsecond: results at or after it overflow.
inline constexpr int64_t kTimestampEnd = 9223371331200000000LL;

// t plus p, counted in UTC whatever the session's time zone: the months
// first (the day clamped to the month's last, as PostgreSQL does), then
// the days, then the microseconds. Throws std::overflow_error outside
// PostgreSQL's timestamp range.
int64_t add_period(int64_t t, const Period& p);

// The day count since 1970-01-01 of a PostgreSQL timestamp's date.
inline int64_t pg_day(int64_t pg_micros) {
    return floor_div(pg_micros, kMicrosPerDay) + kPgEpochUnixSeconds / 86400;
}

} // namespace credits::core
