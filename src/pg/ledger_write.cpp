// The ledger's writing API: open_account, grant_credits, debit, try_debit.
// grant_credits and the debits are plan steps of the operation pipeline
// (pipeline.hpp): they parse their arguments, hash the request, and say how
// the in-memory account changes.
#include "error.hpp"
#include "errors.hpp"
#include "grants.hpp"
#include "pipeline.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

Statement<std::string, std::string, int128, Jsonb, Timestamp, std::optional<int64_t>>
    insert_account{
        "INSERT INTO credits.accounts (key, unit, overdraft_limit, metadata, created_at, "
        "parent) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING "
        "RETURNING id"};
Statement<std::string> existing_account{
    "SELECT a.id, a.unit, a.overdraft_limit, p.key AS parent FROM credits.accounts a "
    "LEFT JOIN credits.accounts p ON p.id = a.parent WHERE a.key = $1"};
// schema 1.0: no pools
Statement<std::string, std::string, int128, Jsonb, Timestamp> insert_account_1_0{
    "INSERT INTO credits.accounts (key, unit, overdraft_limit, metadata, created_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING RETURNING id"};
Statement<std::string> existing_account_1_0{
    "SELECT id, unit, overdraft_limit, NULL::text AS parent FROM credits.accounts WHERE key = $1"};

// debit and try_debit: burns `amount` in burn order; declines (try_debit)
// or is CR001 when the credits do not suffice. The result is the operation.
class DebitStep : public Step {
  public:
    DebitStep(int128 amount, bool try_only) : amount_(amount), try_only_(try_only) {}
    int64_t result = 0;

    void replay(Spi&, int64_t prior) override { result = prior; }
    bool draws_on_pool() const override { return true; }
    bool plan(Spi& spi, core::Account& model, int64_t t, const AccountRow& account) override {
        int128 available;
        if (debit_from_pool(spi, account, amount_, t, available))
            return true;
        if (try_only_)
            return false;
        insufficient_credits(model, account, amount_, t, available);
    }
    void write(Spi&, int64_t op_id, core::Account&, int64_t, const AccountRow&) override {
        result = op_id;
    }

  private:
    int128 amount_;
    bool try_only_;
};

// debit and try_debit: the operation's id, or nothing when try_only and the
// credits do not suffice.
std::optional<int64_t> run_debit(FunctionCallInfo fcinfo, bool try_only) {
    std::string key = required_text(fcinfo, 0, "account");
    int128 amount = required_credit(fcinfo, 1, "amount");
    std::string metadata_text;
    OperationRecord op{"debit", amount, optional_text(fcinfo, 2), optional_text(fcinfo, 3),
                       required_jsonb(fcinfo, 4, "metadata", metadata_text)};
    require_positive(amount, "amount");
    RequestHash()
        .add(std::string("debit"))
        .add_amount(amount)
        .add(op.reference)
        .add(metadata_text)
        .finish(op.request_hash);

    Spi spi;
    DebitStep step(amount, try_only);
    bool done = run_operation(spi, key, op, step);
    spi.finish();
    return done ? std::optional<int64_t>(step.result) : std::nullopt;
}

// grant_credits: one grant; the result is its id.
class GrantStep : public Step {
  public:
    GrantStep(NewGrant grant, std::optional<int64_t> effective_arg)
        : grant_(std::move(grant)), effective_arg_(effective_arg) {}
    int64_t result = 0;

    void replay(Spi& spi, int64_t prior) override { result = *first_grant_of(spi, prior); }
    bool plan(Spi&, core::Account&, int64_t t, const AccountRow&) override {
        grant_.effective_at = effective_arg_.value_or(t);
        require_expiry_after(grant_, t);
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account& model, int64_t t,
               const AccountRow& account) override {
        result = write_grant(spi, op_id, account, model, t, grant_);
    }

  private:
    NewGrant grant_;
    std::optional<int64_t> effective_arg_;
};

} // namespace

