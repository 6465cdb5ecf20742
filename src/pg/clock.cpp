// The ledger clock: credits.test_clock when set, else the transaction
// timestamp. The setting is parsed and checked by its check hook (module.cpp).
#include "clock.hpp"

#include "boundary.hpp"

extern "C" {
#include "access/xact.h"
}

namespace credits::pg {

namespace {

std::optional<int64_t> test_clock;

} // namespace

void set_test_clock(std::optional<int64_t> value) {
    test_clock = value;
}

LedgerClock ledger_clock() {
    if (!test_clock)
        return {GetCurrentTransactionStartTimestamp(), false};
    return {*test_clock, true};
}

} // namespace credits::pg
