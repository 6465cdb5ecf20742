// credits.transfer: moves credits between two accounts lot by lot. The
// source burns in burn order (transferable kinds only, never overdraft);
// the destination gets one grant per source lot with the lot's kind,
// expiry, priority and cost basis and a link to it, so moving credits
// never extends their life. Both accounts are locked in id order by the
// pipeline; the source records a `transfer` operation (the result, under
// the idempotency key), the destination a `transfer_in` one, and each
// chain gets its side's entries.
#include "error.hpp"
#include "errors.hpp"
#include "grants.hpp"
#include "pipeline.hpp"

namespace credits::pg {

namespace {

class TransferStep : public Step {
  public:
    TransferStep(std::string to, int128 amount, const OperationRecord& op)
        : to_(std::move(to)), amount_(amount), op_(op) {}
    int64_t result = 0;

    std::vector<std::string> counterparties() const override { return {to_}; }
    std::string counterparty_type(const OperationRecord&) const override { return "transfer_in"; }
    void replay(Spi&, int64_t prior) override { result = prior; }
    bool plan(Spi& spi, core::Account& model, int64_t t, const AccountRow& account) override {
        Party& to = counterparty(0);
        to.touched = true; // its grants are written in write()
        if (to.account.unit != account.unit)
            throw core::Error(kUnitMismatch, "cannot transfer between accounts of different units",
                              "Account \"" + account.key + "\" counts " + account.unit +
                                  ", account \"" + to.account.key + "\" counts " + to.account.unit +
                                  ".");
        auto taken = model.transfer_out(amount_, t);
        if (!taken)
            throw core::Error(kInsufficientCredits,
                              "insufficient transferable credits on account \"" + account.key +
                                  "\"",
                              "Requested " + credit_text(amount_) + "; live credits " +
                                  credit_text(model.live_total(t)) +
                                  " include credits of non-transferable kinds, and transfers "
                                  "never use overdraft.");
        for (const auto& [lot, amount] : *taken) {
            NewGrant g = successor_of(lot_in(spi, model, lot), amount, t);
            g.reference = op_.reference;
            g.metadata = op_.metadata;
            grants_.push_back(g);
        }
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account&, int64_t t, const AccountRow&) override {
        Party& to = counterparty(0);
        for (NewGrant& g : grants_) {
            g.origin = written_id(*g.origin);
            write_grant(spi, to.operation, to.account, to.model, t, g);
        }
        result = op_id;
    }

  private:
    std::string to_;
    int128 amount_;
    const OperationRecord& op_;
    std::vector<NewGrant> grants_;
};

} // namespace

// credits.transfer(from_account, to_account, amount, idempotency_key,
// reference, metadata): the operation's id.
CREDITS_FUNCTION(credits_transfer) {
    std::string from = required_text(fcinfo, 0, "from_account");
    std::string to = required_text(fcinfo, 1, "to_account");
    int128 amount = required_credit(fcinfo, 2, "amount");
    std::string metadata_text;
    OperationRecord op{"transfer", amount, optional_text(fcinfo, 3), optional_text(fcinfo, 4),
                       required_jsonb(fcinfo, 5, "metadata", metadata_text)};
    require_positive(amount, "amount");
    if (from == to)
        invalid("cannot transfer from account \"" + from + "\" to itself");
    RequestHash()
        .add(std::string("transfer"))
        .add(to)
        .add_amount(amount)
        .add(op.reference)
        .add(metadata_text)
        .finish(op.request_hash);

    Spi spi;
    TransferStep step(to, amount, op);
    run_operation(spi, from, op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

} // namespace credits::pg
