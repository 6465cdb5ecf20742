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

Statement<std::string> account_id{"SELECT id FROM credits.accounts WHERE key = $1"};
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

// Locks the account `key` and the counterparties in id order; fills
// `account` and `parties` (in the order of `others`).
void lock_in_id_order(Spi& spi, const std::string& key, const std::vector<std::string>& others,
                      AccountRow& account, std::vector<Party>& parties) {
    if (others.empty()) {
        account = read_account(spi, key, true);
        return;
    }
    std::vector<std::pair<int64_t, std::size_t>> order; // (id, 0 = key, i + 1 = others[i])
    for (std::size_t i = 0; i <= others.size(); i++) {
        const std::string& k = i == 0 ? key : others[i - 1];
        if (spi.read(account_id, k) == 0)
            read_account(spi, k, false); // CR002
        order.emplace_back(spi.get<int64_t>(0, "id"), i);
    }
    std::sort(order.begin(), order.end());
    parties.resize(others.size());
    for (const auto& [id, i] : order) {
        if (i == 0)
            account = read_account(spi, key, true);
        else
            parties[i - 1].account = read_account(spi, others[i - 1], true);
    }
}

} // namespace

void key_conflict(const AccountRow& account, const std::string& key) {
    request_conflict("idempotency key \"" + key + "\" was already used on account \"" +
                     account.key + "\" with different arguments");
}

bool run_operation(Spi& spi, const std::string& account_key, OperationRecord& op, Step& step) {
    LedgerClock clock = ledger_clock();
    AccountRow account;
    std::vector<Party> parties;
    lock_in_id_order(spi, account_key, step.counterparties(), account, parties);
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
    for (const Party& p : parties) {
        require_active(p.account);
        t = std::max(t, effective_time(clock, p.account));
    }
    std::vector<int64_t> expired_holds;
    core::Account model = account_at(spi, account, t, false, &expired_holds);
    for (Party& p : parties)
        p.model = account_at(spi, p.account, t, false, &p.expired_holds);
    step.parties_ = &parties;
    if (!step.plan(spi, model, t, std::as_const(account)))
        return false;
    op.effective_at = t;
    int64_t op_id = record_operation(spi, account.id, op);
    OperationRecord party_op = op;
    party_op.type = step.counterparty_type();
    party_op.idempotency_key.reset();
    for (Party& p : parties)
        p.operation = record_operation(spi, p.account.id, party_op);
    step.write(spi, op_id, model, t, std::as_const(account));
    int64_t recorded_at = now_wallclock();
    write_movements(spi, account, op_id, model.movements(), recorded_at);
    save_account(spi, account, model, t);
    mark_holds_expired(spi, expired_holds, op_id);
    for (Party& p : parties) {
        mark_holds_expired(spi, p.expired_holds, p.operation);
        write_movements(spi, p.account, p.operation, p.model.movements(), recorded_at);
        save_account(spi, p.account, p.model, t);
    }
    return true;
}

Datum empty_jsonb() {
    Datum d = 0;
    guarded([&] { d = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")); });
    return d;
}

} // namespace credits::pg
