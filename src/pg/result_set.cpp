// Materialized set-returning function results.
#include "result_set.hpp"

extern "C" {
#include "miscadmin.h"
}

namespace credits::pg {

ResultSet::ResultSet(FunctionCallInfo fcinfo) {
    guarded([&] {
        ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        if (rsinfo == nullptr || !IsA(rsinfo, ReturnSetInfo) ||
            (rsinfo->allowedModes & SFRM_Materialize) == 0)
            ereport(ERROR,
                    (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                     errmsg("set-valued function called in context that cannot accept a set")));
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
            elog(ERROR, "credits: return type must be a row type");
        MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
        desc_ = CreateTupleDescCopy(desc);
        store_ = tuplestore_begin_heap(true, false, work_mem);
        MemoryContextSwitchTo(old);
        rsinfo->returnMode = SFRM_Materialize;
        rsinfo->setResult = store_;
        rsinfo->setDesc = desc_;
    });
}

void ResultSet::add(Datum* values, bool* nulls) {
    guarded([&] { tuplestore_putvalues(store_, desc_, values, nulls); });
}

} // namespace credits::pg
