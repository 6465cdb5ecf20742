// What the ledger functions share: reading an account and its open grants,
// the effective time of an operation, and writing movements as entries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "account.hpp"
#include "clock.hpp"
#include "journal.hpp"
#include "spi.hpp"

namespace credits::pg {

// An account row with its maintained figures.
struct AccountRow {
    int64_t id = 0;
    std::string key;
    std::string status;
    std::string unit;
    int128 overdraft_limit = 0;
    int128 balance = 0;
    int128 debt = 0;
    int64_t last_seq = 0;
    uint8_t last_hash[core::kHashSize] = {};
    std::optional<int64_t> last_effective_at;
    std::optional<int64_t> next_change_at;
    // pools (schema 1.1): the parent it draws on, the cap on what it draws
    // (none: no cap), and the credits of its ancestors it has consumed
    std::optional<int64_t> parent;
    std::optional<int128> pool_limit;
    int128 pool_drawn = 0;
    int128 pool_drawn_read = 0; // as read: save_account() writes a change
    bool alerting = false;      // alert rules were set (schema 1.1)
};

// Reads an account by key, locking it FOR UPDATE when `lock`; CR002 when missing.
AccountRow read_account(Spi& spi, const std::string& key, bool lock);

// The id of the account with `key` (unlocked), if there is one.
std::optional<int64_t> account_id(Spi& spi, const std::string& key);
// The keys of the account's ancestors, nearest first (schema 1.1).
std::vector<std::string> ancestor_keys(Spi& spi, const std::string& key);

// Locks the account unless another transaction holds its lock (schema
// 1.1); nothing when it is locked (or missing).
std::optional<AccountRow> try_lock_account(Spi& spi, const std::string& key);

// Locks the accounts with these ids (schema 1.1), in id order; their rows
// in that order (missing ids are left out).
std::vector<AccountRow> lock_accounts(Spi& spi, const std::vector<int64_t>& ids);

// CR003 unless the account is active.
void require_active(const AccountRow& account);

// The instant an operation takes effect: the ledger clock, but never before
// the account's latest entry. With credits.test_clock set that is CR007;
// with the transaction timestamp (concurrent transactions commit out of
// start order) the operation takes the latest entry's instant.
int64_t effective_time(const LedgerClock& clock, const AccountRow& account);

// Whether table credits.`table` has `column`: the library is updated before
// ALTER EXTENSION credits UPDATE, so it must work on every released schema.
bool has_column(const char* table, const char* column);

// The account's grants with credits left and not voided.
std::vector<core::OpenGrant> open_grants(Spi& spi, int64_t account, bool read_only);

// What grants.is_open is (grants g), for a schema before that column (1.0):
// a grant a debit can still burn.
#define OPEN_GRANT_1_0                                                                             \
    "g.remaining OPERATOR(@extschema@.>) '0'::@extschema@.credit AND g.voided_at IS NULL"
// The columns of a grant's rollover rule read_open_grant() reads (grants g).
#define ROLLOVER_COLUMNS ", g.rollover_max, g.rollover_validity, g.rollover_limit, g.generation"
// Every column read_open_grant() reads (grants g joined to their kinds k).
#define OPEN_GRANT_COLUMNS                                                                         \
    "g.id, g.remaining, g.priority, g.effective_at, g.expires_at, k.burn_rank, "                   \
    "k.transferable" ROLLOVER_COLUMNS
// A grant of result row `row` (OPEN_GRANT_COLUMNS; a schema before 1.1
// reads the same names from stand-ins).
core::OpenGrant read_open_grant(Spi& spi, uint64_t row);

// One lot of a hold (credits.hold_lots' key).
struct HoldLot {
    int64_t hold;
    int32_t position;
};

// The account as of t: its open grants and debt, with the credits of
// expired holds back in its lots (whoever's hold pinned them) and the
// expiries of holds still pinning them noted, moved from its last entry to
// t. `returned` receives the hold lots whose credits came back (the caller
// marks them when it writes).
core::Account account_at(Spi& spi, const AccountRow& account, int64_t t, bool read_only,
                         std::vector<HoldLot>* returned = nullptr,
                         std::vector<core::OpenGrant>* open = nullptr);

// What active holds of the account and its descendants pin in its
// ancestors' lots at t (counted against the pool limits on the way).
int128 held_through(Spi& spi, int64_t account, int64_t t, bool read_only);

// Marks hold lots as returned by operation `op`, and their holds expired.
void mark_returned(Spi& spi, const std::vector<HoldLot>& lots, int64_t op);

// CR001 for `amount` on the account, with what was `available` (live
// credits at t, the pool's, and the overdraft headroom).
[[noreturn]] void insufficient_credits(const core::Account& model, const AccountRow& account,
                                       int128 amount, int64_t t, int128 available);

// Writes the movements as journal entries of operation `op` (updating each
// touched grant's remaining), chaining hashes from the account's last entry.
void write_movements(Spi& spi, AccountRow& account, int64_t op,
                     const std::vector<core::Movement>& movements, int64_t recorded_at);

// Stores the account's pool_drawn when the operation changed it.
void save_pool_drawn(Spi& spi, const AccountRow& account);

// Stores the account's maintained figures after an operation at t.
void save_account(Spi& spi, const AccountRow& account, const core::Account& model, int64_t t);

// The columns journal encoding v2 covers of an entry's operation o and grant g.
#define COVERED_COLUMNS                                                                            \
    "o.type AS op_type, o.amount AS op_amount, o.idempotency_key AS op_idempotency_key, "          \
    "o.reference AS op_reference, g.kind AS grant_kind, g.amount AS grant_amount, "                \
    "g.priority AS grant_priority, g.effective_at AS grant_effective_at, "                         \
    "g.expires_at AS grant_expires_at, g.cost_basis::text AS grant_cost_basis"

// Reads the COVERED_COLUMNS of row `row`. False when the entry has a grant
// but the grant columns are NULL (no such grant).
bool read_covered_fields(Spi& spi, uint64_t row, bool has_grant, core::OperationFields& op,
                         std::optional<core::GrantFields>& grant);

// A grant's expires_at as the core counts it: NULL and 'infinity' never come.
int64_t expiry(std::optional<int64_t> expires_at);

// Timestamp text for messages.
std::string timestamp_text(int64_t t);
// Credit text for messages.
std::string credit_text(int128 v);

} // namespace credits::pg
