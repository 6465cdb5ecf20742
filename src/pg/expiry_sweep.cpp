// credits.expire: the expiry sweep. Every account whose next change has
// come (a grant expired or began, a hold pinning its lots expired) gets an
// `expire` operation at as_of: its expired grants' `expire` entries
// (breakage), effective at their expires_at, and expired holds' credits
// back in its lots. Accounts another transaction has locked are passed over
// (the next run takes them); an account already past as_of is left alone;
// a second run finds nothing to do. Then the expiring alerts of accounts
// with an expiry warning (credits.warn_expiring).
#include <set>

#include "error.hpp"
#include "errors.hpp"
#include "pipeline.hpp"

namespace credits::pg {

namespace {

// Accounts whose maintained figures are due for recomputation by $1.
Statement<Timestamp> due_accounts{
    "SELECT key FROM credits.accounts WHERE next_change_at <= $1 ORDER BY id"};

Statement<Timestamp> warn_expiring{"SELECT credits.warn_expiring($1)"};

class ExpireStep : public Step {
  public:
    ExpireStep(int64_t as_of, OperationRecord& op) : as_of_(as_of), op_(op) {}
    int64_t expired = 0; // grants expired (or rolled over) with credits left

    bool skips_locked() const override { return true; }
    bool requires_active() const override { return false; }
    std::optional<int64_t> instant() const override { return as_of_; }
    void replay(Spi&, int64_t) override {}
    bool plan(Spi&, core::Account& model, int64_t, const AccountRow& account) override {
        if (!account.next_change_at || *account.next_change_at > as_of_)
            return false; // another operation got there first
        int128 lost = 0;  // breakage: what expired rather than rolled over
        std::set<int64_t> grants;
        for (const core::Movement& m : model.movements()) {
            if (m.type == core::EntryType::Expire)
                lost = core::add(lost, -m.delta);
            if (m.type == core::EntryType::Expire || m.type == core::EntryType::Rollover)
                grants.insert(m.grant_id);
        }
        expired += static_cast<int64_t>(grants.size());
        op_.amount = lost;
        return true; // its figures are due even when only a grant began
    }
    void write(Spi&, int64_t, core::Account&, int64_t, const AccountRow&) override {}

  private:
    int64_t as_of_;
    OperationRecord& op_;
};

} // namespace

// credits.expire(as_of, max_grants): how many grants it expired.
CREDITS_FUNCTION(credits_expire) {
    LedgerClock clock = ledger_clock();
    int64_t as_of = optional_timestamp(fcinfo, 0).value_or(clock.now);
    std::optional<int32_t> max_grants;
    if (!PG_ARGISNULL(1))
        max_grants = PG_GETARG_INT32(1);
    if (max_grants && *max_grants < 1)
        invalid("max_grants must be at least 1, not " + std::to_string(*max_grants));
    if (as_of > clock.now)
        invalid("as_of (" + timestamp_text(as_of) + ") must not be later than the ledger clock (" +
                timestamp_text(clock.now) + ")");

    Spi spi;
    std::vector<std::string> due;
    uint64_t n = spi.read(due_accounts, as_of);
    for (uint64_t i = 0; i < n; i++)
        due.push_back(spi.get<std::string>(i, "key"));
    int64_t expired = 0;
    for (const std::string& key : due) {
        if (max_grants && expired >= *max_grants)
            break;
        OperationRecord op{"expire", std::nullopt, std::nullopt, std::nullopt, empty_jsonb()};
        RequestHash().add(std::string("expire")).finish(op.request_hash);
        ExpireStep step(as_of, op);
        if (run_operation(spi, key, op, step))
            expired += step.expired;
    }
    spi.run(warn_expiring, as_of); // alerts for what expires soon on accounts that asked
    spi.finish();
    PG_RETURN_INT64(expired);
}

} // namespace credits::pg
