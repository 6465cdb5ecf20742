// Returning rows from a set-returning function (materialize mode).
#pragma once

#include "boundary.hpp"

extern "C" {
#include "funcapi.h"
#include "utils/tuplestore.h"
}

namespace credits::pg {

// A tuplestore for fcinfo's result, in the query's memory.
class ResultSet {
  public:
    explicit ResultSet(FunctionCallInfo fcinfo);
    // Adds a row; `values` and `nulls` have one element per output column.
    void add(Datum* values, bool* nulls);
    int columns() const { return desc_->natts; }

  private:
    Tuplestorestate* store_ = nullptr;
    TupleDesc desc_ = nullptr;
};

} // namespace credits::pg
