// credits.rollover: moving credits of a live grant into a new grant with
// another expiry, by hand (the automatic rollover of an expiring grant's
// rule happens in core::Account::advance). A plan step of the pipeline on
// the grant's account.
#include "error.hpp"
#include "errors.hpp"
#include "grants.hpp"
#include "pipeline.hpp"

namespace credits::pg {

namespace {

// The grant operation $1 rolled grant $2 into.
Statement<int64_t, int64_t> rolled_by{
    "SELECT id FROM credits.grants WHERE operation = $1 AND origin = $2"};

class RolloverStep : public Step {
  public:
    RolloverStep(int64_t grant, int128 amount, int64_t expires_at)
        : grant_(grant), amount_(amount), expires_at_(expires_at) {}
    int64_t result = 0; // the new grant's id

    void replay(Spi& spi, int64_t prior) override {
        spi.run(rolled_by, prior, grant_);
        result = spi.get<int64_t>(0, "id");
    }
    bool plan(Spi& spi, core::Account& model, int64_t t, const AccountRow&) override {
        Lot lot = *read_lot(spi, grant_);
        std::string name = "grant " + std::to_string(grant_);
        require_not_ended(lot, t, "; a rollover never extends the life of expired credits");
        if (lot.open.effective_at > t)
            throw core::Error(kGrantNotActive, name + " is not live yet",
                              "It starts at " + timestamp_text(lot.open.effective_at) + ".");
        const core::OpenGrant* live = model.grant(grant_);
        int128 remaining = live ? live->remaining : 0;
        if (amount_ > remaining)
            throw core::Error(kInsufficientCredits, name + " has too few credits to roll over",
                              "Requested " + credit_text(amount_) + ", the grant has " +
                                  credit_text(remaining) + " not held.");
        if (expires_at_ <= t)
            invalid("expires_at (" + timestamp_text(expires_at_) +
                    ") must be later than the ledger clock (" + timestamp_text(t) + ")");
        rolled_ = model.roll_over(grant_, amount_, expires_at_, t);
        return true;
    }
    void write(Spi&, int64_t, core::Account&, int64_t, const AccountRow&) override {
        result = written_id(rolled_);
    }

  private:
    int64_t grant_;
    int128 amount_;
    int64_t expires_at_;
    int64_t rolled_ = 0;
};

} // namespace

// credits.rollover(grant_id, amount, expires_at, idempotency_key): the new
// grant's id.
CREDITS_FUNCTION(credits_rollover) {
    int64_t grant = required_int8(fcinfo, 0, "grant_id");
    int128 amount = required_credit(fcinfo, 1, "amount");
    required_arg(fcinfo, 2, "expires_at");
    int64_t expires_at = *optional_timestamp(fcinfo, 2);
    OperationRecord op{"rollover", amount, optional_text(fcinfo, 3), std::nullopt, empty_jsonb()};
    require_positive(amount, "amount");
    if (TIMESTAMP_NOT_FINITE(expires_at))
        invalid("expires_at must be a finite timestamp");
    RequestHash()
        .add(std::string("rollover"))
        .add(std::to_string(grant))
        .add_amount(amount)
        .add_timestamp(expires_at)
        .finish(op.request_hash);

    Spi spi;
    std::string key;
    if (!read_lot(spi, grant, &key))
        invalid("grant " + std::to_string(grant) + " does not exist");
    RolloverStep step(grant, amount, expires_at);
    run_operation(spi, key, op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

} // namespace credits::pg
