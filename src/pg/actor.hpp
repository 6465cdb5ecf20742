// Who is calling: recorded with operations and audit rows.
#pragma once

#include <string>

namespace credits::pg {

struct Actor {
    std::string session; // session_user
    std::string role;    // current_user outside SECURITY DEFINER functions
};

// The caller's session user and current role.
Actor current_actor();

} // namespace credits::pg
