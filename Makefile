# credits: PGXS build of the extension, plus the project's own targets.
#   make demo    provision, build, install, start a throwaway cluster, walk through
#   make test    provision, build, install, run every suite; ends "N passed, N failed"
#   make stop    stop the throwaway cluster
#   make bench   benchmarks against numeric, bigint, pgbench and COPY
PG_MAJOR ?= 15
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/$(PG_MAJOR)/bin/pg_config) pg_config)

EXTENSION = credits
DATA = credits--1.0.sql
MODULE_big = credits
OBJS = $(patsubst %.cpp,%.o,$(sort $(wildcard src/core/*.cpp src/pg/*.cpp)))
PG_CPPFLAGS = -Isrc/core -Isrc/pg
# -Wno-maybe-uninitialized: GCC 12 false positives inside Boost cpp_int
PG_CXXFLAGS = -std=c++17 -MMD -MP -Wno-register -Wno-maybe-uninitialized
SHLIB_LINK = -lstdc++
EXTRA_CLEAN = $(OBJS:.o=.d)

# pg_regress suite: sql/*.sql against expected/*.out
REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
# isolation suite: test/isolation/specs/*.spec against test/isolation/expected
ISOLATION = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation

# No LLVM bitcode: the JIT gains nothing from inlining these functions.
override with_llvm = no

# Before provisioning, PostgreSQL's build files may be missing; the project's
# own targets below still work and install them.
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all:
	@echo "PostgreSQL $(PG_MAJOR) server headers are missing: run 'make deps' (or 'make demo')." >&2
	@exit 1
endif

-include $(OBJS:.o=.d)

.DEFAULT_GOAL := all
.PHONY: deps demo test stop bench unit format

export PG_MAJOR PG_CONFIG

deps:
	@bash scripts/deps.sh

demo:
	@bash scripts/demo.sh

test:
	@bash scripts/test.sh

stop:
	@bash scripts/cluster.sh stop

bench:
	@bash scripts/bench.sh

unit:
	@bash scripts/unit.sh

format:
	clang-format -i src/core/*.hpp src/core/*.cpp src/pg/*.hpp src/pg/*.cpp test/unit/*.cpp test/fuzz/*.cpp test/bench/*.cpp
