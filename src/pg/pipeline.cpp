// The operation pipeline (pipeline.hpp).
#include "pipeline.hpp"

#include <algorithm>
#include <utility>

#include "actor.hpp"
#include "error.hpp"
#include "errors.hpp"
#include "grants.hpp"
#include "signals.hpp"

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
#define INSERT_OPERATION(more_columns, more_values)                                                \
    "INSERT INTO credits.operations (account, type, amount, idempotency_key, request_hash, "       \
    "reference, metadata, effective_at, recorded_at, actor, actor_role" more_columns ") "          \
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11" more_values ") RETURNING id"
Statement<int64_t, std::string, std::optional<int128>, std::optional<std::string>, Bytes,
          std::optional<std::string>, Jsonb, Timestamp, Timestamp, std::string, std::string>
    insert_operation{INSERT_OPERATION("", "")};
// a counterparty's record (schema 1.1)
Statement<int64_t, std::string, std::optional<int128>, std::optional<std::string>, Bytes,
          std::optional<std::string>, Jsonb, Timestamp, Timestamp, std::string, std::string,
          int64_t>
    insert_party_operation{INSERT_OPERATION(", on_behalf_of", ", $12")};

} // namespace

int64_t now_wallclock() {
    return GetCurrentTimestamp();
}

int64_t record_operation(Spi& spi, int64_t account, const OperationRecord& op) {
    Actor actor = current_actor();
    if (op.on_behalf_of)
        spi.run(insert_party_operation, account, std::string(op.type), op.amount,
                op.idempotency_key, Bytes{op.request_hash, core::kHashSize}, op.reference,
                Jsonb{op.metadata}, op.effective_at, now_wallclock(), actor.session, actor.role,
                *op.on_behalf_of);
    else
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
// `account` and `parties` (in the order of `others`). With `skip_locked`
// (one account only) false when another transaction holds its lock.
bool lock_in_id_order(Spi& spi, const std::string& key, const std::vector<std::string>& others,
                      AccountRow& account, std::vector<Party>& parties, bool skip_locked) {
    if (skip_locked && others.empty()) {
        std::optional<AccountRow> row = try_lock_account(spi, key);
        if (!row)
            return false;
        account = std::move(*row);
        return true;
    }
    if (others.empty()) {
        account = read_account(spi, key, true);
        return true;
    }
    std::vector<std::pair<int64_t, std::size_t>> order; // (id, 0 = key, i + 1 = others[i])
    for (std::size_t i = 0; i <= others.size(); i++) {
        const std::string& k = i == 0 ? key : others[i - 1];
        std::optional<int64_t> id = account_id(spi, k);
        if (!id)
            read_account(spi, k, false); // CR002
        order.emplace_back(*id, i);
    }
    std::sort(order.begin(), order.end());
    parties.resize(others.size());
    for (const auto& [id, i] : order) {
        if (i == 0)
            account = read_account(spi, key, true);
        else
            parties[i - 1].account = read_account(spi, others[i - 1], true);
    }
    return true;
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
    std::vector<std::string> others = step.counterparties();
    step.ancestors_.clear();
    if (step.draws_on_pool() && has_column("accounts", "parent")) {
        for (const std::string& key : ancestor_keys(spi, account_key)) {
            auto at = std::find(others.begin(), others.end(), key);
            step.ancestors_.push_back(at - others.begin());
            if (at == others.end())
                others.push_back(key);
        }
    }
    if (!lock_in_id_order(spi, account_key, others, account, parties, step.skips_locked()))
        return false;
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
    if (step.requires_active())
        require_active(account);
    std::optional<int64_t> at = step.instant();
    if (at && account.last_effective_at && *at < *account.last_effective_at)
        return false; // the account has moved past it
    int64_t t = at ? *at : effective_time(clock, account);
    for (const Party& p : parties) {
        require_active(p.account);
        t = std::max(t, effective_time(clock, p.account));
    }
    std::vector<HoldLot> returned;
    core::Account model = account_at(spi, account, t, false, &returned);
    for (Party& p : parties)
        p.model = account_at(spi, p.account, t, false, &p.returned);
    step.parties_ = &parties;
    step.account_ = &account;
    step.model_ = &model;
    if (!step.plan(spi, model, t, std::as_const(account)))
        return false;
    op.effective_at = t;
    int64_t op_id = record_operation(spi, account.id, op);
    OperationRecord party_op = op;
    std::string party_type = step.counterparty_type(op);
    party_op.type = party_type.c_str();
    party_op.idempotency_key.reset();
    party_op.on_behalf_of = op_id;
    for (Party& p : parties)
        if (p.touched || !p.model.movements().empty())
            p.operation = record_operation(spi, p.account.id, party_op);
    // grants rolled over on the way exist before the step writes rows naming them
    write_rolled_grants(spi, op_id, model);
    for (Party& p : parties)
        if (p.operation)
            write_rolled_grants(spi, p.operation, p.model);
    step.write(spi, op_id, model, t, std::as_const(account));
    int64_t recorded_at = now_wallclock();
    write_movements(spi, account, op_id, model.movements(), recorded_at);
    save_account(spi, account, model, t);
    mark_returned(spi, returned, op_id);
    signal_account(spi, account, op_id, model, t);
    for (Party& p : parties) {
        if (!p.operation) { // nothing of its own changed, but what it drew may have
            save_pool_drawn(spi, p.account);
            continue;
        }
        mark_returned(spi, p.returned, p.operation);
        write_movements(spi, p.account, p.operation, p.model.movements(), recorded_at);
        save_account(spi, p.account, p.model, t);
        signal_account(spi, p.account, p.operation, p.model, t);
    }
    return true;
}

std::vector<core::PoolLevel> Step::pool_levels(Spi& spi, int64_t t) {
    std::vector<core::PoolLevel> levels;
    for (std::size_t level = 0; level <= ancestors_.size(); level++) {
        const AccountRow& row = pool_row(level);
        int128 drawn = 0;
        if (row.pool_limit)
            drawn = core::add(row.pool_drawn, held_through(spi, row.id, t, false));
        levels.push_back({&pool_model(level), row.pool_limit, drawn});
    }
    return levels;
}

void Step::add_drawn(std::size_t level, int128 consumed) {
    for (std::size_t below = 0; below < level; below++) {
        AccountRow& row = pool_row(below);
        row.pool_drawn = std::max<int128>(0, core::add(row.pool_drawn, consumed));
    }
}

std::size_t Step::pool_level_of(int64_t account) const {
    if (account == account_->id)
        return 0;
    for (std::size_t i = 0; i < ancestors_.size(); i++)
        if ((*parties_)[ancestors_[i]].account.id == account)
            return i + 1;
    throw std::logic_error("an account outside the operation's pool");
}

int64_t Step::written_id(int64_t grant) const {
    int64_t id = model_->id_of(grant);
    for (const Party& p : *parties_)
        id = id == grant ? p.model.id_of(grant) : id;
    return id;
}

core::Account& Step::pool_model(std::size_t level) {
    return level == 0 ? *model_ : (*parties_)[ancestors_[level - 1]].model;
}

AccountRow& Step::pool_row(std::size_t level) {
    return level == 0 ? *account_ : (*parties_)[ancestors_[level - 1]].account;
}

bool Step::debit_from_pool(Spi& spi, const AccountRow& account, int128 amount, int64_t t,
                           int128& available) {
    std::vector<core::PoolLevel> levels = pool_levels(spi, t);
    std::optional<core::PoolDraw> draw =
        core::debit(levels, amount, account.overdraft_limit, t, available);
    if (!draw)
        return false;
    for (std::size_t level = 1; level < draw->lots.size(); level++)
        for (const auto& lot : draw->lots[level])
            add_drawn(level, lot.second);
    return true;
}

std::optional<std::vector<std::pair<int64_t, int128>>>
Step::hold_from_pool(Spi& spi, int128 amount, int64_t t, int128& available) {
    std::vector<core::PoolLevel> levels = pool_levels(spi, t);
    std::optional<core::PoolDraw> draw =
        core::take_from_pool(levels, amount, 0, t, core::EntryType::Hold, available);
    if (!draw)
        return std::nullopt;
    std::vector<std::pair<int64_t, int128>> pinned;
    for (const auto& lots : draw->lots)
        pinned.insert(pinned.end(), lots.begin(), lots.end());
    return pinned;
}

Datum empty_jsonb() {
    Datum d = 0;
    guarded([&] { d = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")); });
    return d;
}

} // namespace credits::pg
