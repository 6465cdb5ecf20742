// The C++/PostgreSQL boundary: PostgreSQL headers, and the one wrapper every
// SQL-callable function goes through.
//
// Rules kept by every file in src/pg:
// - A function body declared with CREDITS_FUNCTION may throw any C++
//   exception; the wrapper turns it into ereport() with the right SQLSTATE.
// - ereport() longjmps. A frame that calls PostgreSQL directly holds no C++
//   object with a destructor; core code that needs such objects runs in its
//   own frames and calls no PostgreSQL function.
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
}

namespace credits::pg {

using Body = Datum (*)(FunctionCallInfo);

// Runs `body`, reporting any C++ exception it throws as a PostgreSQL error.
Datum invoke(Body body, FunctionCallInfo fcinfo);

} // namespace credits::pg

// Defines an SQL-callable function `name` whose body runs inside invoke().
#define CREDITS_FUNCTION(name)                                                                     \
    extern "C" {                                                                                   \
    PG_FUNCTION_INFO_V1(name);                                                                     \
    }                                                                                              \
    static Datum name##_body(FunctionCallInfo fcinfo);                                             \
    extern "C" Datum name(PG_FUNCTION_ARGS) {                                                      \
        return credits::pg::invoke(name##_body, fcinfo);                                           \
    }                                                                                              \
    static Datum name##_body(FunctionCallInfo fcinfo)
