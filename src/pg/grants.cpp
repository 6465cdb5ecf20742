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

} // namespace

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
