// Conversions between credit and numeric, float8 and the integer types, and
// credit arithmetic with numeric operands. Numeric products and quotients
// are computed exactly by PostgreSQL's numeric code, then rounded here.
#include "credit_datum.hpp"

extern "C" {
#include "utils/builtins.h"
#include "utils/numeric.h"
}

using namespace credits;
using core::RoundMode;
using pg::int128;

namespace credits::pg {

namespace {

// numeric_in on a C string.
Datum numeric_from_text(const char* text) {
    return DirectFunctionCall3(numeric_in, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
                               Int32GetDatum(-1));
}

// numeric_out, refusing NaN and infinities, which have no credit value.
const char* finite_numeric_text(Datum numeric) {
    const char* text = DatumGetCString(DirectFunctionCall1(numeric_out, numeric));
    if (!numeric_is_finite(numeric))
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("cannot convert %s to credit", text)));
    return text;
}

// The sign of a numeric: -1, 0 or 1.
int numeric_sign_of(Datum numeric) {
    Datum zero = NumericGetDatum(int64_to_numeric(0));
    return DatumGetInt32(DirectFunctionCall2(numeric_cmp, numeric, zero));
}

} // namespace

bool numeric_is_finite(Datum numeric) {
    Numeric n = DatumGetNumeric(numeric);
    return !numeric_is_nan(n) && !numeric_is_inf(n);
}

Datum numeric_from_amount(int128 v) {
    char text[core::kMaxTextLength];
    core::format_amount(v, text);
    return numeric_from_text(text);
}

int128 amount_from_numeric(Datum numeric, const RoundMode* mode) {
    const char* text = finite_numeric_text(numeric);
    return mode ? core::parse_amount_rounded(text, *mode) : core::parse_amount(text);
}

} // namespace credits::pg

// numeric -> credit (implicit cast): exact, or an error rather than lost digits.
CREDITS_FUNCTION(credit_from_numeric) {
    PG_RETURN_CREDIT(pg::amount_from_numeric(PG_GETARG_DATUM(0), nullptr));
}

// credit -> numeric (implicit cast): always exact.
CREDITS_FUNCTION(credit_to_numeric) {
    PG_RETURN_DATUM(pg::numeric_from_amount(PG_GETARG_CREDIT(0)));
}

// float8 -> credit (implicit cast): the shortest decimal form, exact, or 22P02.
CREDITS_FUNCTION(credit_from_float8) {
    PG_RETURN_CREDIT(core::from_double(PG_GETARG_FLOAT8(0)));
}

// credit -> float8 (explicit cast): the nearest double, ties to even.
CREDITS_FUNCTION(credit_to_float8) {
    PG_RETURN_FLOAT8(core::to_double(PG_GETARG_CREDIT(0)));
}

// int2/int4/int8 -> credit (implicit casts): always exact and in range.
CREDITS_FUNCTION(credit_from_int2) {
    PG_RETURN_CREDIT(core::int128(PG_GETARG_INT16(0)) * core::kUnit);
}
CREDITS_FUNCTION(credit_from_int4) {
    PG_RETURN_CREDIT(core::int128(PG_GETARG_INT32(0)) * core::kUnit);
}
CREDITS_FUNCTION(credit_from_int8) {
    PG_RETURN_CREDIT(core::int128(PG_GETARG_INT64(0)) * core::kUnit);
}

// credit * numeric: the exact product rounded half-even at the 9th digit.
CREDITS_FUNCTION(credit_mul_numeric) {
    Datum a = pg::numeric_from_amount(PG_GETARG_CREDIT(0));
    pg::finite_numeric_text(PG_GETARG_DATUM(1));
    Datum product = DirectFunctionCall2(numeric_mul, a, PG_GETARG_DATUM(1));
    RoundMode mode = RoundMode::HalfEven;
    PG_RETURN_CREDIT(pg::amount_from_numeric(product, &mode));
}

// numeric * credit
CREDITS_FUNCTION(numeric_mul_credit) {
    Datum b = pg::numeric_from_amount(PG_GETARG_CREDIT(1));
    pg::finite_numeric_text(PG_GETARG_DATUM(0));
    Datum product = DirectFunctionCall2(numeric_mul, PG_GETARG_DATUM(0), b);
    RoundMode mode = RoundMode::HalfEven;
    PG_RETURN_CREDIT(pg::amount_from_numeric(product, &mode));
}

// credit / numeric: the exact quotient rounded half-even at the 9th digit,
// decided from the integer quotient and remainder in raw units.
CREDITS_FUNCTION(credit_div_numeric) {
    int128 a = PG_GETARG_CREDIT(0);
    Datum divisor = PG_GETARG_DATUM(1);
    pg::finite_numeric_text(divisor);
    char text[core::kMaxTextLength];
    core::format_raw_integer(a, text);
    Datum dividend = pg::numeric_from_text(text);
    Datum quotient = DirectFunctionCall2(numeric_div_trunc, dividend, divisor);
    Datum remainder = DirectFunctionCall2(numeric_mod, dividend, divisor);
    int128 truncated =
        core::parse_raw_integer(DatumGetCString(DirectFunctionCall1(numeric_out, quotient)));
    core::Dropped dropped = core::Dropped::Zero;
    if (pg::numeric_sign_of(remainder) != 0) {
        Datum r = DirectFunctionCall1(numeric_abs, remainder);
        Datum twice = DirectFunctionCall2(numeric_add, r, r);
        int vs_half = DatumGetInt32(
            DirectFunctionCall2(numeric_cmp, twice, DirectFunctionCall1(numeric_abs, divisor)));
        dropped = vs_half < 0    ? core::Dropped::BelowHalf
                  : vs_half == 0 ? core::Dropped::Half
                                 : core::Dropped::AboveHalf;
    }
    bool negative = (a < 0) != (pg::numeric_sign_of(divisor) < 0);
    PG_RETURN_CREDIT(core::apply_rounding(truncated, dropped, negative, RoundMode::HalfEven));
}

// credit / credit: a plain ratio, as numeric.
CREDITS_FUNCTION(credit_div_credit) {
    Datum a = pg::numeric_from_amount(PG_GETARG_CREDIT(0));
    Datum b = pg::numeric_from_amount(PG_GETARG_CREDIT(1));
    PG_RETURN_DATUM(DirectFunctionCall2(numeric_div, a, b));
}
