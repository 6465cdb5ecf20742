// Account reads, open grants, effective time and journal writes.
#include "ledger.hpp"

#include "error.hpp"
#include "errors.hpp"

extern "C" {
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

Statement select_account = {
    "SELECT id, status, unit, overdraft_limit, balance, debt, last_seq, last_hash, "
    "last_effective_at, next_change_at FROM credits.accounts WHERE key = $1",
    "T"};
Statement lock_account = {
    "SELECT id, status, unit, overdraft_limit, balance, debt, last_seq, last_hash, "
    "last_effective_at, next_change_at FROM credits.accounts WHERE key = $1 FOR UPDATE",
    "T"};
Statement select_open_grants = {
    "SELECT g.id, g.remaining, g.priority, g.effective_at, g.expires_at, k.burn_rank "
    "FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "
    "WHERE g.account = $1 AND g.remaining OPERATOR(@extschema@.>) '0'::@extschema@.credit AND "
    "g.voided_at IS NULL",
    "I"};
Statement update_remaining = {"UPDATE credits.grants SET remaining = $2 WHERE id = $1", "IC"};
Statement insert_entry = {
    "INSERT INTO credits.entries (operation, account, \"grant\", type, delta, "
    "grant_remaining_after, account_balance_after, seq, effective_at, recorded_at, prev_hash, "
    "hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '\\x'::bytea) RETURNING hash",
    "IIITCCCISSB"};
Statement update_account = {
    "UPDATE credits.accounts SET balance = $2, debt = $3, last_seq = $4, last_hash = $5, "
    "last_effective_at = $6, next_change_at = $7 WHERE id = $1",
    "ICCIBSS"};

} // namespace

std::string timestamp_text(int64_t t) {
    const char* s = nullptr;
    guarded(
        [&] { s = DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t))); });
    return s;
}

std::string credit_text(int128 v) {
    char buf[core::kMaxTextLength];
    core::format_amount(v, buf);
    return buf;
}

AccountRow read_account(Spi& spi, const std::string& key, bool lock) {
    if (spi.run(lock ? lock_account : select_account, {text_param(key)}, !lock) == 0)
        throw core::Error(kAccountNotFound, "account \"" + key + "\" does not exist",
                          "Open it first with credits.open_account().");
    AccountRow a;
    a.key = key;
    a.id = spi.int8(0, 1);
    a.status = spi.string(0, 2);
    a.unit = spi.string(0, 3);
    a.overdraft_limit = spi.credit(0, 4);
    a.balance = spi.credit(0, 5);
    a.debt = spi.credit(0, 6);
    a.last_seq = spi.int8(0, 7);
    spi.hash(0, 8, a.last_hash);
    a.last_effective_at = spi.timestamp(0, 9);
    a.next_change_at = spi.timestamp(0, 10);
    return a;
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

std::vector<core::OpenGrant> open_grants(Spi& spi, int64_t account, bool read_only) {
    uint64_t n = spi.run(select_open_grants, {int8_param(account)}, read_only);
    std::vector<core::OpenGrant> grants;
    grants.reserve(n);
    for (uint64_t i = 0; i < n; i++) {
        core::OpenGrant g;
        g.id = spi.int8(i, 1);
        g.remaining = spi.credit(i, 2);
        g.priority = spi.int4(i, 3);
        g.effective_at = spi.timestamp(i, 4).value_or(0);
        auto expires = spi.timestamp(i, 5);
        g.expires_at = expires && !TIMESTAMP_IS_NOEND(*expires) ? *expires : core::kNever;
        g.burn_rank = spi.int4(i, 6);
        grants.push_back(g);
    }
    return grants;
}

void write_movements(Spi& spi, AccountRow& account, int64_t op,
                     const std::vector<core::Movement>& movements, int64_t recorded_at) {
    for (const core::Movement& m : movements) {
        bool has_grant = m.grant_id != 0;
        if (has_grant && m.type != core::EntryType::Grant)
            spi.run(update_remaining, {int8_param(m.grant_id), credit_param(m.remaining_after)});
        spi.run(insert_entry,
                {int8_param(op), int8_param(account.id),
                 has_grant ? int8_param(m.grant_id) : Param{},
                 text_param(std::string(core::entry_type_name(m.type))), credit_param(m.delta),
                 credit_param(m.remaining_after), credit_param(m.balance_after),
                 int8_param(account.last_seq + 1), timestamp_param(m.at),
                 timestamp_param(recorded_at), bytea_param(account.last_hash, core::kHashSize)});
        account.last_seq++;
        spi.hash(0, 1, account.last_hash);
    }
}

bool read_covered_fields(Spi& spi, uint64_t row, int column, bool has_grant,
                         core::OperationFields& op, std::optional<core::GrantFields>& grant) {
    op.type = spi.string(row, column);
    if (!spi.is_null(row, column + 1))
        op.amount = spi.credit(row, column + 1);
    if (!spi.is_null(row, column + 2))
        op.idempotency_key = spi.string(row, column + 2);
    if (!spi.is_null(row, column + 3))
        op.reference = spi.string(row, column + 3);
    grant.reset();
    if (!has_grant)
        return true;
    if (spi.is_null(row, column + 4))
        return false;
    grant.emplace();
    grant->kind = spi.string(row, column + 4);
    grant->amount = spi.credit(row, column + 5);
    grant->priority = spi.int4(row, column + 6);
    grant->effective_at = spi.timestamp(row, column + 7).value_or(0);
    grant->expires_at = spi.timestamp(row, column + 8);
    if (!spi.is_null(row, column + 9))
        grant->cost_basis = spi.string(row, column + 9);
    return true;
}

void save_account(Spi& spi, const AccountRow& account, const core::Account& model, int64_t t) {
    int64_t next = model.next_change(t);
    spi.run(update_account,
            {int8_param(account.id), credit_param(model.balance(t)), credit_param(model.debt()),
             int8_param(account.last_seq), bytea_param(account.last_hash, core::kHashSize),
             timestamp_param(t),
             timestamp_param(next == core::kNever ? std::nullopt : std::optional<int64_t>(next))});
}

} // namespace credits::pg
