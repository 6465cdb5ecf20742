// Canonical entry encoding, timestamps in UTC, and the chained hash.
#include "journal.hpp"

#include "civil.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace credits::core {

std::size_t format_timestamp_utc(int64_t pg_micros, char* out) {
    int64_t unix_seconds = floor_div(pg_micros, 1000000) + kPgEpochUnixSeconds;
    int64_t micros = pg_micros - floor_div(pg_micros, 1000000) * 1000000;
    int64_t days = floor_div(unix_seconds, 86400);
    int64_t second_of_day = unix_seconds - days * 86400;
    CivilDate date = civil_from_days(days);
    int n = std::snprintf(out, 32, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d.%06dZ", date.year,
                          date.month, date.day, int(second_of_day / 3600),
                          int(second_of_day / 60 % 60), int(second_of_day % 60), int(micros));
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
