// Errors raised by the pure core, carrying the SQLSTATE the SQL layer reports.
#pragma once

#include <stdexcept>
#include <string>

namespace credits::core {

// SQLSTATE codes the core uses; the SQL layer turns them into ereport codes.
namespace sqlstate {
inline constexpr const char* kInvalidText = "22P02";
inline constexpr const char* kOutOfRange = "22003";
inline constexpr const char* kInvalidParameter = "22023";
inline constexpr const char* kDivisionByZero = "22012";
inline constexpr const char* kNullValue = "22004";
} // namespace sqlstate

// An error with a SQLSTATE, a message, an optional detail and hint.
class Error : public std::runtime_error {
  public:
    Error(const char* code, const std::string& message, const std::string& detail = {},
          const std::string& hint = {})
        : std::runtime_error(message), detail_(detail), hint_(hint) {
        for (int i = 0; i < 5; i++)
            code_[i] = code[i];
        code_[5] = '\0';
    }
    const char* sqlstate() const noexcept { return code_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }

  private:
    char code_[6];
    std::string detail_;
    std::string hint_;
};

} // namespace credits::core
