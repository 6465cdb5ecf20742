// Canonical entry encoding, timestamps in UTC, and the chained hash.
#include "journal.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace credits::core {

namespace {

// Seconds between 1970-01-01 and 2000-01-01, PostgreSQL's epoch.
constexpr int64_t kPgEpochUnixSeconds = 946684800;

// Floor division for possibly negative numerators.
int64_t floor_div(int64_t a, int64_t b) {
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// The civil date of a day count since 1970-01-01 (proleptic Gregorian).
void civil_from_days(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
    z += 719468;
    const int64_t era = floor_div(z, 146097);
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = int64_t(yoe) + era * 400 + (month <= 2);
}

} // namespace

std::size_t format_timestamp_utc(int64_t pg_micros, char* out) {
    int64_t unix_seconds = floor_div(pg_micros, 1000000) + kPgEpochUnixSeconds;
    int64_t micros = pg_micros - floor_div(pg_micros, 1000000) * 1000000;
    int64_t days = floor_div(unix_seconds, 86400);
    int64_t second_of_day = unix_seconds - days * 86400;
    int64_t year;
    unsigned month, day;
    civil_from_days(days, year, month, day);
    int n = std::snprintf(out, 32, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d.%06dZ", year, month, day,
                          int(second_of_day / 3600), int(second_of_day / 60 % 60),
                          int(second_of_day % 60), int(micros));
    return std::size_t(n);
}

std::size_t encode_entry(const EntryFields& e, char* out) {
    char delta[kMaxTextLength], remaining[kMaxTextLength], balance[kMaxTextLength];
    char effective[32], recorded[32], grant[24] = "";
    format_amount(e.delta, delta);
    format_amount(e.grant_remaining_after, remaining);
    format_amount(e.account_balance_after, balance);
    format_timestamp_utc(e.effective_at, effective);
    format_timestamp_utc(e.recorded_at, recorded);
    if (e.has_grant)
        std::snprintf(grant, sizeof grant, "%" PRId64, e.grant);
    int n = std::snprintf(out, kMaxEncodingLength,
                          "credits-entry-v1|%" PRId64 "|%" PRId64 "|%" PRId64
                          "|%s|%.64s|%s|%s|%s|%" PRId64 "|%s|%s",
                          e.id, e.operation, e.account, grant, e.type, delta, remaining, balance,
                          e.seq, effective, recorded);
    return std::size_t(n);
}

void chain_hash(const uint8_t prev_hash[kHashSize], const char* encoding, std::size_t length,
                uint8_t hash[kHashSize]) {
    Sha256 sha;
    sha.update(prev_hash, kHashSize);
    sha.update(encoding, length);
    sha.finish(hash);
}

} // namespace credits::core
