// The operation pipeline every ledger writer goes through, in this order:
// arguments parsed and validated (by the caller) → request hash → lock the
// account → replay or CR004 → status check → ledger clock → plan in the
// pure core → write. An operation supplies only its plan step (and the rows
// of its own it writes); nothing is written until the plan succeeded.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "args.hpp"
#include "ledger.hpp"

namespace credits::pg {

// What every operation records: its row in credits.operations.
struct OperationRecord {
    const char* type;
    std::optional<int128> amount;
    std::optional<std::string> idempotency_key;
    std::optional<std::string> reference;
    Datum metadata;
    uint8_t request_hash[core::kHashSize] = {};
    int64_t effective_at = 0;
};

// Inserts the operation row; returns its id.
int64_t record_operation(Spi& spi, int64_t account, const OperationRecord& op);

// The operation recorded earlier under this idempotency key when it was the
// same request (same type and request hash); CR004 when it was another.
std::optional<int64_t> replayed_operation(Spi& spi, const AccountRow& account,
                                          const OperationRecord& op);

// The wall-clock time rows are recorded at.
int64_t now_wallclock();

// Runs one operation on the account `account_key` (`op.request_hash` set)
// over the caller's SPI connection (on which it may have validated
// arguments first, such as a grant's kind); the caller finishes it:
// - replayed(spi, prior_op_id) → the result of the operation replayed;
// - plan(model, t, account) changes the in-memory account at the ledger
//   time t, and may throw; false declines the operation (nothing is
//   written, no result);
// - write(spi, op_id, model, t, account) writes the operation's own rows
//   (and may add to the model what needs their ids) → the result.
// Then the model's movements become journal entries and the account's
// figures are saved.
template <class Replayed, class Plan, class Write>
std::optional<int64_t> run_operation(Spi& spi, const std::string& account_key, OperationRecord& op,
                                     Replayed replayed, Plan plan, Write write) {
    LedgerClock clock = ledger_clock();
    AccountRow account = read_account(spi, account_key, true);
    if (auto prior = replayed_operation(spi, account, op))
        return replayed(spi, *prior);
    require_active(account);
    int64_t t = effective_time(clock, account);
    core::Account model(open_grants(spi, account.id, false), account.debt);
    model.advance(account.last_effective_at.value_or(t), t);
    if (!plan(model, t, account))
        return std::nullopt;
    op.effective_at = t;
    int64_t op_id = record_operation(spi, account.id, op);
    int64_t result = write(spi, op_id, model, t, std::as_const(account));
    write_movements(spi, account, op_id, model.movements(), now_wallclock());
    save_account(spi, account, model, t);
    return result;
}

} // namespace credits::pg
