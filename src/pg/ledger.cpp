// Account reads, open grants, effective time and journal writes.
#include "ledger.hpp"

#include "error.hpp"
#include "errors.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "utils/lsyscache.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

#define ACCOUNT_COLUMNS(pool)                                                                      \
    "SELECT id, key, status, unit, overdraft_limit, balance, debt, last_seq, last_hash, "          \
    "last_effective_at, next_change_at, " pool " FROM credits.accounts "
#define POOL_COLUMNS "parent, pool_limit, pool_drawn, alerting"
// schema 1.0 has no pools
#define NO_POOL_COLUMNS                                                                            \
    "NULL::bigint AS parent, NULL::@extschema@.credit AS pool_limit, "                             \
    "'0'::@extschema@.credit AS pool_drawn, false AS alerting"
Statement<std::string> select_account{ACCOUNT_COLUMNS(POOL_COLUMNS) "WHERE key = $1"};
Statement<std::string> lock_account{ACCOUNT_COLUMNS(POOL_COLUMNS) "WHERE key = $1 FOR UPDATE"};
// schema 1.1: the lock only if nobody holds it (the expiry sweep)
Statement<std::string> try_lock_account_sql{
    ACCOUNT_COLUMNS(POOL_COLUMNS) "WHERE key = $1 FOR UPDATE SKIP LOCKED"};
Statement<std::string> select_account_1_0{ACCOUNT_COLUMNS(NO_POOL_COLUMNS) "WHERE key = $1"};
Statement<std::string> lock_account_1_0{
    ACCOUNT_COLUMNS(NO_POOL_COLUMNS) "WHERE key = $1 FOR UPDATE"};
Statement<std::string> id_by_key{"SELECT id FROM credits.accounts WHERE key = $1"};
// The account's ancestors, nearest first (UNION stops at a cycle).
Statement<std::string> ancestors{
    "WITH RECURSIVE up(id, depth) AS ("
    " SELECT parent, 1 FROM credits.accounts WHERE key = $1 AND parent IS NOT NULL"
    " UNION SELECT a.parent, up.depth + 1 FROM credits.accounts a JOIN up ON a.id = up.id"
    " WHERE a.parent IS NOT NULL AND up.depth < 1000)"
    " SELECT a.key FROM up JOIN credits.accounts a ON a.id = up.id ORDER BY up.depth"};
// schema 1.1: several accounts locked at once, in id order
Statement<Array<int64_t>> lock_accounts_by_id{
    ACCOUNT_COLUMNS(POOL_COLUMNS) "WHERE id = ANY($1) ORDER BY id FOR UPDATE"};
Statement<int64_t, int128> update_pool_drawn{
    "UPDATE credits.accounts SET pool_drawn = $2 WHERE id = $1"};
Statement<int64_t> select_open_grants{
    "SELECT " OPEN_GRANT_COLUMNS " FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "
    "WHERE g.account = $1 AND g.is_open"};
// schema 1.0: no kinds.transferable (and no transfers), no rollover rules,
// no grants.is_open
Statement<int64_t> select_open_grants_1_0{
    "SELECT g.id, g.remaining, g.priority, g.effective_at, g.expires_at, k.burn_rank, "
    "true AS transferable, NULL::@extschema@.credit AS rollover_max, NULL::interval AS "
    "rollover_validity, 0 AS rollover_limit, 0 AS generation "
    "FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "
    "WHERE g.account = $1 AND " OPEN_GRANT_1_0};
// The account's lots pinned by holds (its own or, in a pool, a
// descendant's) that expired by $2 and have not had their credits back.
Statement<int64_t, Timestamp> expired_hold_lots{
    "SELECT h.id AS hold, hl.position, h.expires_at AS hold_expires_at, hl.amount AS "
    "held, " OPEN_GRANT_COLUMNS
    " FROM credits.grants g JOIN credits.hold_lots hl ON hl.\"grant\" = g.id "
    "JOIN credits.holds h ON h.id = hl.hold JOIN credits.kinds k ON k.kind = g.kind "
    "WHERE g.account = $1 AND hl.returned_by IS NULL AND h.expires_at <= $2 "
    "ORDER BY h.expires_at, h.id, hl.position"};
// When the next hold pinning the account's lots expires.
Statement<int64_t, Timestamp> next_hold_expiry{
    "SELECT min(h.expires_at) AS next FROM credits.grants g "
    "JOIN credits.hold_lots hl ON hl.\"grant\" = g.id JOIN credits.holds h ON h.id = hl.hold "
    "WHERE g.account = $1 AND hl.returned_by IS NULL AND h.expires_at > $2"};
