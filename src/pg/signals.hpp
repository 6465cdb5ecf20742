// Alerts: what an operation's effect on an account calls for (usage
// thresholds, low balance, top-up requests), written in its transaction by
// credits.signal_account() (sql/install/alerts_functions.sql).
#pragma once

#include "ledger.hpp"

namespace credits::pg {

// After operation `op` wrote the model's movements on the locked account:
// its alerts, when alert rules were ever set for it (account.alerting) and
// the operation wrote entries on it.
void signal_account(Spi& spi, const AccountRow& account, int64_t op, const core::Account& model,
                    int64_t t);

} // namespace credits::pg
