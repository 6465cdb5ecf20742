// The exception-to-ereport wrapper and the module's magic block.
#include "boundary.hpp"

#include <cstdio>
#include <new>
#include <stdexcept>

#include "error.hpp"

extern "C" {
PG_MODULE_MAGIC;
}

namespace credits::pg {

namespace {

// Copies at most size-1 bytes of `src` into `dst`.
void copy_text(char* dst, std::size_t size, const char* src) {
    std::snprintf(dst, size, "%s", src);
}

} // namespace

// Catches everything, copies what the error says into plain buffers, and
// only after the exception is gone raises it (ereport must not unwind a live
// exception object).
Datum invoke(Body body, FunctionCallInfo fcinfo) {
    char code[6] = "XX000";
    char message[1024];
    char detail[1024] = "";
    try {
        return body(fcinfo);
    } catch (const core::Error& e) {
        copy_text(code, sizeof code, e.sqlstate());
        copy_text(message, sizeof message, e.what());
        copy_text(detail, sizeof detail, e.detail().c_str());
    } catch (const std::bad_alloc&) {
        copy_text(code, sizeof code, "53200");
        copy_text(message, sizeof message, "out of memory");
    } catch (const std::overflow_error& e) {
        copy_text(code, sizeof code, core::sqlstate::kOutOfRange);
        copy_text(message, sizeof message, e.what());
    } catch (const std::exception& e) {
        copy_text(message, sizeof message, e.what());
    } catch (...) {
        copy_text(message, sizeof message, "unexpected C++ exception");
    }
    ereport(ERROR,
            (errcode(MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4])),
             errmsg_internal("%s", message), detail[0] ? errdetail_internal("%s", detail) : 0));
    return (Datum)0; // not reached
}

} // namespace credits::pg
