# credits: PGXS build of the extension, plus the project's own targets.
#   make demo    provision, build, install, start a throwaway cluster, walk through
#   make test    provision, build, install, run every suite; ends "N passed, N failed"
#   make stop    stop the throwaway cluster
#   make bench   benchmarks against numeric, bigint, pgbench and COPY
#   make soak    crash-soak (DURATION=180 seconds) and long fuzz runs
#   make test-asan  unit tests under ASan+UBSan; pg_regress and pgTAP under UBSan + memcheck
#   make dbcheck the pgTAP suite against an existing database (PGHOST, PGDATABASE, ...)
PG_MAJOR ?= 15
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/$(PG_MAJOR)/bin/pg_config) pg_config)

# credits_tap: pgTAP assertions for users' suites (requires pgtap)
EXTENSION = credits credits_tap
EXTVERSION = 1.1
# The install script of the current version is assembled from pieces, in
# this order: the schema and new pieces create objects once; the function pieces
# only CREATE OR REPLACE functions, comments and grants, so the update
# script from the previous version re-runs them after its own changes.
SCHEMA_PIECES = $(addprefix sql/install/,header.sql type.sql credit_arith.sql \
	credit_compare.sql credit_cast.sql credit_aggregate.sql roles.sql ledger_tables.sql \
	ledger_triggers.sql billing_tables.sql)
# Objects new in this version, created once: they go into the install
# script and into the update script from the previous version alike.
NEW_PIECES = $(addprefix sql/install/,credit_resolution.sql lifecycle_tables.sql signals_tables.sql \
	analytics_tables.sql)
FUNCTION_PIECES = $(addprefix sql/install/,credit_round.sql ledger_functions.sql \
	billing_proration.sql billing_sla.sql billing_packs.sql billing_rewards.sql \
	lifecycle_functions.sql signals_functions.sql alerts_functions.sql analytics.sql \
	analytics_totals.sql)
# Released scripts are kept as shipped (1.0 is frozen; test/upgrade checks
# its SHA-256). On releasing a version, commit its generated update script
# to sql/ and start sql/updates/ for the next one.
DATA = sql/credits--1.0.sql sql/tap/credits_tap--1.0.sql
DATA_built = credits--$(EXTVERSION).sql credits--1.0--$(EXTVERSION).sql
MODULE_big = credits
OBJS = $(patsubst %.cpp,%.o,$(sort $(wildcard src/core/*.cpp src/pg/*.cpp)))
# PostgreSQL's headers as system headers: their unused parameters are not
# ours to fix, and our own code builds with -Werror.
PG_CPPFLAGS = -Isrc/core -Isrc/pg -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)
# -Wno-maybe-uninitialized: GCC 12 false positives inside Boost cpp_int
PG_CXXFLAGS = -std=c++17 -MMD -MP -Wall -Wextra -Werror -Wno-register -Wno-maybe-uninitialized
SHLIB_LINK = -lstdc++
# make test-asan builds a copy with SANITIZE="-fsanitize=address,undefined ..."
PG_CXXFLAGS += $(SANITIZE)
SHLIB_LINK += $(SANITIZE)
EXTRA_CLEAN = $(OBJS:.o=.d)

# pg_regress suite: test/sql/*.sql against test/expected/*.out
REGRESS = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test
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

credits--$(EXTVERSION).sql: $(SCHEMA_PIECES) $(NEW_PIECES) $(FUNCTION_PIECES)
	cat $^ > $@

credits--1.0--$(EXTVERSION).sql: sql/updates/credits--1.0--$(EXTVERSION).sql $(NEW_PIECES) $(FUNCTION_PIECES)
	cat $^ > $@

.DEFAULT_GOAL := all
.PHONY: deps demo test test-asan dbcheck stop bench soak unit format

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

soak:
	@bash scripts/soak.sh

test-asan:
	@bash scripts/asan.sh

dbcheck:
	@bash scripts/dbcheck.sh

unit:
	@bash scripts/unit.sh

format:
	clang-format -i src/core/*.hpp src/core/*.cpp src/pg/*.hpp src/pg/*.cpp test/unit/*.cpp test/fuzz/*.cpp test/fuzz/*.hpp test/bench/*.cpp test/soak/*.cpp
