// credits.void_grant and credits.reverse: taking back what a grant still
// holds, and giving back what a debit took, to the lots that paid for it.
// Both are plan steps of the operation pipeline on the account they concern.
#include "error.hpp"
#include "errors.hpp"
#include "grants.hpp"
#include "pipeline.hpp"

namespace credits::pg {

namespace {

// ---------------------------------------------------------------------------
// void_grant

// What active holds, not expired by $2, pin in grant $1.
Statement<int64_t, Timestamp> held_in_grant{
    "SELECT COALESCE(@extschema@.sum(hl.amount), '0'::@extschema@.credit) AS held "
    "FROM credits.hold_lots hl JOIN credits.holds h ON h.id = hl.hold "
    "WHERE hl.\"grant\" = $1 AND hl.returned_by IS NULL AND h.expires_at > $2"};
Statement<int64_t, Timestamp> mark_voided{"UPDATE credits.grants SET voided_at = $2 WHERE id = $1"};

class VoidStep : public Step {
  public:
    VoidStep(int64_t grant, OperationRecord& op) : grant_(grant), op_(op) {}
    int64_t result = 0;

    void replay(Spi&, int64_t prior) override { result = prior; }
    bool plan(Spi& spi, core::Account& model, int64_t t, const AccountRow&) override {
        Lot lot = *read_lot(spi, grant_);
        std::string name = "grant " + std::to_string(grant_);
        require_not_ended(lot, t, "");
        spi.run(held_in_grant, grant_, t);
        if (int128 held = spi.get<int128>(0, "held"); held > 0)
            throw core::Error(kGrantInUse, name + " has credits held",
                              credit_text(held) +
                                  " of it is pinned to active holds; capture or release them "
                                  "first.");
        op_.amount = model.void_grant(grant_, t);
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account&, int64_t t, const AccountRow&) override {
        spi.run(mark_voided, grant_, t);
        result = op_id;
    }

  private:
    int64_t grant_;
    OperationRecord& op_;
};

// ---------------------------------------------------------------------------
// reverse

Statement<int64_t> operation_to_reverse{
    "SELECT o.type, a.key AS account_key FROM credits.operations o "
    "JOIN credits.accounts a ON a.id = o.account WHERE o.id = $1"};
// What the operation took, last-burned first: lots ("grant" set; in a
// pool, its ancestors' too) and debt.
Statement<int64_t> burn_records{
    "SELECT e.account, e.\"grant\", OPERATOR(@extschema@.-) e.delta AS taken, e.seq "
    "FROM credits.entries e WHERE (e.operation = $1 OR e.operation IN "
    "(SELECT id FROM credits.operations WHERE on_behalf_of = $1)) "
    "AND e.type IN ('burn', 'overdraft') ORDER BY e.id DESC"};
Statement<int64_t> reversed_before{
    "SELECT COALESCE(@extschema@.sum(amount), '0'::@extschema@.credit) AS total "
    "FROM credits.reversals WHERE original = $1"};
// Lots that repaid debt after entry $2 of account $1, latest first.
Statement<int64_t, int64_t> repayments_after{
    "SELECT e.\"grant\", OPERATOR(@extschema@.-) e.delta AS taken FROM credits.entries e "
    "WHERE e.account = $1 AND e.seq > $2 AND e.type = 'repay' AND e.\"grant\" IS NOT NULL "
    "ORDER BY e.seq DESC"};
Statement<int64_t, int64_t, int128> insert_reversal{
    "INSERT INTO credits.reversals (operation, original, amount) VALUES ($1, $2, $3)"};

class ReverseStep : public Step {
  public:
    ReverseStep(int64_t original, std::optional<int128> amount,
                std::optional<int64_t> reinstate_until, OperationRecord& op)
        : original_(original), amount_(amount), reinstate_until_(reinstate_until), op_(op) {}
    int64_t result = 0;

