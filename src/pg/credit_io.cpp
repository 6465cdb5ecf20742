// Text and binary input/output of the credit type.
#include "credit_datum.hpp"

extern "C" {
#include "libpq/pqformat.h"
}

using namespace credits;
using pg::int128;

// credit_in(cstring): parses text; at most 9 fractional digits.
CREDITS_FUNCTION(credit_in) {
    const char* text = PG_GETARG_CSTRING(0);
    PG_RETURN_CREDIT(core::parse_amount(text));
}

// credit_out(credit): canonical text, no exponent or trailing zeros.
CREDITS_FUNCTION(credit_out) {
    int128 v = PG_GETARG_CREDIT(0);
    char* out = static_cast<char*>(palloc(core::kMaxTextLength));
    core::format_amount(v, out);
    PG_RETURN_CSTRING(out);
}

// credit_recv(internal): 16 bytes, big-endian two's complement; validated.
CREDITS_FUNCTION(credit_recv) {
    StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
    int64 high = pq_getmsgint64(buf);
    uint64 low = uint64(pq_getmsgint64(buf));
    int128 v = int128(core::uint128(uint64(high)) << 64 | low);
    if (v < core::kMinRaw)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("invalid binary credit value"),
                        errdetail("The smallest 128-bit integer is outside the credit range.")));
    PG_RETURN_CREDIT(v);
}

// credit_send(credit): the inverse of credit_recv.
CREDITS_FUNCTION(credit_send) {
    int128 v = PG_GETARG_CREDIT(0);
    StringInfoData buf;
    pq_begintypsend(&buf);
    pq_sendint64(&buf, int64(v >> 64));
    pq_sendint64(&buf, int64(uint64(core::uint128(v))));
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
