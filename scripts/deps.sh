#!/usr/bin/env bash
# Installs from Debian's archive whatever the project needs and is missing
# (plus any packages named as arguments, for optional targets); does
# nothing (and reaches no network) when everything is present.
source "$(dirname "$0")/common.sh"

PACKAGES=(
    make g++ clang libclang-rt-14-dev cmake python3 perl
    "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" "postgresql-$PG_MAJOR-pgtap"
    "postgresql-$PG_MAJOR-cron"
    libtap-parser-sourcehandler-pgtap-perl
    libboost-dev googletest libgtest-dev libbenchmark-dev libpq-dev
    "$@"
)

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
say "installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
