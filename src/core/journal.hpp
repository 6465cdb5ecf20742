// The journal's canonical entry encoding and hash chain. An entry's hash is
// SHA-256 over the previous entry's hash (32 zero bytes for an account's
// first entry) followed by the entry's canonical encoding; docs/journal.md
// specifies the encoding so that anyone can re-verify an export.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

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

// What encoding v2 also covers of an entry's operation (credits.operations).
struct OperationFields {
    std::string type;
    std::optional<int128> amount;
    std::optional<std::string> idempotency_key;
    std::optional<std::string> reference;
};

// What encoding v2 also covers of an entry's grant (credits.grants).
struct GrantFields {
    std::string kind;
    int128 amount = 0;
    int32_t priority = 0;
    int64_t effective_at = 0;
    std::optional<int64_t> expires_at;     // NULL: never
    std::optional<std::string> cost_basis; // numeric as PostgreSQL prints it
};

// Encoding v2: v1's fields under the tag "credits-entry-v2", then
// "|op|" + type, amount, idempotency key, reference, then, for an entry with
// a grant, "|grant|" + kind, amount, priority, effective_at, expires_at,
// cost_basis. Text that may hold "|" is written as "<bytes>:<text>" and NULL
// as "~" (docs/journal.md).
std::string encode_entry_v2(const EntryFields& entry, const OperationFields& operation,
                            const GrantFields* grant);

// The hash of an entry under encoding `version` (1 or 2); v1 ignores
// `operation` and `grant`.
void entry_hash(int version, const uint8_t prev_hash[kHashSize], const EntryFields& entry,
                const OperationFields& operation, const GrantFields* grant,
                uint8_t hash[kHashSize]);

// The encoding of a timestamp that may be +-infinity (PostgreSQL's
// DT_NOBEGIN/DT_NOEND): UTC text, "infinity" or "-infinity".
std::string timestamp_field(int64_t pg_micros);

// hash = SHA-256(prev_hash || encoding).
void chain_hash(const uint8_t prev_hash[kHashSize], const char* encoding, std::size_t length,
                uint8_t hash[kHashSize]);

// Writes a PostgreSQL timestamp as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC);
// returns the length. `out` needs 32 bytes.
std::size_t format_timestamp_utc(int64_t pg_micros, char* out);

} // namespace credits::core