    void replay(Spi&, int64_t prior) override { result = prior; }
    bool draws_on_pool() const override { return true; }
    bool plan(Spi& spi, core::Account& model, int64_t t, const AccountRow& account) override {
        if (reinstate_until_ && *reinstate_until_ <= t)
            invalid("reinstate_until (" + timestamp_text(*reinstate_until_) +
                    ") must be later than the ledger clock (" + timestamp_text(t) + ")");
        uint64_t n = spi.run(burn_records, original_);
        struct Record {
            std::optional<int64_t> lot;
            int128 taken;
        };
        std::vector<Record> lots;
        int128 debt_part = 0, total = 0;
        int64_t last_seq = 0;
        for (uint64_t i = 0; i < n; i++) {
            Record r{spi.get<std::optional<int64_t>>(i, "grant"), spi.get<int128>(i, "taken")};
            if (spi.get<int64_t>(i, "account") == account.id)
                last_seq = std::max(last_seq, spi.get<int64_t>(i, "seq"));
            total = core::add(total, r.taken);
            if (r.lot)
                lots.push_back(r);
            else
                debt_part = core::add(debt_part, r.taken);
        }
        spi.run(reversed_before, original_);
        int128 before = spi.get<int128>(0, "total");
        int128 left = total - before;
        std::string name = "operation " + std::to_string(original_);
        if (left <= 0)
            invalid(name + " is already fully reversed");
        int128 amount = amount_.value_or(left);
        if (amount > left)
            invalid("cannot reverse " + credit_text(amount) + " of " + name + ": " +
                    credit_text(left) + " of its " + credit_text(total) + " is left to reverse");
        op_.amount = amount;
        amount_ = amount;

        // Debt first: the part still owed is cancelled, the part repaid since
        // goes back to the lots that repaid it.
        int128 skip = before;
        int128 debt_share = std::max<int128>(0, std::min(amount, debt_part - skip));
        if (debt_share > 0) {
            int128 rest = debt_share - model.cancel_debt(debt_share, t);
            uint64_t m = rest > 0 ? spi.run(repayments_after, account.id, last_seq) : 0;
            std::vector<std::pair<int64_t, int128>> repaid;
            for (uint64_t i = 0; i < m; i++)
                repaid.emplace_back(spi.get<int64_t>(i, "grant"), spi.get<int128>(i, "taken"));
            for (const auto& [lot, taken] : repaid) {
                if (rest <= 0)
                    break;
                rest -= give_back(spi, lot, std::min(rest, taken), t);
            }
            if (rest > 0)
                throw std::logic_error("repaid debt without a lot to return it to");
        }
        skip = std::max<int128>(0, skip - debt_part);
        int128 lots_share = amount - debt_share;
        // Then the lots, last-burned first, past what earlier reversals returned.
        for (const Record& r : lots) {
            if (lots_share <= 0)
                break;
            int128 here = r.taken;
            int128 skipped = std::min(skip, here);
            skip -= skipped;
            here -= skipped;
            int128 x = std::min(here, lots_share);
            if (x > 0)
                lots_share -= give_back(spi, *r.lot, x, t);
        }
        for (std::size_t level = 0; level <= pool_depth(); level++)
            pool_model(level).settle_debt(t);
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account& model, int64_t t,
               const AccountRow& account) override {
        spi.run(insert_reversal, op_id, original_, *amount_);
        for (const auto& [level, g] : reinstated_)
            if (level == 0)
                write_grant(spi, op_id, account, model, t, g);
            else
                write_grant(spi, pool_party(level).operation, pool_party(level).account,
                            pool_model(level), t, g);
        result = op_id;
    }