// What active holds of the account's subtree pin in lots of its ancestors at $2.
Statement<int64_t, Timestamp> held_through_sql{
    "WITH RECURSIVE below(id) AS (SELECT $1::bigint"
    " UNION SELECT a.id FROM credits.accounts a JOIN below b ON a.parent = b.id),"
    " above(id) AS (SELECT parent FROM credits.accounts WHERE id = $1 AND parent IS NOT NULL"
    " UNION SELECT a.parent FROM credits.accounts a JOIN above ab ON a.id = ab.id"
    " WHERE a.parent IS NOT NULL)"
    " SELECT COALESCE(@extschema@.sum(hl.amount), '0'::@extschema@.credit) AS held"
    " FROM credits.holds h JOIN credits.hold_lots hl ON hl.hold = h.id"
    " JOIN credits.grants g ON g.id = hl.\"grant\""
    " WHERE h.account IN (SELECT id FROM below) AND g.account IN (SELECT id FROM above)"
    " AND hl.returned_by IS NULL AND h.expires_at > $2"};
Statement<int64_t, int32_t, int64_t> mark_lot_returned{
    "UPDATE credits.hold_lots SET returned_by = $3 WHERE hold = $1 AND position = $2"};
Statement<int64_t, int64_t> expire_hold{
    "UPDATE credits.holds SET status = 'expired', settled_at = expires_at, settled_by = $2 "
    "WHERE id = $1 AND status = 'active'"};
Statement<int64_t, int128> update_remaining{
    "UPDATE credits.grants SET remaining = $2 WHERE id = $1"};
Statement<int64_t, int64_t, std::optional<int64_t>, std::string, int128, int128, int128, int64_t,
          Timestamp, Timestamp, Bytes>
    insert_entry{"INSERT INTO credits.entries (operation, account, \"grant\", type, delta, "
                 "grant_remaining_after, account_balance_after, seq, effective_at, recorded_at, "
                 "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                 "'\\x'::bytea) RETURNING hash"};
Statement<int64_t, int128, int128, int64_t, Bytes, Timestamp, std::optional<Timestamp>>
    update_account{"UPDATE credits.accounts SET balance = $2, debt = $3, last_seq = $4, "
                   "last_hash = $5, last_effective_at = $6, next_change_at = $7 WHERE id = $1"};

} // namespace

std::string timestamp_text(int64_t t) {
    const char* s = nullptr;
    guarded(
        [&] { s = DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t))); });
    return s;
}

int64_t expiry(std::optional<int64_t> expires_at) {
    return expires_at && !TIMESTAMP_IS_NOEND(*expires_at) ? *expires_at : core::kNever;
}

std::string credit_text(int128 v) {
    char buf[core::kMaxTextLength];
    core::format_amount(v, buf);
    return buf;
}

namespace {

// Row `row` of the last result of an ACCOUNT_COLUMNS query.
AccountRow account_row(Spi& spi, uint64_t row) {
    AccountRow a;
    a.key = spi.get<std::string>(row, "key");
    a.id = spi.get<int64_t>(row, "id");
    a.status = spi.get<std::string>(row, "status");
    a.unit = spi.get<std::string>(row, "unit");
    a.overdraft_limit = spi.get<int128>(row, "overdraft_limit");
    a.balance = spi.get<int128>(row, "balance");
    a.debt = spi.get<int128>(row, "debt");
    a.last_seq = spi.get<int64_t>(row, "last_seq");
    spi.hash(row, "last_hash", a.last_hash); // NULL before the first entry: zeros
    a.last_effective_at = spi.get<std::optional<Timestamp>>(row, "last_effective_at");
    a.next_change_at = spi.get<std::optional<Timestamp>>(row, "next_change_at");
    a.parent = spi.get<std::optional<int64_t>>(row, "parent");
    a.pool_limit = spi.get<std::optional<int128>>(row, "pool_limit");
    a.pool_drawn = spi.get<int128>(row, "pool_drawn");
    a.pool_drawn_read = a.pool_drawn;
    a.alerting = spi.get<bool>(row, "alerting");
    return a;
}

} // namespace

AccountRow read_account(Spi& spi, const std::string& key, bool lock) {
    bool pools = has_column("accounts", "parent");
    uint64_t n = lock ? spi.run(pools ? lock_account : lock_account_1_0, key)
                      : spi.read(pools ? select_account : select_account_1_0, key);
    if (n == 0)
        throw core::Error(kAccountNotFound, "account \"" + key + "\" does not exist", "",
                          "Open it first with credits.open_account().");
    return account_row(spi, 0);
}

