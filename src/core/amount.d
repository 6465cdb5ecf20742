src/core/amount.o: src/core/amount.cpp src/core/amount.hpp \
 src/core/rounding.hpp src/core/error.hpp
src/core/amount.hpp:
src/core/rounding.hpp:
src/core/error.hpp:
