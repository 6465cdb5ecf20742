// The operation pipeline (pipeline.hpp).
#include "pipeline.hpp"

#include <algorithm>
#include <utility>

#include "actor.hpp"
#include "error.hpp"
#include "errors.hpp"

extern "C" {
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

Statement<int64_t> operation_by_id{
    "SELECT id, type, request_hash FROM credits.operations WHERE id = $1"};
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

namespace {

// CR004 with `message`.
[[noreturn]] void request_conflict(const std::string& message) {
    throw core::Error(kIdempotencyConflict, message,
                      "A retry must repeat the first call exactly; use a new key for a new "
                      "request.");
}

// Whether the operation in the last result (type, request_hash) was this
// same request.
bool same_request(Spi& spi, const OperationRecord& op, const Step& step) {
    std::string type = spi.get<std::string>(0, "type");
    if (type == "grant" && type != op.type && step.continues_1_0_grant())
        return true;
    uint8_t stored[core::kHashSize];
    return type == op.type && spi.hash(0, "request_hash", stored) &&
           std::equal(stored, stored + core::kHashSize, op.request_hash);
}

std::optional<int64_t> replayed_operation(Spi& spi, const AccountRow& account,
                                          const OperationRecord& op, const Step& step) {
    if (!op.idempotency_key)
        return std::nullopt;
    const std::string& key = *op.idempotency_key;
    if (spi.run(find_operation, account.id, key) == 0)
        return std::nullopt;
    if (!same_request(spi, op, step))
        key_conflict(account, key);
    return spi.get<int64_t>(0, "id");
}

} // namespace

void key_conflict(const AccountRow& account, const std::string& key) {
    request_conflict("idempotency key \"" + key + "\" was already used on account \"" +
                     account.key + "\" with different arguments");
}

bool run_operation(Spi& spi, const std::string& account_key, OperationRecord& op, Step& step) {
    LedgerClock clock = ledger_clock();
    AccountRow account = read_account(spi, account_key, true);
    std::optional<int64_t> prior = replayed_operation(spi, account, op, step);
    if (!prior) {
        int64_t earlier = 0;
        switch (step.earlier(spi, account, earlier)) {
        case Step::kNone:
            break;
        case Step::kAnswered:
            return true;
        case Step::kOperation:
            spi.run(operation_by_id, earlier);
            if (!same_request(spi, op, step))
                request_conflict(step.earlier_conflict(account));
            prior = earlier;
        }
    }
    if (prior) {
        step.replay(spi, *prior);
        return true;
    }
    require_active(account);
    int64_t t = effective_time(clock, account);
    core::Account model(open_grants(spi, account.id, false), account.debt);
    model.advance(account.last_effective_at.value_or(t), t);
    if (!step.plan(spi, model, t, std::as_const(account)))
        return false;
    op.effective_at = t;
    int64_t op_id = record_operation(spi, account.id, op);
    step.write(spi, op_id, model, t, std::as_const(account));
    write_movements(spi, account, op_id, model.movements(), now_wallclock());
    save_account(spi, account, model, t);
    return true;
}

Datum empty_jsonb() {
    Datum d = 0;
    guarded([&] { d = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")); });
    return d;
}

} // namespace credits::pg
