// The journal's canonical entry encoding and hash chain. An entry's hash is
// SHA-256 over the previous entry's hash (32 zero bytes for an account's
// first entry) followed by the entry's canonical encoding; docs/journal.md
// specifies the encoding so that anyone can re-verify an export.
#pragma once

#include <cstddef>
#include <cstdint>

#include "amount.hpp"
#include "sha256.hpp"

namespace credits::core {

// The fields of one journal entry that the hash covers.
struct EntryFields {
    int64_t id = 0;
    int64_t operation = 0;
    int64_t account = 0;
    bool has_grant = false;
    int64_t grant = 0;
    const char* type = "";
    int128 delta = 0;
    int128 grant_remaining_after = 0;
    int128 account_balance_after = 0;
    int64_t seq = 0;
    int64_t effective_at = 0; // PostgreSQL timestamp: microseconds since 2000-01-01 UTC
    int64_t recorded_at = 0;
};

// Room for any encoding (the entry type is cut at 64 bytes).
inline constexpr std::size_t kMaxEncodingLength = 512;

// Writes "credits-entry-v1|id|operation|account|grant|type|delta|
// grant_remaining_after|account_balance_after|seq|effective_at|recorded_at"
// into `out`; returns the length.
std::size_t encode_entry(const EntryFields& entry, char* out);

// hash = SHA-256(prev_hash || encoding).
void chain_hash(const uint8_t prev_hash[kHashSize], const char* encoding, std::size_t length,
                uint8_t hash[kHashSize]);

// Writes a PostgreSQL timestamp as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC);
// returns the length. `out` needs 32 bytes.
std::size_t format_timestamp_utc(int64_t pg_micros, char* out);

} // namespace credits::core