  private:
    // Returns up to x to `lot` (never above its amount); when the lot is
    // voided or expired the credits leave it at once: voided or expired
    // again, or reinstated in a new grant. Returns how much was placed.
    int128 give_back(Spi& spi, int64_t id, int128 x, int64_t t) {
        Lot lot = *read_lot(spi, id);
        std::size_t level = pool_level_of(lot.account);
        core::Account& owner = pool_model(level); // an ancestor's lot in a pool
        const core::OpenGrant* in_model = nullptr;
        for (const auto& g : owner.grants())
            if (g.id == id)
                in_model = &g;
        int128 remaining = in_model ? in_model->remaining : lot.open.remaining;
        x = std::min(x, lot.amount - remaining);
        if (x <= 0)
            return 0;
        add_drawn(level, -x); // no longer consumed from the pool
        owner.refund(lot.open, x, t);
        if (lot.voided_at) {
            owner.remove(id, x, core::EntryType::Void, t);
        } else if (lot.open.expires_at <= t) {
            if (!reinstate_until_) {
                owner.remove(id, x, core::EntryType::Expire, t);
            } else {
                owner.remove(id, x, core::EntryType::Reinstate, t);
                NewGrant g = successor_of(lot, x, t);
                g.expires_at = reinstate_until_;
                g.metadata = op_.metadata;
                reinstated_.emplace_back(level, g);
            }
        }
        return x;
    }

    int64_t original_;
    std::optional<int128> amount_;
    std::optional<int64_t> reinstate_until_;
    OperationRecord& op_;
    std::vector<std::pair<std::size_t, NewGrant>> reinstated_; // by pool level
};

} // namespace

// credits.void_grant(grant_id, reason, idempotency_key): the operation's id.
CREDITS_FUNCTION(credits_void_grant) {
    int64_t grant = required_int8(fcinfo, 0, "grant_id");
    std::optional<std::string> reason = optional_text(fcinfo, 1);
    OperationRecord op{"void", std::nullopt, optional_text(fcinfo, 2), std::nullopt,
                       reason_metadata(reason)};
    RequestHash()
        .add(std::string("void"))
        .add(std::to_string(grant))
        .add(reason)
        .finish(op.request_hash);

    Spi spi;
    std::string key;
    if (!read_lot(spi, grant, &key))
        invalid("grant " + std::to_string(grant) + " does not exist");
    VoidStep step(grant, op);
    run_operation(spi, key, op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

// credits.reverse(operation_id, amount, reason, idempotency_key,
// reinstate_until): the operation's id.
CREDITS_FUNCTION(credits_reverse) {
    int64_t original = required_int8(fcinfo, 0, "operation_id");
    std::optional<int128> amount = optional_credit(fcinfo, 1);
    std::optional<std::string> reason = optional_text(fcinfo, 2);
    OperationRecord op{"reverse", std::nullopt, optional_text(fcinfo, 3), std::nullopt,
                       reason_metadata(reason)};
    std::optional<int64_t> reinstate_until = optional_timestamp(fcinfo, 4);
    if (amount)
        require_positive(*amount, "amount");
    if (reinstate_until && TIMESTAMP_NOT_FINITE(*reinstate_until))
        invalid("reinstate_until must be a finite timestamp");
    RequestHash()
        .add(std::string("reverse"))
        .add(std::to_string(original))
        .add_amount(amount)
        .add(reason)
        .add_timestamp(reinstate_until)
        .finish(op.request_hash);

    Spi spi;
    if (spi.run(operation_to_reverse, original) == 0)
        invalid("operation " + std::to_string(original) + " does not exist");
    std::string type = spi.get<std::string>(0, "type");
    std::string key = spi.get<std::string>(0, "account_key");
    if (type != "debit" && type != "capture")
        invalid("operation " + std::to_string(original) + " is a " + type +
                ", not a debit or capture" +
                (type == "grant" || type == "purchase_pack" || type == "reward" ||
                         type == "sla_credit" || type == "plan_change"
                     ? "; void its grants with credits.void_grant() instead"
                     : ""));
    ReverseStep step(original, amount, reinstate_until, op);
    run_operation(spi, key, op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

} // namespace credits::pg
