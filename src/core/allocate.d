src/core/allocate.o: src/core/allocate.cpp src/core/allocate.hpp \
 src/core/amount.hpp src/core/rounding.hpp src/core/error.hpp
src/core/allocate.hpp:
src/core/amount.hpp:
src/core/rounding.hpp:
src/core/error.hpp:
