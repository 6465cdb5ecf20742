// The credits.test_clock setting and the module's initialisation.
#include "clock.hpp"

#include <cstring>

#include "boundary.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

void _PG_init(void);
}

namespace credits::pg {

namespace {

char* test_clock = nullptr;

// The last parsed setting, so that the text is parsed once per change.
char parsed_text[128] = "";
int64_t parsed_value = 0;

} // namespace

LedgerClock ledger_clock() {
    if (test_clock == nullptr || test_clock[0] == '\0')
        return {GetCurrentTransactionStartTimestamp(), false};
    if (std::strcmp(test_clock, parsed_text) != 0) {
        int64_t value = 0;
        guarded([&] {
            value = DatumGetTimestampTz(
                DirectFunctionCall3(timestamptz_in, CStringGetDatum(test_clock),
                                    ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
            if (TIMESTAMP_NOT_FINITE(value))
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("credits.test_clock must be a finite timestamp")));
        });
        parsed_value = value;
        std::strncpy(parsed_text, test_clock, sizeof parsed_text - 1);
        if (std::strlen(test_clock) >= sizeof parsed_text)
            parsed_text[0] = '\0'; // too long to cache: parse every time
    }
    return {parsed_value, true};
}

} // namespace credits::pg

// Defines credits.test_clock: superuser-only, like Stripe's test clocks.
void _PG_init(void) {
    DefineCustomStringVariable(
        "credits.test_clock", "The ledger's clock: empty for the transaction timestamp.",
        "When set, every ledger function takes this timestamp as \"now\".",
        &credits::pg::test_clock, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
#if PG_VERSION_NUM >= 150000
    MarkGUCPrefixReserved("credits");
#else
    EmitWarningsOnPlaceholders("credits");
#endif
}
