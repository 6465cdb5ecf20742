// credits.hold, credits.capture, credits.release: reserving credits for
// later. A hold pins lots in burn order (Hold entries take the credits out
// of the balance), so its capture never fails because a lot expired or
// another debit came first. A capture or release gives the pinned credits
// back to their lots and burns what is captured from them; a hold past its
// expires_at is released by the next operation on the account (the
// pipeline, through account_at()). Each is a plan step of the pipeline.
#include "error.hpp"
#include "errors.hpp"
#include "pipeline.hpp"

extern "C" {
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

// How long a hold lasts when the caller does not say.
constexpr int64_t kDefaultHoldLife = 15 * USECS_PER_MINUTE;

Statement<int64_t, int64_t, int128, Timestamp, Timestamp> insert_hold{
    "INSERT INTO credits.holds (account, operation, amount, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id"};
Statement<int64_t, int32_t, int64_t, int128> insert_hold_lot{
    "INSERT INTO credits.hold_lots (hold, position, \"grant\", amount) VALUES ($1, $2, $3, $4)"};
Statement<int64_t> hold_of_operation{"SELECT id FROM credits.holds WHERE operation = $1"};
Statement<int64_t> hold_by_id{
    "SELECT h.amount, h.expires_at, h.status, a.key AS account_key FROM credits.holds h "
    "JOIN credits.accounts a ON a.id = h.account WHERE h.id = $1"};
Statement<int64_t> pinned_lots{
    "SELECT hl.amount AS held, g.account, " OPEN_GRANT_COLUMNS " FROM credits.hold_lots hl "
    "JOIN credits.grants g ON g.id = hl.\"grant\" JOIN credits.kinds k ON k.kind = g.kind "
    "WHERE hl.hold = $1 ORDER BY hl.position"};
Statement<int64_t, std::string, std::optional<int128>, Timestamp, int64_t> settle{
    "UPDATE credits.holds SET status = $2, captured = $3, settled_at = $4, settled_by = $5 "
    "WHERE id = $1"};
Statement<int64_t, int64_t> lots_returned{
    "UPDATE credits.hold_lots SET returned_by = $2 WHERE hold = $1"};

// credits.hold: pins the amount; the result is the hold's id.
class HoldStep : public Step {
  public:
    HoldStep(int128 amount, std::optional<int64_t> expires_at)
        : amount_(amount), expires_arg_(expires_at) {}
    int64_t result = 0;

    void replay(Spi& spi, int64_t prior) override {
        spi.run(hold_of_operation, prior);
        result = spi.get<int64_t>(0, "id");
    }
    bool draws_on_pool() const override { return true; }
    bool plan(Spi& spi, core::Account&, int64_t t, const AccountRow& account) override {
        expires_at_ = expires_arg_.value_or(t + kDefaultHoldLife);
        if (expires_at_ <= t)
            invalid("expires_at (" + timestamp_text(expires_at_) +
                    ") must be later than the ledger clock (" + timestamp_text(t) + ")");
        int128 available;
        auto pinned = hold_from_pool(spi, amount_, t, available);
        if (!pinned)
            throw core::Error(kInsufficientCredits,
                              "insufficient credits on account \"" + account.key + "\" to hold " +
                                  credit_text(amount_),
                              "Live credits not held" +
                                  std::string(account.parent ? ", with the pool's, " : " ") +
                                  credit_text(available) + "; holds never use overdraft.");
        pinned_ = std::move(*pinned);
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account&, int64_t t,
               const AccountRow& account) override {
        spi.run(insert_hold, account.id, op_id, amount_, t, expires_at_);
        result = spi.get<int64_t>(0, "id");
        int32_t position = 0;
        for (const auto& [lot, amount] : pinned_)
            spi.run(insert_hold_lot, result, ++position, written_id(lot), amount);
        // every account whose lots it pins recomputes its balance then
        for (std::size_t level = 0; level <= pool_depth(); level++)
            pool_model(level).note_hold_expiry(expires_at_);
    }

  private:
    int128 amount_;
    std::optional<int64_t> expires_arg_;
    int64_t expires_at_ = 0;
    std::vector<std::pair<int64_t, int128>> pinned_;
};

// capture and release: settle an active hold; the result is the operation.
class SettleStep : public Step {
  public:
    // capture: `amount` (nullopt: all held); release: capture_ false.
    SettleStep(int64_t hold, bool capture, std::optional<int128> amount, bool allow_excess,
               OperationRecord& op)
        : hold_(hold), capture_(capture), amount_(amount), allow_excess_(allow_excess), op_(op) {}
    int64_t result = 0;

    void replay(Spi&, int64_t prior) override { result = prior; }
    bool draws_on_pool() const override { return true; }
    bool plan(Spi& spi, core::Account& model, int64_t t, const AccountRow& account) override {
        spi.run(hold_by_id, hold_);
        int128 held = spi.get<int128>(0, "amount");
        int64_t expires_at = spi.get<Timestamp>(0, "expires_at");
        std::string status = spi.get<std::string>(0, "status");
        std::string name = "hold " + std::to_string(hold_);
        if (status != "active")
            throw core::Error(kHoldNotActive, name + " is " + status,
                              "Only an active hold can be captured or released.");
        if (expires_at <= t)
            throw core::Error(kHoldNotActive, name + " has expired",
                              "It expired at " + timestamp_text(expires_at) +
                                  "; its credits went back to their lots.");
        int128 wanted = capture_ ? amount_.value_or(held) : 0;
        if (wanted > held && !allow_excess_)
            invalid("cannot capture " + credit_text(wanted) + " from " + name + ", which holds " +
                    credit_text(held) + " (allow_excess => true debits the excess)");
        // each pool level settles its own lots; the captured credits are
        // burned from the lots in pin order
        uint64_t n = spi.run(pinned_lots, hold_);
        std::vector<std::vector<std::pair<core::OpenGrant, int128>>> by_level;
        std::vector<int128> burned;
        int128 left = std::min(wanted, held);
        for (uint64_t i = 0; i < n; i++) {
            std::size_t level = pool_level_of(spi.get<int64_t>(i, "account"));
            if (by_level.size() <= level) {
                by_level.resize(level + 1);
                burned.resize(level + 1);
            }
            int128 lot_held = spi.get<int128>(i, "held");
            by_level[level].emplace_back(read_open_grant(spi, i), lot_held);
            int128 burn = std::min(left, lot_held);
            burned[level] += burn;
            left -= burn;
        }
        for (std::size_t level = 0; level < by_level.size(); level++) {
            if (by_level[level].empty())
                continue;
            pool_model(level).settle_hold(by_level[level], burned[level], t);
            add_drawn(level, burned[level]); // consumed from the pool
        }
        int128 available;
        if (wanted > held && !debit_from_pool(spi, account, wanted - held, t, available))
            insufficient_credits(model, account, wanted - held, t, available);
        captured_ = wanted;
        op_.amount = capture_ ? wanted : held;
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account&, int64_t t, const AccountRow&) override {
        spi.run(settle, hold_, std::string(capture_ ? "captured" : "released"),
                capture_ ? std::optional<int128>(captured_) : std::nullopt, t, op_id);
        spi.run(lots_returned, hold_, op_id);
        result = op_id;
    }

  private:
    int64_t hold_;
    bool capture_;
    std::optional<int128> amount_;
    bool allow_excess_;
    OperationRecord& op_;
    int128 captured_ = 0;
};

// The key of the account holding `hold`; 22023 when there is no such hold.
std::string hold_account(Spi& spi, int64_t hold) {
    if (spi.run(hold_by_id, hold) == 0)
        invalid("hold " + std::to_string(hold) + " does not exist");
    return spi.get<std::string>(0, "account_key");
}

} // namespace