std::optional<AccountRow> try_lock_account(Spi& spi, const std::string& key) {
    if (spi.run(::credits::pg::try_lock_account_sql, key) == 0)
        return std::nullopt;
    return account_row(spi, 0);
}

std::vector<AccountRow> lock_accounts(Spi& spi, const std::vector<int64_t>& ids) {
    uint64_t n = spi.run(lock_accounts_by_id, Array<int64_t>{ids});
    std::vector<AccountRow> rows;
    for (uint64_t i = 0; i < n; i++)
        rows.push_back(account_row(spi, i));
    return rows;
}

std::optional<int64_t> account_id(Spi& spi, const std::string& key) {
    if (spi.read(id_by_key, key) == 0)
        return std::nullopt;
    return spi.get<int64_t>(0, "id");
}

std::vector<std::string> ancestor_keys(Spi& spi, const std::string& key) {
    std::vector<std::string> keys;
    uint64_t n = spi.read(ancestors, key);
    for (uint64_t i = 0; i < n; i++)
        keys.push_back(spi.get<std::string>(i, "key"));
    return keys;
}

void require_active(const AccountRow& account) {
    if (account.status != "active")
        throw core::Error(kAccountNotActive, "account \"" + account.key + "\" is " + account.status,
                          "Only active accounts take grants and debits.");
}

int64_t effective_time(const LedgerClock& clock, const AccountRow& account) {
    if (!account.last_effective_at || clock.now >= *account.last_effective_at)
        return clock.now;
    if (clock.explicit_)
        throw core::Error(kClockBeforeLastEntry,
                          "the ledger clock is earlier than account \"" + account.key +
                              "\"'s latest entry",
                          "credits.test_clock is " + timestamp_text(clock.now) +
                              "; the latest entry is effective at " +
                              timestamp_text(*account.last_effective_at) + ".");
    return *account.last_effective_at;
}

bool has_column(const char* table, const char* column) {
    bool has = false;
    guarded([&] {
        Oid relid = get_relname_relid(table, get_namespace_oid("credits", false));
        has = OidIsValid(relid) && get_attnum(relid, column) != InvalidAttrNumber;
    });
    return has;
}

std::vector<core::OpenGrant> open_grants(Spi& spi, int64_t account, bool read_only) {
    auto& select =
        has_column("kinds", "transferable") ? select_open_grants : select_open_grants_1_0;
    uint64_t n = read_only ? spi.read(select, account) : spi.run(select, account);
    std::vector<core::OpenGrant> grants;
    grants.reserve(n);
    for (uint64_t i = 0; i < n; i++)
        grants.push_back(read_open_grant(spi, i));
    return grants;
}

core::OpenGrant read_open_grant(Spi& spi, uint64_t row) {
    core::OpenGrant g;
    g.id = spi.get<int64_t>(row, "id");
    g.remaining = spi.get<int128>(row, "remaining");
    g.priority = spi.get<int32_t>(row, "priority");
    g.effective_at = spi.get<Timestamp>(row, "effective_at");
    g.expires_at = expiry(spi.get<std::optional<Timestamp>>(row, "expires_at"));
    g.burn_rank = spi.get<int32_t>(row, "burn_rank");
    g.transferable = spi.get<bool>(row, "transferable");
    g.rollover.max = spi.get<std::optional<int128>>(row, "rollover_max");
    g.rollover.validity = spi.get<std::optional<Period>>(row, "rollover_validity");
    g.rollover.again = spi.get<int32_t>(row, "rollover_limit");
    g.generation = spi.get<int32_t>(row, "generation");
    return g;
}

core::Account account_at(Spi& spi, const AccountRow& account, int64_t t, bool read_only,
                         std::vector<HoldLot>* returned, std::vector<core::OpenGrant>* open) {
    // `open`: the account's open grants, when the caller read them already
    core::Account model(open ? std::move(*open) : open_grants(spi, account.id, read_only),
                        account.debt);
    // Every operation that pins an account's lots notes the hold's expiry in
    // the account's next_change_at, so before that instant no hold pinning
    // them has expired: the holds need not be read. Keeping next_change_at
    // as a bound stays correct (an earlier bound only costs a recomputation).
    bool before_next_change = !account.next_change_at || t < *account.next_change_at;
    if (before_next_change && account.next_change_at)
        model.note_hold_expiry(*account.next_change_at);
    if (!before_next_change && has_column("holds", "id")) { // schema 1.1 and later
        uint64_t n = read_only ? spi.read(expired_hold_lots, account.id, t)
                               : spi.run(expired_hold_lots, account.id, t);
        for (uint64_t i = 0; i < n; i++) {
            model.add_return(read_open_grant(spi, i), spi.get<int128>(i, "held"),
                             spi.get<Timestamp>(i, "hold_expires_at"));
            if (returned)
                returned->push_back({spi.get<int64_t>(i, "hold"), spi.get<int32_t>(i, "position")});
        }
        n = read_only ? spi.read(next_hold_expiry, account.id, t)
                      : spi.run(next_hold_expiry, account.id, t);
        if (auto next = spi.get<std::optional<Timestamp>>(0, "next"))
            model.note_hold_expiry(*next);
    }
    model.advance(account.last_effective_at.value_or(t), t);
    return model;
}