namespace {

// The request that opened account `key` (unit, overdraft_limit, parent).
Statement<std::string> opening_request{
    "SELECT o.request_hash FROM credits.operations o JOIN credits.accounts a ON a.id = o.account "
    "WHERE a.key = $1 AND o.type = 'open_account' ORDER BY o.id LIMIT 1"};

// Whether account `key` was opened by the request `op` describes.
bool opened_as(Spi& spi, const std::string& key, const OperationRecord& op) {
    uint8_t stored[core::kHashSize];
    return spi.run(opening_request, key) == 1 && spi.hash(0, "request_hash", stored) &&
           std::equal(stored, stored + core::kHashSize, op.request_hash);
}

} // namespace

// credits.open_account(key, unit, overdraft_limit, metadata, parent): the
// account's id; the call that opened an account, repeated, returns its id
// unchanged (even after an admin changed its overdraft limit); an existing
// key with the same unit, limit and parent too.
CREDITS_FUNCTION(credits_open_account) {
    std::string key = required_text(fcinfo, 0, "key");
    std::string unit = required_text(fcinfo, 1, "unit");
    int128 limit = required_credit(fcinfo, 2, "overdraft_limit");
    std::string metadata_text;
    Datum metadata = required_jsonb(fcinfo, 3, "metadata", metadata_text);
    // release 1.0's open_account has no parent parameter
    std::optional<std::string> parent = PG_NARGS() > 4 ? optional_text(fcinfo, 4) : std::nullopt;
    if (key.empty())
        invalid("key must not be empty");
    if (unit.empty())
        invalid("unit must not be empty");
    if (limit < 0)
        invalid("overdraft_limit must not be negative, not " + credit_text(limit));

    if (parent && *parent == key)
        invalid("account \"" + key + "\" cannot be its own parent");

    LedgerClock clock = ledger_clock();
    Spi spi;
    std::optional<int64_t> parent_id;
    if (parent) {
        // parents are fixed at open and must exist: a chain of parents never cycles
        AccountRow p = read_account(spi, *parent, false);
        if (p.unit != unit)
            throw core::Error(
                kUnitMismatch, "account \"" + key + "\" cannot draw on a pool of another unit",
                "Its unit is " + unit + "; its parent \"" + *parent + "\" counts " + p.unit + ".");
        parent_id = p.id;
    }
    int64_t id;
    bool pools = has_column("accounts", "parent");
    uint64_t inserted =
        pools ? spi.run(insert_account, key, unit, limit, Jsonb{metadata}, clock.now, parent_id)
              : spi.run(insert_account_1_0, key, unit, limit, Jsonb{metadata}, clock.now);
    OperationRecord op{"open_account", std::nullopt, std::nullopt, std::nullopt, metadata};
    RequestHash()
        .add(std::string("open_account"))
        .add(unit)
        .add_amount(limit)
        .add(parent)
        .finish(op.request_hash);
    if (inserted == 1) {
        id = spi.get<int64_t>(0, "id");
        op.effective_at = clock.now;
        record_operation(spi, id, op);
    } else if (opened_as(spi, key, op)) {
        // the call that opened it, repeated: its settings may have changed since
        spi.run(pools ? existing_account : existing_account_1_0, key);
        id = spi.get<int64_t>(0, "id");
    } else {
        spi.run(pools ? existing_account : existing_account_1_0, key);
        id = spi.get<int64_t>(0, "id");
        std::string existing_unit = spi.get<std::string>(0, "unit");
        int128 existing_limit = spi.get<int128>(0, "overdraft_limit");
        std::optional<std::string> existing_parent =
            spi.get<std::optional<std::string>>(0, "parent");
        if (existing_unit != unit || existing_limit != limit || existing_parent != parent)
            throw core::Error(
                kIdempotencyConflict,
                "account \"" + key + "\" already exists with different settings",
                "It has unit \"" + existing_unit + "\", overdraft_limit " +
                    credit_text(existing_limit) + " and " +
                    (existing_parent ? "parent \"" + *existing_parent + "\"" : "no parent") + ".");
    }
    spi.finish();
    PG_RETURN_INT64(id);
}

