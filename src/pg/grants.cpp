// New grants (grants.hpp).
#include "grants.hpp"

#include <stdexcept>

#include "args.hpp"
#include "error.hpp"
#include "errors.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

Statement<std::string> kind_rank{"SELECT burn_rank FROM credits.kinds WHERE kind = $1"};
Statement<int64_t, std::string, int128, int32_t, Timestamp, std::optional<Timestamp>,
          std::optional<Numeric>, std::optional<std::string>, Jsonb, int64_t>
    insert_grant{"INSERT INTO credits.grants (account, kind, amount, remaining, priority, "
                 "effective_at, expires_at, cost_basis, reference, metadata, operation) "
                 "VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"};
// schema 1.1: the origin of its credits and its rollover rule
Statement<int64_t, std::string, int128, int32_t, Timestamp, std::optional<Timestamp>,
          std::optional<Numeric>, std::optional<std::string>, Jsonb, int64_t,
          std::optional<int64_t>, std::optional<int128>, std::optional<Period>, int32_t, int32_t>
    insert_grant_1_1{
        "INSERT INTO credits.grants (account, kind, amount, remaining, priority, "
        "effective_at, expires_at, cost_basis, reference, metadata, operation, origin, "
        "rollover_max, rollover_validity, rollover_limit, generation) "
        "VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
        "RETURNING id"};
// a rolled-over grant: its origin's kind, priority, cost basis, reference
// and metadata, with the rule and generation the model gave it
Statement<int64_t, int128, Timestamp, std::optional<Timestamp>, int64_t, std::optional<int128>,
          std::optional<Period>, int32_t, int32_t>
    insert_rolled_grant{
        "INSERT INTO credits.grants (account, kind, amount, remaining, priority, effective_at, "
        "expires_at, cost_basis, reference, metadata, operation, origin, rollover_max, "
        "rollover_validity, rollover_limit, generation) "
        "SELECT account, kind, $2, $2, priority, $3, $4, cost_basis, reference, metadata, $5, id, "
        "$6, $7, $8, $9 FROM credits.grants WHERE id = $1 RETURNING id"};
Statement<int64_t> first_grant{"SELECT min(id) AS id FROM credits.grants WHERE operation = $1"};
Statement<int64_t> lot_by_id{
    "SELECT g.id, g.account, a.key AS account_key, g.kind, g.amount, g.remaining, g.priority, "
    "g.effective_at, g.expires_at, g.cost_basis, g.voided_at, k.burn_rank, "
    "k.transferable " ROLLOVER_COLUMNS
    " FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "
    "JOIN credits.accounts a ON a.id = g.account WHERE g.id = $1"};

} // namespace

std::optional<Lot> read_lot(Spi& spi, int64_t id, std::string* account_key) {
    if (spi.run(lot_by_id, id) == 0)
        return std::nullopt;
    Lot l;
    l.account = spi.get<int64_t>(0, "account");
    l.open = read_open_grant(spi, 0);
    l.amount = spi.get<int128>(0, "amount");
    l.kind = spi.get<std::string>(0, "kind");
    l.expires_at = grant_expiry(spi.get<std::optional<Timestamp>>(0, "expires_at"));
    l.voided_at = spi.get<std::optional<Timestamp>>(0, "voided_at");
    if (auto cost = spi.datum_copy(0, "cost_basis"))
        l.cost_basis = Numeric{*cost};
    if (account_key)
        *account_key = spi.get<std::string>(0, "account_key");
    return l;
}

Lot lot_in(Spi& spi, const core::Account& model, int64_t id) {
    int64_t root = model.first_of(id);
    std::optional<Lot> lot = read_lot(spi, root);
    if (!lot)
        throw std::logic_error("a lot outside the table and the model");
    if (root != id) {
        lot->open = *model.grant(id);
        lot->expires_at = grant_expiry(lot->open.expires_at == core::kNever
                                           ? std::nullopt
                                           : std::optional<int64_t>(lot->open.expires_at));
    }
    return *lot;
}

void require_not_ended(const Lot& lot, int64_t t, const std::string& why) {
    std::string name = "grant " + std::to_string(lot.open.id);
    if (lot.voided_at)
        throw core::Error(kGrantNotActive, name + " is already voided",
                          "It was voided at " + timestamp_text(*lot.voided_at) + ".");
    if (lot.open.expires_at <= t)
        throw core::Error(kGrantNotActive, name + " has expired",
                          "It expired at " + timestamp_text(lot.open.expires_at) + why + ".");
}

NewGrant successor_of(const Lot& lot, int128 amount, int64_t t) {
    NewGrant g;
    g.kind = lot.kind;
    g.burn_rank = lot.open.burn_rank;
    g.amount = amount;
    g.priority = lot.open.priority;
    g.effective_at = t;
    g.expires_at = lot.expires_at;
    g.cost_basis = lot.cost_basis;
    g.origin = lot.open.id;
    g.rollover = lot.open.rollover;
    g.generation = lot.open.generation;
    return g;
}

