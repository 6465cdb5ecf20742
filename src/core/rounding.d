src/core/rounding.o: src/core/rounding.cpp src/core/rounding.hpp \
 src/core/error.hpp
src/core/rounding.hpp:
src/core/error.hpp:
