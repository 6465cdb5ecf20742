// Alerts after an operation (signals.hpp).
#include "signals.hpp"

#include <algorithm>

namespace credits::pg {

namespace {

// credits.signal_account(), only when the balance $3 or the grant $4 could
// fire an alert or change its state: most operations on an account with
// rules cost this one lookup.
Statement<int64_t, int64_t, int128, int128, Timestamp> signal{
    "SELECT credits.signal_account($1, $2, $3, $4, $5) FROM credits.alert_rules r "
    "JOIN credits.accounts a ON a.id = r.account WHERE r.account = $1 AND ("
    "$4 OPERATOR(@extschema@.>) '0'::@extschema@.credit "
    "OR (r.allowance_credits OPERATOR(@extschema@.>) '0'::@extschema@.credit AND EXISTS ("
    " SELECT FROM unnest(r.thresholds) l WHERE l <> ALL (r.fired) AND 100 * "
    " (r.allowance_credits::numeric - greatest($3::numeric, 0)) >= l * "
    "r.allowance_credits::numeric)) "
    "OR (a.low_balance_threshold IS NOT NULL AND ("
    " r.low_fired <> ($3 OPERATOR(@extschema@.<) a.low_balance_threshold) "
    " OR r.depleted_fired <> ($3 OPERATOR(@extschema@.<=) '0'::@extschema@.credit))) "
    "OR $3 OPERATOR(@extschema@.<) r.topup_threshold)"};

// Credits new to the account in the movements: grants, less the rolled-over
// ones (credits it had already).
int128 granted(const core::Account& model) {
    int128 total = 0;
    for (const core::Movement& m : model.movements()) {
        if (m.type != core::EntryType::Grant)
            continue;
        const auto& rolled = model.rolled();
        bool carried = std::any_of(rolled.begin(), rolled.end(),
                                   [&](const core::RolledGrant& r) { return r.id == m.grant_id; });
        if (!carried)
            total = core::add(total, m.delta);
    }
    return total;
}

} // namespace

void signal_account(Spi& spi, const AccountRow& account, int64_t op, const core::Account& model,
                    int64_t t) {
    // an operation that wrote nothing on it (a sweep visiting an account
    // with nothing due) changed nothing an alert could be about
    if (account.alerting && !model.movements().empty())
        spi.run(signal, account.id, op, model.balance(t), granted(model), t);
}

} // namespace credits::pg