std::optional<int64_t> grant_expiry(std::optional<int64_t> expires_at) {
    return expires_at && !TIMESTAMP_IS_NOEND(*expires_at) ? expires_at : std::nullopt;
}

core::RolloverRule rollover_rule(FunctionCallInfo fcinfo, int n,
                                 std::optional<int64_t> expires_at) {
    core::RolloverRule rule;
    if (PG_NARGS() <= n)
        return rule;
    rule.max = optional_credit(fcinfo, n);
    std::optional<core::Period> validity;
    if (!PG_ARGISNULL(n + 1)) {
        const ::Interval* v = PG_GETARG_INTERVAL_P(n + 1);
        validity = core::Period{v->month, v->day, v->time};
    }
    int32_t limit = required_int4(fcinfo, n + 2, "rollover_limit");
    if (!rule.max) {
        if (validity)
            invalid("rollover_validity needs rollover_max (how much may roll over)");
        return rule;
    }
    if (*rule.max < 0)
        invalid("rollover_max must be >= 0, not " + credit_text(*rule.max));
    if (!expires_at || TIMESTAMP_IS_NOEND(*expires_at))
        invalid("a rollover rule needs expires_at: credits that never expire never roll over");
    if (limit < 0)
        invalid("rollover_limit must be >= 0, not " + std::to_string(limit));
    if (validity) {
        std::string text = output_text(INTERVALOID, PG_GETARG_DATUM(n + 1));
        int64_t next = 0;
        try {
            next = core::add_period(*expires_at, *validity);
        } catch (const std::overflow_error&) {
            invalid("rollover_validity " + text + " takes the rolled credits' expiry out of range");
        }
        if (next <= *expires_at)
            invalid("rollover_validity must be positive, not " + text);
    }
    rule.validity = validity;
    rule.again = limit;
    return rule;
}

int32_t kind_burn_rank(Spi& spi, const std::string& kind) {
    if (spi.run(kind_rank, kind) == 0)
        invalid("unknown kind \"" + kind + "\" (see credits.kinds)");
    return spi.get<int32_t>(0, "burn_rank");
}

void require_expiry_after(const NewGrant& grant, int64_t t) {
    int64_t start = std::max(grant.effective_at, t);
    if (grant.expires_at && *grant.expires_at <= start)
        invalid("expires_at (" + timestamp_text(*grant.expires_at) + ") must be later than " +
                (grant.effective_at > t ? "effective_at" : "the ledger clock") + " (" +
                timestamp_text(start) + ")");
}

int64_t write_grant(Spi& spi, int64_t op_id, const AccountRow& account, core::Account& model,
                    int64_t t, const NewGrant& grant) {
    if (has_column("grants", "generation"))
        spi.run(insert_grant_1_1, account.id, grant.kind, grant.amount, grant.priority,
                grant.effective_at, grant.expires_at, grant.cost_basis, grant.reference,
                Jsonb{grant.metadata}, op_id, grant.origin, grant.rollover.max,
                grant.rollover.validity, grant.rollover.again, grant.generation);
    else
        spi.run(insert_grant, account.id, grant.kind, grant.amount, grant.priority,
                grant.effective_at, grant.expires_at, grant.cost_basis, grant.reference,
                Jsonb{grant.metadata}, op_id);
    core::OpenGrant open;
    open.id = spi.get<int64_t>(0, "id");
    open.remaining = grant.amount;
    open.priority = grant.priority;
    open.effective_at = grant.effective_at;
    open.expires_at = expiry(grant.expires_at);
    open.burn_rank = grant.burn_rank;
    open.rollover = grant.rollover;
    open.generation = grant.generation;
    model.add_grant(open, t); // repays debt first: its movements are written next
    return open.id;
}

void write_rolled_grants(Spi& spi, int64_t op_id, core::Account& model) {
    for (std::size_t i = 0; i < model.rolled().size(); i++) {
        // a copy: assign_id() rewrites the list (and this one's origin got its id already)
        const core::RolledGrant r = model.rolled()[i];
        if (r.id > 0)
            continue; // written by an earlier call
        const core::OpenGrant& g = *model.grant(r.id);
        std::optional<Timestamp> expires;
        if (g.expires_at != core::kNever)
            expires = g.expires_at;
        spi.run(insert_rolled_grant, r.origin, r.amount, g.effective_at, expires, op_id,
                g.rollover.max, g.rollover.validity, g.rollover.again, g.generation);
        model.assign_id(r.id, spi.get<int64_t>(0, "id"));
    }
}

std::optional<int64_t> first_grant_of(Spi& spi, int64_t op_id) {
    spi.run(first_grant, op_id);
    return spi.get<std::optional<int64_t>>(0, "id");
}

} // namespace credits::pg
