// SQL wrappers of the proration core: instants are converted to the
// caller's time zone here; the arithmetic is in src/core/proration.cpp.
#include <vector>

#include "proration_sql.hpp"

#include "args.hpp"
#include "error.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

// An instant and its wall clock in time zone `tz` (22023 for infinity or an
// unknown zone).
core::Instant instant(Datum t, Datum tz, const char* name) {
    core::Instant result{DatumGetTimestampTz(t), 0};
    if (TIMESTAMP_NOT_FINITE(result.utc))
        throw core::Error(core::sqlstate::kInvalidParameter,
                          std::string(name) + " must be a finite timestamp");
    guarded(
        [&] { result.local = DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone, tz, t)); });
    return result;
}

} // namespace

core::Fraction fraction_from(FunctionCallInfo fcinfo, int first, int basis_arg, int tz_arg) {
    std::string basis = required_text(fcinfo, basis_arg, "basis");
    Datum tz = PG_GETARG_DATUM(tz_arg);
    return core::unused_fraction(core::parse_basis(basis),
                                 instant(PG_GETARG_DATUM(first), tz, "period_start"),
                                 instant(PG_GETARG_DATUM(first + 1), tz, "period_end"),
                                 instant(PG_GETARG_DATUM(first + 2), tz, "change_at"));
}

namespace {

// A one-dimensional array argument without NULLs, as Datums.
std::vector<Datum> array_elements(FunctionCallInfo fcinfo, int n, Oid type, int16 len, bool byval,
                                  char align, const char* name) {
    Datum* elements = nullptr;
    bool* nulls = nullptr;
    int count = 0;
    guarded([&] {
        ArrayType* array = PG_GETARG_ARRAYTYPE_P(n);
        if (ARR_NDIM(array) > 1)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s must be a one-dimensional array", name)));
        deconstruct_array(array, type, len, byval, align, &elements, &nulls, &count);
    });
    std::vector<Datum> result;
    for (int i = 0; i < count; i++) {
        if (nulls[i])
            throw core::Error(core::sqlstate::kNullValue,
                              std::string(name) + " must not contain NULL");
        result.push_back(elements[i]);
    }
    return result;
}

} // namespace

} // namespace credits::pg

using namespace credits;

// credits.prorate(amount, period_start, period_end, change_at, basis, digits,
// rounding, tz): amount x unused fraction, rounded.
CREDITS_FUNCTION(credits_prorate) {
    core::int128 result;
    { // C++ objects end here, before PostgreSQL allocates the result
        core::Fraction f = pg::fraction_from(fcinfo, 1, 4, 7);
        std::string rounding = pg::required_text(fcinfo, 6, "rounding");
        result = core::prorate(PG_GETARG_CREDIT(0), f, PG_GETARG_INT32(5),
                               core::parse_round_mode(rounding));
    }
    PG_RETURN_CREDIT(result);
}

// credits.unused_fraction(period_start, period_end, change_at, basis, tz):
// the exact unused fraction as {numerator, denominator}.
CREDITS_FUNCTION(credits_unused_fraction) {
    core::Fraction f = pg::fraction_from(fcinfo, 0, 3, 4);
    Datum parts[2] = {Int64GetDatum(f.num), Int64GetDatum(f.den)};
    ArrayType* result = nullptr;
    pg::guarded([&] { result = construct_array(parts, 2, INT8OID, 8, true, TYPALIGN_DOUBLE); });
    PG_RETURN_ARRAYTYPE_P(result);
}

// credits.cumulative_net(old_amounts, new_amounts, fractions, digits,
// rounding): the exact net of several plan changes, rounded once.
CREDITS_FUNCTION(credits_cumulative_net) {
    Oid credit = pg::credit_type_oid();
    std::vector<Datum> olds =
        pg::array_elements(fcinfo, 0, credit, 16, false, TYPALIGN_DOUBLE, "old_amounts");
    std::vector<Datum> news =
        pg::array_elements(fcinfo, 1, credit, 16, false, TYPALIGN_DOUBLE, "new_amounts");
    std::vector<Datum> fractions =
        pg::array_elements(fcinfo, 2, INT8OID, 8, true, TYPALIGN_DOUBLE, "fractions");
    if (olds.size() != news.size() || fractions.size() != 2 * olds.size())
        throw core::Error(core::sqlstate::kInvalidParameter,
                          "old_amounts, new_amounts and fractions do not match",
                          "fractions holds a numerator and a denominator per change.");
    std::vector<core::PlanChange> chain;
    for (std::size_t i = 0; i < olds.size(); i++) {
        core::Fraction f{DatumGetInt64(fractions[2 * i]), DatumGetInt64(fractions[2 * i + 1])};
        if (f.den <= 0 || f.num < 0 || f.num > f.den)
            throw core::Error(core::sqlstate::kInvalidParameter,
                              "each fraction must have 0 <= numerator <= denominator");
        chain.push_back({pg::credit_value(olds[i]), pg::credit_value(news[i]), f});
    }
    std::string rounding = pg::required_text(fcinfo, 4, "rounding");
    core::int128 net =
        core::cumulative_net(chain, PG_GETARG_INT32(3), core::parse_round_mode(rounding));
    return pg::to_datum(net); // a credit Datum, built under a guard
}