// credits.grant_credits(...): the new grant's id.
CREDITS_FUNCTION(credits_grant_credits) {
    std::string key = required_text(fcinfo, 0, "account");
    int128 amount = required_credit(fcinfo, 1, "amount");
    std::string kind = required_text(fcinfo, 2, "kind");
    std::optional<int64_t> expires_at = optional_timestamp(fcinfo, 3);
    int32_t priority = required_int4(fcinfo, 4, "priority");
    std::optional<int64_t> effective_arg = optional_timestamp(fcinfo, 5);
    bool has_cost = !PG_ARGISNULL(6);
    Datum cost_basis = has_cost ? PG_GETARG_DATUM(6) : 0;
    std::string metadata_text;
    OperationRecord op{"grant", amount, optional_text(fcinfo, 7), optional_text(fcinfo, 8),
                       required_jsonb(fcinfo, 9, "metadata", metadata_text)};

    require_positive(amount, "amount");
    if (priority < 0 || priority > 100)
        invalid("priority must be between 0 and 100, not " + std::to_string(priority));
    std::optional<std::string> cost_text;
    if (has_cost) {
        cost_text = output_text(NUMERICOID, cost_basis);
        bool finite = false;
        guarded([&] { finite = numeric_is_finite(cost_basis); });
        if (!finite || (*cost_text)[0] == '-')
            invalid("cost_basis must be a finite number >= 0, not " + *cost_text);
    }
    if (expires_at && effective_arg && *expires_at <= *effective_arg)
        invalid("expires_at (" + timestamp_text(*expires_at) +
                ") must be later than effective_at (" + timestamp_text(*effective_arg) + ")");
    for (auto t : {effective_arg, expires_at})
        if (t && TIMESTAMP_NOT_FINITE(*t) && !(t == expires_at && TIMESTAMP_IS_NOEND(*t)))
            invalid("effective_at and expires_at must be finite timestamps");

    core::RolloverRule rollover = rollover_rule(fcinfo, 10, expires_at);

    RequestHash hash;
    hash.add(std::string("grant"))
        .add_amount(amount)
        .add(kind)
        .add_timestamp(expires_at)
        .add(std::to_string(priority))
        .add_timestamp(effective_arg)
        .add(cost_text)
        .add(op.reference)
        .add(metadata_text);
    if (rollover.max) // calls without a rule hash as they did before rules existed
        hash.add_amount(*rollover.max)
            .add(rollover.validity ? std::to_string(rollover.validity->months) + " " +
                                         std::to_string(rollover.validity->days) + " " +
                                         std::to_string(rollover.validity->micros)
                                   : std::string("same"))
            .add(std::to_string(rollover.again));
    hash.finish(op.request_hash);

    Spi spi;
    NewGrant grant;
    grant.kind = kind;
    grant.burn_rank = kind_burn_rank(spi, kind);
    grant.amount = amount;
    grant.priority = priority;
    grant.expires_at = grant_expiry(expires_at);
    grant.cost_basis = has_cost ? std::optional<Numeric>(Numeric{cost_basis}) : std::nullopt;
    grant.reference = op.reference;
    grant.metadata = op.metadata;
    grant.rollover = rollover;
    GrantStep step(grant, effective_arg);
    run_operation(spi, key, op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}
// credits.debit(...): the operation's id; CR001 when credits do not suffice.
CREDITS_FUNCTION(credits_debit) {
    PG_RETURN_INT64(*run_debit(fcinfo, false));
}

// credits.try_debit(...): like debit, but NULL instead of CR001.
CREDITS_FUNCTION(credits_try_debit) {
    std::optional<int64_t> op = run_debit(fcinfo, true);
    if (!op)
        PG_RETURN_NULL();
    PG_RETURN_INT64(*op);
}

} // namespace credits::pg
