// The non-template steps of the operation pipeline (pipeline.hpp).
#include "pipeline.hpp"

#include <algorithm>

#include "actor.hpp"
#include "error.hpp"
#include "errors.hpp"

extern "C" {
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

Statement<int64_t, std::string> find_operation{
    "SELECT id, type, request_hash FROM credits.operations "
    "WHERE account = $1 AND idempotency_key = $2"};
Statement<int64_t, std::string, std::optional<int128>, std::optional<std::string>, Bytes,
          std::optional<std::string>, Jsonb, Timestamp, Timestamp, std::string, std::string>
    insert_operation{
        "INSERT INTO credits.operations (account, type, amount, idempotency_key, request_hash, "
        "reference, metadata, effective_at, recorded_at, actor, actor_role) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"};

} // namespace

int64_t now_wallclock() {
    return GetCurrentTimestamp();
}

int64_t record_operation(Spi& spi, int64_t account, const OperationRecord& op) {
    Actor actor = current_actor();
    spi.run(insert_operation, account, std::string(op.type), op.amount, op.idempotency_key,
            Bytes{op.request_hash, core::kHashSize}, op.reference, Jsonb{op.metadata},
            op.effective_at, now_wallclock(), actor.session, actor.role);
    return spi.get<int64_t>(0, "id");
}

std::optional<int64_t> replayed_operation(Spi& spi, const AccountRow& account,
                                          const OperationRecord& op) {
    if (!op.idempotency_key)
        return std::nullopt;
    const std::string& key = *op.idempotency_key;
    if (spi.run(find_operation, account.id, key) == 0)
        return std::nullopt;
    uint8_t stored[core::kHashSize];
    bool same = spi.get<std::string>(0, "type") == op.type && spi.hash(0, "request_hash", stored) &&
                std::equal(stored, stored + core::kHashSize, op.request_hash);
    if (!same)
        throw core::Error(kIdempotencyConflict,
                          "idempotency key \"" + key + "\" was already used on account \"" +
                              account.key + "\" with different arguments",
                          "A retry must repeat the first call exactly; use a new key for a new "
                          "request.");
    return spi.get<int64_t>(0, "id");
}

} // namespace credits::pg
