#!/usr/bin/env bash
# The long variants of the reliability suite (RELIABILITY.md), beyond what every build runs:
# each Jazzer fuzz target for FUZZ (default 30m) instead of 20 s, and the crash test with
# DIRECTIVES (default 20000) signed directives and KILLS (default 10) kill -9s instead of 5,000 and 3.
# Needs what .ci/run needs (JDK 17, Maven, openssl, PostgreSQL server binaries for the crash test).
#   reliability/long-run.sh            everything
#   reliability/long-run.sh fuzz       only the fuzzing
#   reliability/long-run.sh crash      only the crash test
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
FUZZ="${FUZZ:-30m}"
DIRECTIVES="${DIRECTIVES:-20000}"
KILLS="${KILLS:-10}"

mvn -B -q install -DskipTests
if [ "$what" = all ] || [ "$what" = fuzz ]; then
    # One JVM per fuzz test class; findings land as crash-* files beside the seeds, to keep as regressions.
    mvn -B -pl directives,blocklist-cache surefire:test@fuzz -Dfuzz.duration="$FUZZ"
fi
if [ "$what" = all ] || [ "$what" = crash ]; then
    mvn -B -pl gateway verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CrashIT \
        -Dqaqpa.crash.directives="$DIRECTIVES" -Dqaqpa.crash.kills="$KILLS"
fi
