#!/usr/bin/env bash
# One entry point for the benchmarks of BENCHMARKS.md. Each is bounded in size and time, uses
# loopback only, and prints a Markdown table. Not part of `mvn -B verify`.
#
#   loadtest/run.sh             every benchmark at the sizes BENCHMARKS.md records
#   loadtest/run.sh smoke       every benchmark at tiny sizes, to see they still run
#   loadtest/run.sh NAME…       some of them: intake, matcher, ecdsa, feed, propagation
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
names=(intake matcher ecdsa feed propagation)
if [ "${1:-}" = smoke ]; then
    mode=smoke
    shift
fi
if [ $# -gt 0 ]; then
    names=("$@")
fi

echo "== building"
mvn -B -q install -DskipTests

# JMH takes its options as separate arguments, which exec:exec's -Dargs cannot give: run it directly.
jmh() {
    local title="$1"
    shift
    echo
    echo "== ${title} ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    mvn -q -pl loadtest dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
    java -Xmx4g -cp "loadtest/target/classes:$(cat loadtest/target/classpath.txt)" org.openjdk.jmh.Main "$@"
}

bench() {
    local title="$1"
    shift
    echo
    echo "== ${title} ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    mvn -q -pl loadtest exec:exec "$@"
}

for name in "${names[@]}"; do
    case "${name}:${mode}" in
        intake:full)
            bench "intake, H2" -Dargs="--db h2 --directives 6000 --concurrency 16"
            if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
                bench "intake, PostgreSQL" -Dargs="--db postgres --directives 6000 --concurrency 16"
            fi ;;
        intake:smoke) bench "intake, H2 (smoke)" -Dargs="--db h2 --directives 200 --concurrency 4" ;;
        matcher:full) jmh "matcher (JMH)" MatcherBenchmark ;;
        matcher:smoke) jmh "matcher (JMH, smoke)" MatcherBenchmark -p entries=100000 -f 1 -wi 1 -i 1 -w 1s -r 1s ;;
        ecdsa:full) jmh "ECDSA verification (JMH)" EcdsaVerifyBenchmark ;;
        ecdsa:smoke) jmh "ECDSA verification (JMH, smoke)" EcdsaVerifyBenchmark -f 1 -wi 1 -i 1 -w 1s -r 1s ;;
        feed:full) bench "operators' feed" -Dheap=256m -Dbenchmark=kz.qaqpa.loadtest.feed.FeedBenchmark \
            -Dargs="--entries 1000000 --changes 1000" ;;
        feed:smoke) bench "operators' feed (smoke)" -Dheap=256m -Dbenchmark=kz.qaqpa.loadtest.feed.FeedBenchmark \
            -Dargs="--entries 20000 --changes 100" ;;
        propagation:full) bench "propagation" -Dbenchmark=kz.qaqpa.loadtest.propagation.PropagationBenchmark \
            -Dargs="--nodes 3 --directives 600 --rate 20" ;;
        propagation:smoke) bench "propagation (smoke)" -Dbenchmark=kz.qaqpa.loadtest.propagation.PropagationBenchmark \
            -Dargs="--nodes 1 --directives 20 --rate 20" ;;
        *) echo "unknown benchmark '${name}'; one of intake, matcher, ecdsa, feed, propagation" >&2; exit 2 ;;
    esac
done
