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
#include "pool.hpp"

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
    // a counterparty's record: the operation it is part of
    std::optional<int64_t> on_behalf_of = std::nullopt;
};

// Inserts the operation row; returns its id.
int64_t record_operation(Spi& spi, int64_t account, const OperationRecord& op);

// CR004: idempotency key `key` was used on the account by another request.
[[noreturn]] void key_conflict(const AccountRow& account, const std::string& key);

// The wall-clock time rows are recorded at.
int64_t now_wallclock();

// An account an operation changes besides its own (a transfer's
// destination, a pool's ancestor): its row, locked, and its in-memory model
// at the ledger time.
struct Party {
    AccountRow account;
    core::Account model{{}, 0};
    // Its own record of the operation (every entry names an operation of
    // its account): set before write() when it has movements or `touched`.
    int64_t operation = 0;
    bool touched = false;          // the step writes rows for it
    std::vector<HoldLot> returned; // expired hold lots it got back
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
    // amount, reference and metadata, no idempotency key, on_behalf_of the
    // operation): pool_<type> unless the step says otherwise.
    virtual std::string counterparty_type(const OperationRecord& op) const {
        return std::string("pool_") + op.type;
    }
    // Whether the operation may touch the account's pool: its ancestors are
    // then locked with it and pool_levels() describes them.
    virtual bool draws_on_pool() const { return false; }
    // Whether to pass over an account another transaction has locked (the
    // expiry sweep never waits), rather than wait for it.
    virtual bool skips_locked() const { return false; }
    // The instant the operation takes effect when it is not the ledger
    // clock (the sweep's as_of); an account already past it is passed over.
    virtual std::optional<int64_t> instant() const { return std::nullopt; }
    // Whether the accounts must be active (CR003 otherwise); time passes for
    // frozen and closed accounts too, so the sweep does not ask.
    virtual bool requires_active() const { return true; }
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

    // The pool chain for core::draw_from_pool(), during plan(): level 0 is
    // the operation's account, then its ancestors, nearest first. A level's
    // drawn is what it consumed from above it plus what holds of its
    // subtree pin above it now (only levels with a limit need it).
    std::vector<core::PoolLevel> pool_levels(Spi& spi, int64_t t);
    // Records that `consumed` credits of level `level`'s lots were consumed
    // for the operation's account (negative: given back): the pool_drawn
    // of every level below it changes.
    void add_drawn(std::size_t level, int128 consumed);
    // The pool level of the account with id `account` (0: the operation's).
    std::size_t pool_level_of(int64_t account) const;
    // The in-memory account of pool level `level`, and its party (level > 0).
    core::Account& pool_model(std::size_t level);
    Party& pool_party(std::size_t level) { return (*parties_)[ancestors_[level - 1]]; }
    // The id of grant `grant` in the table, during write(): a grant the
    // operation's models rolled over has one by then.
    int64_t written_id(int64_t grant) const;
    // How many ancestors the pool chain has.
    std::size_t pool_depth() const { return ancestors_.size(); }

    // Debits `amount` at t: the account's own live lots, then its pool's
    // (draws_on_pool()), then its overdraft; false, changing nothing, when
    // that does not cover it. `available` receives what could be taken.
    bool debit_from_pool(Spi& spi, const AccountRow& account, int128 amount, int64_t t,
                         int128& available);
    // Pins `amount` at t from the account's own live lots, then its
    // pool's, never overdraft; the lots pinned, or nothing (changing
    // nothing) when they do not cover it (`available`: what they hold).
    std::optional<std::vector<std::pair<int64_t, int128>>>
    hold_from_pool(Spi& spi, int128 amount, int64_t t, int128& available);

  private:
    friend bool run_operation(Spi&, const std::string&, OperationRecord&, Step&);
    AccountRow& pool_row(std::size_t level);
    std::vector<Party>* parties_ = nullptr;
    std::vector<std::size_t> ancestors_; // indices into *parties_, nearest first
    AccountRow* account_ = nullptr;
    core::Account* model_ = nullptr;
};

// Runs one operation on the account `account_key` (`op.request_hash` set)
// over the caller's SPI connection (the caller finishes it): lock it and
// its counterparties in id order → replay or CR004 → status → clock → plan
// → record the operation → write → each account's movements as journal
// entries in its own chain → the accounts' figures. False when the step
// declined or the account was passed over (skips_locked(), instant()).
bool run_operation(Spi& spi, const std::string& account_key, OperationRecord& op, Step& step);

// The Datum of jsonb '{}' (metadata of operations that take none).
Datum empty_jsonb();

} // namespace credits::pg
