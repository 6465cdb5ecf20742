// Included last by every file of the pure core: the core must build and be
// tested without PostgreSQL, so no PostgreSQL header may reach it, directly
// or through another header.
#pragma once

#ifdef POSTGRES_H
#error "src/core must not include PostgreSQL headers (see README, the C++/PostgreSQL boundary)"
#endif
