// Reading SQL arguments into C++ values; a NULL where a value is required
// is 22004, naming the parameter.
#pragma once

#include <optional>
#include <string>

#include "spi.hpp"

namespace credits::pg {

std::string required_text(FunctionCallInfo fcinfo, int n, const char* name);
std::optional<std::string> optional_text(FunctionCallInfo fcinfo, int n);
int128 required_credit(FunctionCallInfo fcinfo, int n, const char* name);
std::optional<int128> optional_credit(FunctionCallInfo fcinfo, int n);
int32_t required_int4(FunctionCallInfo fcinfo, int n, const char* name);
int64_t required_int8(FunctionCallInfo fcinfo, int n, const char* name);
std::optional<int64_t> optional_timestamp(FunctionCallInfo fcinfo, int n);
// A jsonb argument (required) and its canonical text.
Datum required_jsonb(FunctionCallInfo fcinfo, int n, const char* name, std::string& text);
// jsonb {"reason": reason}, or {} without one: the metadata of operations
// that take a reason rather than metadata.
Datum reason_metadata(const std::optional<std::string>& reason);
// 22023 unless amount > 0, naming the parameter.
void require_positive(int128 amount, const char* name);
// 22004 when argument n is NULL (for types read directly).
void required_arg(FunctionCallInfo fcinfo, int n, const char* name);
// 22023 with `message`: an argument out of its domain.
[[noreturn]] void invalid(const std::string& message);
// The text of any datum through its type's output function.
std::string output_text(Oid type, Datum value);

// SHA-256 over the parts of a request, each followed by a separator; a
// missing part is marked apart from an empty one.
class RequestHash {
  public:
    RequestHash& add(const std::string& part);
    RequestHash& add(const std::optional<std::string>& part);
    // An amount as its text (a missing one marked apart).
    RequestHash& add_amount(std::optional<int128> amount);
    // A timestamp as its microseconds (independent of the session's zone).
    RequestHash& add_timestamp(std::optional<int64_t> t);
    void finish(uint8_t out[core::kHashSize]);

  private:
    core::Sha256 sha_;
};

} // namespace credits::pg
