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

// Called inside a catch block: copies what the current exception says into
// static buffers, so that nothing of it is alive when the error is raised.
void capture_exception() noexcept;

// Raises the captured exception as a PostgreSQL error.
[[noreturn]] void report_captured_exception();

// Runs `body`, reporting any C++ exception it throws as a PostgreSQL error.
// A template so that the body is inlined: no extra call per row.
template <Body body> inline Datum invoke(FunctionCallInfo fcinfo) {
    try {
        return body(fcinfo);
    } catch (...) {
        capture_exception();
    }
    report_captured_exception();
}

} // namespace credits::pg

// Defines an SQL-callable function `name` whose body runs inside invoke().
#define CREDITS_FUNCTION(name)                                                                     \
    extern "C" {                                                                                   \
    PG_FUNCTION_INFO_V1(name);                                                                     \
    }                                                                                              \
    static inline Datum name##_body(FunctionCallInfo fcinfo);                                      \
    extern "C" Datum name(PG_FUNCTION_ARGS) {                                                      \
        return credits::pg::invoke<name##_body>(fcinfo);                                           \
    }                                                                                              \
    static inline Datum name##_body(FunctionCallInfo fcinfo)
