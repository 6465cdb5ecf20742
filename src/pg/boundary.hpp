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

#include <exception>
#include <type_traits>

namespace credits::pg {

using Body = Datum (*)(FunctionCallInfo);

// A PostgreSQL error caught by guarded(), carried through C++ frames (so
// their destructors run) and re-raised unchanged by the wrapper.
class PgError : public std::exception {
  public:
    explicit PgError(ErrorData* data) : data_(data) {}
    ErrorData* data() const noexcept { return data_; }
    const char* what() const noexcept override;

  private:
    ErrorData* data_;
};

// Runs fn(arg) under PG_TRY; a PostgreSQL error becomes a PgError.
void run_guarded(void (*fn)(void*), void* arg);

// Calls PostgreSQL from a frame that holds C++ objects: `f` must only call
// PostgreSQL and write plain data, never throw.
template <class F> void guarded(F&& f) {
    using Fn = std::remove_reference_t<F>;
    run_guarded([](void* p) noexcept { (*static_cast<Fn*>(p))(); }, &f);
}

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
    static inline Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo);                     \
    extern "C" Datum name(PG_FUNCTION_ARGS) {                                                      \
        return credits::pg::invoke<name##_body>(fcinfo);                                           \
    }                                                                                              \
    static inline Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo)
