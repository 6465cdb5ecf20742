// credits.round() and credits.allocate().
#include "credit_datum.hpp"

#include <new>
#include <string_view>

#include "allocate.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

using namespace credits;
using pg::int128;

// credits.round(credit, digits int, mode text): rounds to 0..9 digits.
CREDITS_FUNCTION(credit_round) {
    int128 v = PG_GETARG_CREDIT(0);
    int32 digits = PG_GETARG_INT32(1);
    const char* mode_name = text_to_cstring(PG_GETARG_TEXT_PP(2));
    core::RoundMode mode = core::parse_round_mode(mode_name);
    PG_RETURN_CREDIT(core::round_to_digits(v, digits, mode));
}

// credits.allocate(credit, numeric[], digits int): parts in proportion to
// the weights that add up to the total exactly.
CREDITS_FUNCTION(credit_allocate) {
    int128 total = PG_GETARG_CREDIT(0);
    ArrayType* weights = PG_GETARG_ARRAYTYPE_P(1);
    int32 digits = PG_GETARG_INT32(2);
    if (ARR_NDIM(weights) > 1)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("weights must be a one-dimensional array")));
    Datum* elements;
    bool* nulls;
    int count;
    deconstruct_array(weights, NUMERICOID, -1, false, TYPALIGN_INT, &elements, &nulls, &count);
    auto* texts = static_cast<std::string_view*>(palloc0(sizeof(std::string_view) * (count + 1)));
    for (int i = 0; i < count; i++) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("weights must not contain NULL"),
                            errdetail("Weight %d is NULL.", i + 1)));
        const char* text = DatumGetCString(DirectFunctionCall1(numeric_out, elements[i]));
        new (&texts[i]) std::string_view(text);
    }
    // palloc aligns to 8 bytes; a 128-bit integer wants 16.
    void* raw_parts = palloc(sizeof(int128) * (count + 1) + 16);
    auto* parts = reinterpret_cast<int128*>(TYPEALIGN(16, raw_parts));
    core::allocate(total, texts, std::size_t(count), digits, parts);

    Oid credit_type = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
    Datum* results = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
    for (int i = 0; i < count; i++)
        results[i] = pg::credit_datum(parts[i]);
    PG_RETURN_ARRAYTYPE_P(
        construct_array(results, count, credit_type, sizeof(int128), false, TYPALIGN_DOUBLE));
}
