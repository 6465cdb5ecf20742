// The operation pipeline every ledger writer goes through, in this order:
// arguments parsed and validated (by the caller) → request hash → lock the
// account → replay or CR004 → status check → ledger clock → plan in the
// pure core → write. An operation supplies only its plan step (and the rows
// of its own it writes); nothing is written until the plan succeeded.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// CR004: idempotency key `key` was used on the account by another request.
[[noreturn]] void key_conflict(const AccountRow& account, const std::string& key);

// The wall-clock time rows are recorded at.
int64_t now_wallclock();

// An account an operation changes besides its own (a transfer's
// destination): its row, locked, and its in-memory model at the ledger time.
struct Party {
    AccountRow account;
    core::Account model{{}, 0};
    // Its own record of the operation (every entry names an operation of
    // its account): set before write().
    int64_t operation = 0;
    std::vector<int64_t> expired_holds; // released by this operation
};

// An operation's own part of the pipeline: everything else (locking, the
// idempotency check, the status check, the clock, the journal) is shared.
class Step {
  public:
    virtual ~Step() = default;
    // The keys of the accounts the operation changes besides its own; the
    // pipeline locks all of them with it in id order (so two operations on
    // the same accounts never deadlock) and checks that they are active.
    virtual std::vector<std::string> counterparties() const { return {}; }
    // The type of the operation row each counterparty gets (the same
    // amount, reference and metadata; no idempotency key).
    virtual const char* counterparty_type() const { return "counterparty"; }
    // The type of operation recorded by this step's version in release 1.0
    // under the caller's key, when that was a plain grant: such a grant is
    // this request's first run (a retry across the update replays it).
    virtual bool continues_1_0_grant() const { return false; }
    // What this request repeats besides an operation under its idempotency
    // key (an SLA credit for the same period): kNone; kOperation with
    // `prior` set, compared and replayed like a key's; or kAnswered when
    // the step has set its result itself (rows written before 1.1).
    enum Earlier { kNone, kOperation, kAnswered };
    virtual Earlier earlier(Spi&, const AccountRow&, int64_t& /*prior*/) { return kNone; }
    // The CR004 message when the operation earlier() found was another request.
    virtual std::string earlier_conflict(const AccountRow&) const { return {}; }
    // Sets the result from the operation `prior` recorded earlier.
    virtual void replay(Spi& spi, int64_t prior) = 0;
    // Changes the in-memory account at the ledger time t, in the pure core;
    // may read what it needs and throw. False declines the operation
    // (nothing is written, no result).
    virtual bool plan(Spi& spi, core::Account& model, int64_t t, const AccountRow& account) = 0;
    // Writes the operation's own rows (adding to the model what needs their
    // ids) and sets the result.
    virtual void write(Spi& spi, int64_t op_id, core::Account& model, int64_t t,
                       const AccountRow& account) = 0;

  protected:
    // Counterparty i (as counterparties() named it), during plan() and write().
    Party& counterparty(std::size_t i) { return (*parties_)[i]; }

  private:
    friend bool run_operation(Spi&, const std::string&, OperationRecord&, Step&);
    std::vector<Party>* parties_ = nullptr;
};

// Runs one operation on the account `account_key` (`op.request_hash` set)
// over the caller's SPI connection (the caller finishes it): lock it and
// its counterparties in id order → replay or CR004 → status → clock → plan
// → record the operation → write → each account's movements as journal
// entries in its own chain → the accounts' figures. False when the step
// declined.
bool run_operation(Spi& spi, const std::string& account_key, OperationRecord& op, Step& step);

// The Datum of jsonb '{}' (metadata of operations that take none).
Datum empty_jsonb();

} // namespace credits::pg