int128 held_through(Spi& spi, int64_t account, int64_t t, bool read_only) {
    if (read_only)
        spi.read(held_through_sql, account, t);
    else
        spi.run(held_through_sql, account, t);
    return spi.get<int128>(0, "held");
}

void mark_returned(Spi& spi, const std::vector<HoldLot>& lots, int64_t op) {
    for (const HoldLot& l : lots) {
        spi.run(mark_lot_returned, l.hold, l.position, op);
        spi.run(expire_hold, l.hold, op);
    }
}

void insufficient_credits(const core::Account& model, const AccountRow& account, int128 amount,
                          int64_t t, int128 available) {
    int128 live = model.live_total(t);
    int128 headroom = model.headroom(account.overdraft_limit);
    std::string pooled =
        account.parent ? ", from the pool " + credit_text(available - live - headroom) : "";
    throw core::Error(kInsufficientCredits,
                      "insufficient credits on account \"" + account.key + "\"",
                      "Requested " + credit_text(amount) + ", available " + credit_text(available) +
                          " (live credits " + credit_text(live) + pooled + ", overdraft headroom " +
                          credit_text(headroom) + ").");
}

void write_movements(Spi& spi, AccountRow& account, int64_t op,
                     const std::vector<core::Movement>& movements, int64_t recorded_at) {
    for (const core::Movement& m : movements) {
        bool has_grant = m.grant_id != 0;
        if (has_grant && m.type != core::EntryType::Grant)
            spi.run(update_remaining, m.grant_id, m.remaining_after);
        spi.run(insert_entry, op, account.id,
                has_grant ? std::optional<int64_t>(m.grant_id) : std::nullopt,
                std::string(core::entry_type_name(m.type)), m.delta, m.remaining_after,
                m.balance_after, account.last_seq + 1, m.at, recorded_at,
                Bytes{account.last_hash, core::kHashSize});
        account.last_seq++;
        spi.hash(0, "hash", account.last_hash);
    }
}

bool read_covered_fields(Spi& spi, uint64_t row, bool has_grant, core::OperationFields& op,
                         std::optional<core::GrantFields>& grant) {
    op.type = spi.get<std::string>(row, "op_type");
    op.amount = spi.get<std::optional<int128>>(row, "op_amount");
    op.idempotency_key = spi.get<std::optional<std::string>>(row, "op_idempotency_key");
    op.reference = spi.get<std::optional<std::string>>(row, "op_reference");
    grant.reset();
    if (!has_grant)
        return true;
    std::optional<std::string> kind = spi.get<std::optional<std::string>>(row, "grant_kind");
    if (!kind)
        return false;
    grant.emplace();
    grant->kind = *kind;
    grant->amount = spi.get<int128>(row, "grant_amount");
    grant->priority = spi.get<int32_t>(row, "grant_priority");
    grant->effective_at = spi.get<Timestamp>(row, "grant_effective_at");
    grant->expires_at = spi.get<std::optional<Timestamp>>(row, "grant_expires_at");
    grant->cost_basis = spi.get<std::optional<std::string>>(row, "grant_cost_basis");
    return true;
}

void save_account(Spi& spi, const AccountRow& account, const core::Account& model, int64_t t) {
    int64_t next = model.next_change(t);
    spi.run(update_account, account.id, model.balance(t), model.debt(), account.last_seq,
            Bytes{account.last_hash, core::kHashSize}, t,
            next == core::kNever ? std::nullopt : std::optional<Timestamp>(next));
    save_pool_drawn(spi, account);
}

void save_pool_drawn(Spi& spi, const AccountRow& account) {
    if (account.pool_drawn != account.pool_drawn_read)
        spi.run(update_pool_drawn, account.id, account.pool_drawn);
}

} // namespace credits::pg
