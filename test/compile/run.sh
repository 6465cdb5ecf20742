#!/usr/bin/env bash
# Compile-time checks of typed SPI: test/compile/typed_spi.cpp builds with
# the statement's declared parameters and fails to build with too few, too
# many, mistyped or NULL-where-not-optional parameters, or a column read as
# an unreadable type. Prints TAP lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
work=$ROOT/build/compile-test
source "$ROOT/test/tap.sh"
cxx() { # cxx CASE: syntax-checks the file for one case
    g++ -std=c++17 -fsyntax-only -DCASE="$1" -I"$ROOT/src/core" -I"$ROOT/src/pg" \
        -isystem "$("$PG_CONFIG" --includedir-server)" "$ROOT/test/compile/typed_spi.cpp"
}
fails() { ! cxx "$1"; }
check "a call with the declared parameters builds" cxx 0
check "one parameter too few does not build" fails 1
check "one parameter too many does not build" fails 2
check "a parameter of another type does not build" fails 3
check "a NULL where no optional is declared does not build" fails 4
check "a column read as an unreadable type does not build" fails 5
