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

Statement find_operation = {"SELECT id, type, request_hash FROM credits.operations "
                            "WHERE account = $1 AND idempotency_key = $2",
                            "IT"};
Statement insert_operation = {
    "INSERT INTO credits.operations (account, type, amount, idempotency_key, request_hash, "
    "reference, metadata, effective_at, recorded_at, actor, actor_role) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    "ITCTBTJSSTT"};

} // namespace

int64_t now_wallclock() {
    return GetCurrentTimestamp();
}

int64_t record_operation(Spi& spi, int64_t account, const OperationRecord& op) {
    Actor actor = current_actor();
    spi.run(insert_operation,
            {int8_param(account), text_param(std::string(op.type)),
             op.amount ? credit_param(*op.amount) : Param{}, text_param(op.idempotency_key),
             bytea_param(op.request_hash, core::kHashSize), text_param(op.reference),
             datum_param(op.metadata, false), timestamp_param(op.effective_at),
             timestamp_param(now_wallclock()), text_param(actor.session), text_param(actor.role)});
    return spi.int8(0, 1);
}

std::optional<int64_t> replayed_operation(Spi& spi, const AccountRow& account,
                                          const OperationRecord& op) {
    if (!op.idempotency_key)
        return std::nullopt;
    const std::string& key = *op.idempotency_key;
    if (spi.run(find_operation, {int8_param(account.id), text_param(key)}) == 0)
        return std::nullopt;
    uint8_t stored[core::kHashSize];
    bool same = spi.string(0, 2) == op.type && spi.hash(0, 3, stored) &&
                std::equal(stored, stored + core::kHashSize, op.request_hash);
    if (!same)
        throw core::Error(kIdempotencyConflict,
                          "idempotency key \"" + key + "\" was already used on account \"" +
                              account.key + "\" with different arguments",
                          "A retry must repeat the first call exactly; use a new key for a new "
                          "request.");
    return spi.int8(0, 1);
}

} // namespace credits::pg