// credits.hold(account, amount, expires_at, idempotency_key, reference,
// metadata): the hold's id.
CREDITS_FUNCTION(credits_hold) {
    std::string key = required_text(fcinfo, 0, "account");
    int128 amount = required_credit(fcinfo, 1, "amount");
    std::optional<int64_t> expires_at = optional_timestamp(fcinfo, 2);
    std::string metadata_text;
    OperationRecord op{"hold", amount, optional_text(fcinfo, 3), optional_text(fcinfo, 4),
                       required_jsonb(fcinfo, 5, "metadata", metadata_text)};
    require_positive(amount, "amount");
    if (expires_at && TIMESTAMP_NOT_FINITE(*expires_at))
        invalid("expires_at must be a finite timestamp");
    RequestHash()
        .add(std::string("hold"))
        .add_amount(amount)
        .add_timestamp(expires_at)
        .add(op.reference)
        .add(metadata_text)
        .finish(op.request_hash);

    Spi spi;
    HoldStep step(amount, expires_at);
    run_operation(spi, key, op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

// credits.capture(hold_id, amount, idempotency_key, allow_excess): the
// operation's id.
CREDITS_FUNCTION(credits_capture) {
    int64_t hold = required_int8(fcinfo, 0, "hold_id");
    std::optional<int128> amount = optional_credit(fcinfo, 1);
    required_arg(fcinfo, 3, "allow_excess");
    bool allow_excess = PG_GETARG_BOOL(3);
    OperationRecord op{"capture", std::nullopt, optional_text(fcinfo, 2), std::nullopt,
                       empty_jsonb()};
    if (amount)
        require_positive(*amount, "amount");
    RequestHash()
        .add(std::string("capture"))
        .add(std::to_string(hold))
        .add_amount(amount)
        .add(std::string(allow_excess ? "excess" : "held"))
        .finish(op.request_hash);

    Spi spi;
    SettleStep step(hold, true, amount, allow_excess, op);
    run_operation(spi, hold_account(spi, hold), op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

// credits.release(hold_id, idempotency_key): the operation's id.
CREDITS_FUNCTION(credits_release) {
    int64_t hold = required_int8(fcinfo, 0, "hold_id");
    OperationRecord op{"release", std::nullopt, optional_text(fcinfo, 1), std::nullopt,
                       empty_jsonb()};
    RequestHash().add(std::string("release")).add(std::to_string(hold)).finish(op.request_hash);

    Spi spi;
    SettleStep step(hold, false, std::nullopt, false, op);
    run_operation(spi, hold_account(spi, hold), op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

} // namespace credits::pg
