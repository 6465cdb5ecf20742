// Alerts after an operation (signals.hpp).
#include "signals.hpp"

#include <algorithm>

namespace credits::pg {

namespace {

Statement<int64_t, int64_t, int128, int128, Timestamp> signal{
    "SELECT credits.signal_account($1, $2, $3, $4, $5)"};

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
