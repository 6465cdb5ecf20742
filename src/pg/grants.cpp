// New grants (grants.hpp).
#include "grants.hpp"

#include "args.hpp"

extern "C" {
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
// a grant whose credits came from another (only operations new in 1.1 write one)
Statement<int64_t, std::string, int128, int32_t, Timestamp, std::optional<Timestamp>,
          std::optional<Numeric>, std::optional<std::string>, Jsonb, int64_t, int64_t>
    insert_grant_with_origin{
        "INSERT INTO credits.grants (account, kind, amount, remaining, priority, "
        "effective_at, expires_at, cost_basis, reference, metadata, operation, origin) "
        "VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"};
Statement<int64_t> first_grant{"SELECT min(id) AS id FROM credits.grants WHERE operation = $1"};
Statement<int64_t> lot_by_id{
    "SELECT g.id, g.account, a.key AS account_key, g.kind, g.amount, g.remaining, g.priority, "
    "g.effective_at, g.expires_at, g.cost_basis, g.voided_at, k.burn_rank, k.transferable "
    "FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "
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
    return g;
}

std::optional<int64_t> grant_expiry(std::optional<int64_t> expires_at) {
    return expires_at && !TIMESTAMP_IS_NOEND(*expires_at) ? expires_at : std::nullopt;
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
    if (grant.origin)
        spi.run(insert_grant_with_origin, account.id, grant.kind, grant.amount, grant.priority,
                grant.effective_at, grant.expires_at, grant.cost_basis, grant.reference,
                Jsonb{grant.metadata}, op_id, *grant.origin);
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
    model.add_grant(open, t); // repays debt first: its movements are written next
    return open.id;
}

std::optional<int64_t> first_grant_of(Spi& spi, int64_t op_id) {
    spi.run(first_grant, op_id);
    return spi.get<std::optional<int64_t>>(0, "id");
}

} // namespace credits::pg
