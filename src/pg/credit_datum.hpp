// Reading and making `credit` datums (16 bytes, passed by reference).
#pragma once

#include <cstring>

#include "amount.hpp"
#include "boundary.hpp"

namespace credits::pg {

using core::int128;

// The amount a credit datum points at (memcpy: the datum is 8-byte aligned).
inline int128 credit_value(Datum d) {
    int128 v;
    std::memcpy(&v, DatumGetPointer(d), sizeof v);
    return v;
}

// A new credit datum in the current memory context.
inline Datum credit_datum(int128 v) {
    void* p = palloc(sizeof v);
    std::memcpy(p, &v, sizeof v);
    return PointerGetDatum(p);
}

// Numeric <-> amount conversions (credit_numeric.cpp).
Datum numeric_from_amount(int128 v);
int128 amount_from_numeric(Datum numeric, const core::RoundMode* mode);
// Whether a numeric is neither NaN nor an infinity (plain frame: no throw).
bool numeric_is_finite(Datum numeric);

} // namespace credits::pg

#define PG_GETARG_CREDIT(n) credits::pg::credit_value(PG_GETARG_DATUM(n))
#define PG_RETURN_CREDIT(v) return credits::pg::credit_datum(v)
