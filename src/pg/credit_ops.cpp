// Arithmetic and comparison operators of the credit type.
#include "credit_datum.hpp"

using namespace credits;
using core::RoundMode;
using pg::int128;

// Credits multiplied or divided by integers round half-even at the 9th digit.
#define CREDIT_BINARY(name, expr)                                                                  \
    CREDITS_FUNCTION(name) {                                                                       \
        int128 a = PG_GETARG_CREDIT(0);                                                            \
        int128 b = PG_GETARG_CREDIT(1);                                                            \
        PG_RETURN_CREDIT(expr);                                                                    \
    }

// credit + credit
CREDIT_BINARY(credit_add, core::add(a, b))
// credit - credit
CREDIT_BINARY(credit_sub, core::subtract(a, b))
// the larger of two credits (max() transition)
CREDIT_BINARY(credit_larger, a > b ? a : b)
// the smaller of two credits (min() transition)
CREDIT_BINARY(credit_smaller, a < b ? a : b)

// -credit (the range is symmetric, so this never overflows)
CREDITS_FUNCTION(credit_neg) {
    PG_RETURN_CREDIT(-PG_GETARG_CREDIT(0));
}

// +credit
CREDITS_FUNCTION(credit_uplus) {
    PG_RETURN_CREDIT(PG_GETARG_CREDIT(0));
}

// abs(credit)
CREDITS_FUNCTION(credit_abs) {
    int128 v = PG_GETARG_CREDIT(0);
    PG_RETURN_CREDIT(v < 0 ? -v : v);
}

// credit * intN and intN * credit: exact, or 22003.
#define CREDIT_TIMES_INT(type, getter)                                                             \
    CREDITS_FUNCTION(credit_mul_##type) {                                                          \
        PG_RETURN_CREDIT(core::multiply(PG_GETARG_CREDIT(0), getter(1)));                          \
    }                                                                                              \
    CREDITS_FUNCTION(type##_mul_credit) {                                                          \
        PG_RETURN_CREDIT(core::multiply(PG_GETARG_CREDIT(1), getter(0)));                          \
    }                                                                                              \
    CREDITS_FUNCTION(credit_div_##type) {                                                          \
        PG_RETURN_CREDIT(core::divide(PG_GETARG_CREDIT(0), getter(1), RoundMode::HalfEven));       \
    }

CREDIT_TIMES_INT(int2, PG_GETARG_INT16)
CREDIT_TIMES_INT(int4, PG_GETARG_INT32)
CREDIT_TIMES_INT(int8, PG_GETARG_INT64)

// Comparison operators: all derive from one three-way compare.
#define CREDIT_COMPARE(name, op)                                                                   \
    CREDITS_FUNCTION(name) {                                                                       \
        PG_RETURN_BOOL(core::compare(PG_GETARG_CREDIT(0), PG_GETARG_CREDIT(1)) op 0);              \
    }

CREDIT_COMPARE(credit_eq, ==)
CREDIT_COMPARE(credit_ne, !=)
CREDIT_COMPARE(credit_lt, <)
CREDIT_COMPARE(credit_le, <=)
CREDIT_COMPARE(credit_gt, >)
CREDIT_COMPARE(credit_ge, >=)
