// sum() and avg() over credit: a 192-bit accumulator kept in the aggregate's
// memory context, with combine/serialize/deserialize for parallel plans and
// an inverse for moving windows.
#include "credit_datum.hpp"

#include <new>

#include "accumulator.hpp"

extern "C" {
#include "libpq/pqformat.h"
}

using namespace credits;
using core::Accumulator;

namespace {

// A new zeroed accumulator in the aggregate's memory context.
Accumulator* new_state(FunctionCallInfo fcinfo) {
    MemoryContext aggcontext;
    if (!AggCheckCallContext(fcinfo, &aggcontext))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("credit aggregate support called in non-aggregate context")));
    void* memory = MemoryContextAllocZero(aggcontext, sizeof(Accumulator));
    return new (memory) Accumulator(); // trivially destructible: never destroyed
}

// The accumulator passed in argument `arg`, or a new one on the first row.
inline Accumulator* state_for(FunctionCallInfo fcinfo, int arg) {
    if (likely(!PG_ARGISNULL(arg)))
        return reinterpret_cast<Accumulator*>(PG_GETARG_POINTER(arg));
    return new_state(fcinfo);
}

} // namespace

// credit_acc_add(internal, credit): adds a non-null value.
CREDITS_FUNCTION(credit_acc_add) {
    Accumulator* acc = state_for(fcinfo, 0);
    if (!PG_ARGISNULL(1))
        acc->add(PG_GETARG_CREDIT(1));
    PG_RETURN_POINTER(acc);
}

// credit_acc_remove(internal, credit): removes a value (moving aggregates).
CREDITS_FUNCTION(credit_acc_remove) {
    Accumulator* acc = state_for(fcinfo, 0);
    if (!PG_ARGISNULL(1))
        acc->remove(PG_GETARG_CREDIT(1));
    PG_RETURN_POINTER(acc);
}

// credit_acc_combine(internal, internal): merges two partial states.
CREDITS_FUNCTION(credit_acc_combine) {
    if (PG_ARGISNULL(1)) {
        if (PG_ARGISNULL(0))
            PG_RETURN_NULL(); // no rows on either side: still no state
        PG_RETURN_DATUM(PG_GETARG_DATUM(0));
    }
    Accumulator* acc = state_for(fcinfo, 0);
    acc->merge(*reinterpret_cast<Accumulator*>(PG_GETARG_POINTER(1)));
    PG_RETURN_POINTER(acc);
}

// credit_acc_serialize(internal): the state as bytea for a parallel leader.
CREDITS_FUNCTION(credit_acc_serialize) {
    const Accumulator* acc = reinterpret_cast<Accumulator*>(PG_GETARG_POINTER(0));
    StringInfoData buf;
    pq_begintypsend(&buf);
    pq_sendint64(&buf, int64(acc->low_bits[1]));
    pq_sendint64(&buf, int64(acc->low_bits[0]));
    pq_sendint64(&buf, acc->high);
    pq_sendint64(&buf, acc->count);
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

// credit_acc_deserialize(bytea, internal): the inverse of serialize.
CREDITS_FUNCTION(credit_acc_deserialize) {
    bytea* bytes = PG_GETARG_BYTEA_PP(0);
    StringInfoData buf;
    initStringInfo(&buf);
    appendBinaryStringInfo(&buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
    Accumulator* acc = new_state(fcinfo);
    acc->low_bits[1] = uint64(pq_getmsgint64(&buf));
    acc->low_bits[0] = uint64(pq_getmsgint64(&buf));
    acc->high = pq_getmsgint64(&buf);
    acc->count = pq_getmsgint64(&buf);
    pq_getmsgend(&buf);
    pfree(buf.data);
    PG_RETURN_POINTER(acc);
}

// credit_sum_final(internal): the total, NULL over no rows.
CREDITS_FUNCTION(credit_sum_final) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    const Accumulator* acc = reinterpret_cast<Accumulator*>(PG_GETARG_POINTER(0));
    if (acc->count == 0)
        PG_RETURN_NULL();
    PG_RETURN_CREDIT(acc->total());
}

// credit_avg_final(internal): the mean rounded half-even, NULL over no rows.
CREDITS_FUNCTION(credit_avg_final) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    const Accumulator* acc = reinterpret_cast<Accumulator*>(PG_GETARG_POINTER(0));
    if (acc->count == 0)
        PG_RETURN_NULL();
    PG_RETURN_CREDIT(acc->mean());
}
