// The module's set-up in one place: the magic block, _PG_init, and the
// settings with their check hooks.
#include "clock.hpp"

#include <cstdlib>

#include "boundary.hpp"

extern "C" {
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

void _PG_init(void);
}

namespace credits::pg {

namespace {

char* test_clock_text = nullptr;

// Memory for a check hook's `extra`, which the GUC machinery frees.
void* guc_extra(std::size_t size) {
#if PG_VERSION_NUM >= 160000
    return guc_malloc(LOG, size);
#else
    return std::malloc(size);
#endif
}

// Parses the setting as a finite timestamptz when it is set (SET, ALTER
// ROLE ... SET, postgresql.conf), so a bad value is refused there and then.
// A plain frame: PG_TRY around timestamptz_in, no C++ objects.
bool check_test_clock(char** newval, void** extra, GucSource) {
    if (*newval == nullptr || (*newval)[0] == '\0')
        return true;
    MemoryContext context = CurrentMemoryContext;
    volatile bool parsed = false;
    volatile TimestampTz value = 0;
    PG_TRY();
    {
        value = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(*newval),
                                                        ObjectIdGetDatum(InvalidOid),
                                                        Int32GetDatum(-1)));
        parsed = true;
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        ErrorData* error = CopyErrorData();
        FlushErrorState();
        GUC_check_errdetail("%s", error->message);
        FreeErrorData(error);
    }
    PG_END_TRY();
    if (!parsed)
        return false;
    if (TIMESTAMP_NOT_FINITE(value)) {
        GUC_check_errdetail("credits.test_clock must be a finite timestamp, or empty.");
        return false;
    }
    auto* stored = static_cast<int64_t*>(guc_extra(sizeof(int64_t)));
    if (stored == nullptr)
        return false;
    *stored = value;
    *extra = stored;
    return true;
}

// Keeps the checked value where ledger_clock() reads it.
void assign_test_clock(const char*, void* extra) {
    set_test_clock(extra ? std::optional<int64_t>(*static_cast<int64_t*>(extra)) : std::nullopt);
}

} // namespace

} // namespace credits::pg

// Defines credits.test_clock: superuser-only, like Stripe's test clocks.
void _PG_init(void) {
    DefineCustomStringVariable(
        "credits.test_clock", "The ledger's clock: empty for the transaction timestamp.",
        "When set, every ledger function takes this timestamp as \"now\".",
        &credits::pg::test_clock_text, "", PGC_SUSET, 0, credits::pg::check_test_clock,
        credits::pg::assign_test_clock, nullptr);
#if PG_VERSION_NUM >= 150000
    MarkGUCPrefixReserved("credits");
#else
    EmitWarningsOnPlaceholders("credits");
#endif
}
