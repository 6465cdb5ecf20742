// What typed SPI (src/pg/spi.hpp) must refuse at compile time: built once
// per CASE by test/compile/run.sh; CASE 0 must build, every other must not.
#include "spi.hpp"

namespace credits::pg {

Statement<int64_t, std::string> statement{"SELECT $1, $2"};

void call(Spi& spi) {
#if CASE == 0 // the declared parameters
    spi.run(statement, int64_t{1}, std::string("key"));
    spi.get<std::optional<int128>>(0, "amount");
#elif CASE == 1 // one parameter too few
    spi.run(statement, int64_t{1});
#elif CASE == 2 // one too many
    spi.run(statement, int64_t{1}, std::string("key"), std::string("extra"));
#elif CASE == 3 // a parameter of another type
    spi.run(statement, std::string("1"), std::string("key"));
#elif CASE == 4 // a NULL where the statement takes no optional
    spi.run(statement, std::optional<int64_t>{}, std::string("key"));
#elif CASE == 5 // a column read as a type SPI cannot read
    spi.get<double>(0, "amount");
#endif
}

} // namespace credits::pg
