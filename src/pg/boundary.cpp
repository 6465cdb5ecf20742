// Turning C++ exceptions into PostgreSQL errors.
#include "boundary.hpp"

#include <cstdio>
#include <new>
#include <stdexcept>

#include "error.hpp"
#include "utf8.hpp"

namespace credits::pg {

namespace {

// What the last exception said; a backend runs one query at a time.
struct Captured {
    char code[6];
    char message[1024];
    char detail[1024];
    char hint[1024];
    ErrorData* pg_error; // set when the exception was a PostgreSQL error
};
Captured captured;

// Fills `captured`, cutting long texts on a character boundary.
void capture(const char* code, const char* message, const char* detail = "",
             const char* hint = "") {
    std::snprintf(captured.code, sizeof captured.code, "%s", code);
    core::utf8_copy(message, captured.message, sizeof captured.message);
    core::utf8_copy(detail, captured.detail, sizeof captured.detail);
    core::utf8_copy(hint, captured.hint, sizeof captured.hint);
    captured.pg_error = nullptr;
}

} // namespace

void capture_exception() noexcept {
    try {
        throw;
    } catch (const PgError& e) {
        capture("XX000", "");
        captured.pg_error = e.data();
    } catch (const core::Error& e) {
        capture(e.sqlstate(), e.what(), e.detail().c_str(), e.hint().c_str());
    } catch (const std::bad_alloc&) {
        capture("53200", "out of memory");
    } catch (const std::overflow_error& e) {
        capture(core::sqlstate::kOutOfRange, e.what());
    } catch (const std::exception& e) {
        capture("XX000", e.what());
    } catch (...) {
        capture("XX000", "unexpected C++ exception");
    }
}

void report_captured_exception() {
    if (captured.pg_error != nullptr)
        ReThrowError(captured.pg_error);
    const char* c = captured.code;
    ereport(ERROR, (errcode(MAKE_SQLSTATE(c[0], c[1], c[2], c[3], c[4])),
                    errmsg_internal("%s", captured.message),
                    captured.detail[0] ? errdetail_internal("%s", captured.detail) : 0,
                    captured.hint[0] ? errhint("%s", captured.hint) : 0));
    pg_unreachable();
}

const char* PgError::what() const noexcept {
    return data_ && data_->message ? data_->message : "PostgreSQL error";
}

// The PG_TRY frame holds no C++ object; after a PostgreSQL error it copies
// the error out of ErrorContext and leaves PostgreSQL's error state clean,
// so C++ unwinding can run before the error is raised again.
void run_guarded(void (*fn)(void*), void* arg) {
    MemoryContext context = CurrentMemoryContext;
    ErrorData* volatile error = nullptr;
    PG_TRY();
    { fn(arg); }
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        error = CopyErrorData();
        FlushErrorState();
    }
    PG_END_TRY();
    if (error != nullptr)
        throw PgError(error);
}

} // namespace credits::pg
