// The ledger clock: credits.test_clock when set (superuser-only), else the
// transaction timestamp.
#pragma once

#include <cstdint>
#include <optional>

namespace credits::pg {

struct LedgerClock {
    int64_t now;    // PostgreSQL timestamp (microseconds since 2000-01-01 UTC)
    bool explicit_; // set by credits.test_clock
};

// The ledger's "now" for this call.
LedgerClock ledger_clock();

// Sets (or, with nullopt, clears) the test clock: the setting's assign hook.
void set_test_clock(std::optional<int64_t> value);

} // namespace credits::pg
