// Canonical entry encoding, timestamps in UTC, and the chained hash.
#include "journal.hpp"

#include "civil.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <cstdint>

namespace credits::core {

namespace {
// Encoding 1's tag; encoding 2 repeats its fields under its own tag.
constexpr const char* kTagV1 = "credits-entry-v1";
} // namespace

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
    int n =
        std::snprintf(out, kMaxEncodingLength,
                      "%s|%" PRId64 "|%" PRId64 "|%" PRId64 "|%s|%.64s|%s|%s|%s|%" PRId64 "|%s|%s",
                      kTagV1, e.id, e.operation, e.account, grant, e.type, delta, remaining,
                      balance, e.seq, effective, recorded);
    return std::size_t(n);
}

namespace {

// A text field of encoding v2: "~" for NULL, else "<bytes>:<text>".
void append_text(std::string& out, const std::optional<std::string>& text) {
    out += '|';
    if (!text) {
        out += '~';
        return;
    }
    out += std::to_string(text->size());
    out += ':';
    out += *text;
}

void append_amount(std::string& out, const std::optional<int128>& amount) {
    out += '|';
    if (!amount) {
        out += '~';
        return;
    }
    char text[kMaxTextLength];
    format_amount(*amount, text);
    out += text;
}

} // namespace

std::string timestamp_field(int64_t pg_micros) {
    if (pg_micros == INT64_MAX)
        return "infinity";
    if (pg_micros == INT64_MIN)
        return "-infinity";
    char text[32];
    format_timestamp_utc(pg_micros, text);
    return text;
}

std::string encode_entry_v2(const EntryFields& entry, const OperationFields& operation,
                            const GrantFields* grant) {
    char v1[kMaxEncodingLength];
    std::size_t length = encode_entry(entry, v1);
    std::string out = "credits-entry-v2";
    out.append(v1 + std::strlen(kTagV1), length - std::strlen(kTagV1)); // v1's fields
    out += "|op";
    append_text(out, operation.type);
    append_amount(out, operation.amount);
    append_text(out, operation.idempotency_key);
    append_text(out, operation.reference);
    if (grant != nullptr) {
        out += "|grant";
        append_text(out, grant->kind);
        append_amount(out, grant->amount);
        out += '|' + std::to_string(grant->priority);
        out += '|' + timestamp_field(grant->effective_at);
        out += '|' + (grant->expires_at ? timestamp_field(*grant->expires_at) : std::string("~"));
        append_text(out, grant->cost_basis);
    }
    return out;
}

void entry_hash(int version, const uint8_t prev_hash[kHashSize], const EntryFields& entry,
                const OperationFields& operation, const GrantFields* grant,
                uint8_t hash[kHashSize]) {
    if (version == 1) {
        char encoding[kMaxEncodingLength];
        std::size_t length = encode_entry(entry, encoding);
        chain_hash(prev_hash, encoding, length, hash);
        return;
    }
    std::string encoding = encode_entry_v2(entry, operation, grant);
    chain_hash(prev_hash, encoding.data(), encoding.size(), hash);
}

void chain_hash(const uint8_t prev_hash[kHashSize], const char* encoding, std::size_t length,
                uint8_t hash[kHashSize]) {
    Sha256 sha;
    sha.update(prev_hash, kHashSize);
    sha.update(encoding, length);
    sha.finish(hash);
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
