// Argument reading and request hashing.
#include "args.hpp"

#include "error.hpp"
#include "ledger.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {
[[noreturn]] void null_argument(const char* name) {
    throw core::Error(core::sqlstate::kNullValue, std::string(name) + " must not be NULL");
}
} // namespace

void required_arg(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        null_argument(name);
}

void invalid(const std::string& message) {
    throw core::Error(core::sqlstate::kInvalidParameter, message);
}

std::string required_text(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        null_argument(name);
    return *optional_text(fcinfo, n);
}

std::optional<std::string> optional_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n))
        return std::nullopt;
    const char* s = nullptr;
    guarded([&] { s = TextDatumGetCString(PG_GETARG_DATUM(n)); });
    return std::string(s);
}

int128 required_credit(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        null_argument(name);
    return credit_value(PG_GETARG_DATUM(n));
}

std::optional<int128> optional_credit(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n))
        return std::nullopt;
    return credit_value(PG_GETARG_DATUM(n));
}

int64_t required_int8(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        null_argument(name);
    return PG_GETARG_INT64(n);
}

int32_t required_int4(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        null_argument(name);
    return PG_GETARG_INT32(n);
}

std::optional<int64_t> optional_timestamp(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n))
        return std::nullopt;
    return PG_GETARG_TIMESTAMPTZ(n);
}

Datum required_jsonb(FunctionCallInfo fcinfo, int n, const char* name, std::string& text) {
    if (PG_ARGISNULL(n))
        null_argument(name);
    text = output_text(JSONBOID, PG_GETARG_DATUM(n));
    return PG_GETARG_DATUM(n);
}

Datum reason_metadata(const std::optional<std::string>& reason) {
    Datum d = 0;
    guarded([&] {
        StringInfoData json;
        initStringInfo(&json);
        appendStringInfoChar(&json, '{');
        if (reason) {
            appendStringInfoString(&json, "\"reason\": ");
            escape_json(&json, reason->c_str());
        }
        appendStringInfoChar(&json, '}');
        d = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
    });
    return d;
}

void require_positive(int128 amount, const char* name) {
    if (amount <= 0)
        invalid(std::string(name) + " must be greater than zero, not " + credit_text(amount));
}

std::string output_text(Oid type, Datum value) {
    const char* s = nullptr;
    guarded([&] {
        Oid output;
        bool varlena;
        getTypeOutputInfo(type, &output, &varlena);
        s = OidOutputFunctionCall(output, value);
    });
    return s;
}

RequestHash& RequestHash::add(const std::string& part) {
    sha_.update("v", 1);
    sha_.update(part.data(), part.size());
    sha_.update("\x1f", 1);
    return *this;
}

RequestHash& RequestHash::add(const std::optional<std::string>& part) {
    if (part)
        return add(*part);
    sha_.update("\x1e\x1f", 2);
    return *this;
}

RequestHash& RequestHash::add_amount(std::optional<int128> amount) {
    return add(amount ? std::optional<std::string>(credit_text(*amount)) : std::nullopt);
}

RequestHash& RequestHash::add_timestamp(std::optional<int64_t> t) {
    return add(t ? std::optional<std::string>(std::to_string(*t)) : std::nullopt);
}

void RequestHash::finish(uint8_t out[core::kHashSize]) {
    sha_.finish(out);
}

} // namespace credits::pg
