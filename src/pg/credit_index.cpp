// Support functions for btree and hash operator classes, with sort support
// that abbreviates keys to 64 bits so large sorts compare native integers.
#include "credit_datum.hpp"

extern "C" {
#include "common/hashfn.h"
#include "utils/sortsupport.h"
}

using namespace credits;
using pg::int128;

namespace {

// Full comparison of two credit datums (plain C frame: sort support calls it).
int credit_fastcmp(Datum a, Datum b, SortSupport) {
    return core::compare(pg::credit_value(a), pg::credit_value(b));
}

// Abbreviation: the amount saturated to int64, which preserves order; only
// values beyond about 9.2 credits * 10^9 share a key and need the full compare.
Datum credit_abbrev_convert(Datum original, SortSupport) {
    int128 v = pg::credit_value(original);
    int64 key = v > PG_INT64_MAX ? PG_INT64_MAX : v < PG_INT64_MIN ? PG_INT64_MIN : int64(v);
    return Int64GetDatum(key);
}

// Abbreviated keys are never worse than full comparisons: never abort.
bool credit_abbrev_abort(int, SortSupport) {
    return false;
}

#if PG_VERSION_NUM < 150000
// Signed comparison of abbreviated keys (PostgreSQL 15 ships its own).
int ssup_datum_signed_cmp(Datum a, Datum b, SortSupport) {
    int64 x = DatumGetInt64(a), y = DatumGetInt64(b);
    return x < y ? -1 : x > y ? 1 : 0;
}
#endif

} // namespace

// credit_cmp(credit, credit): btree support function 1.
CREDITS_FUNCTION(credit_cmp) {
    PG_RETURN_INT32(core::compare(PG_GETARG_CREDIT(0), PG_GETARG_CREDIT(1)));
}

// credit_sortsupport(internal): btree support function 2.
CREDITS_FUNCTION(credit_sortsupport) {
    SortSupport ssup = reinterpret_cast<SortSupport>(PG_GETARG_POINTER(0));
    ssup->comparator = credit_fastcmp;
    if (ssup->abbreviate) {
        ssup->abbrev_full_comparator = credit_fastcmp;
        ssup->abbrev_converter = credit_abbrev_convert;
        ssup->abbrev_abort = credit_abbrev_abort;
        // With this comparator PostgreSQL 15 sorts with its inlined radix-free
        // integer quicksort, as fast as for bigint.
        ssup->comparator = ssup_datum_signed_cmp;
    }
    PG_RETURN_VOID();
}

// credit_hash(credit): hash support function 1 (the representation is unique).
CREDITS_FUNCTION(credit_hash) {
    int128 v = PG_GETARG_CREDIT(0);
    return hash_any(reinterpret_cast<const unsigned char*>(&v), sizeof v);
}

// credit_hash_extended(credit, int8): hash support function 2 (partitioning).
CREDITS_FUNCTION(credit_hash_extended) {
    int128 v = PG_GETARG_CREDIT(0);
    return hash_any_extended(reinterpret_cast<const unsigned char*>(&v), sizeof v,
                             PG_GETARG_INT64(1));
}
