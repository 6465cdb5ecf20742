src/core/accumulator.o: src/core/accumulator.cpp src/core/accumulator.hpp \
 src/core/amount.hpp src/core/rounding.hpp src/core/error.hpp
src/core/accumulator.hpp:
src/core/amount.hpp:
src/core/rounding.hpp:
src/core/error.hpp:
