#!/usr/bin/env bash
# One entry point for the benchmarks of BENCHMARKS.md. Each is bounded in size and time, uses
# loopback only, and prints a Markdown table. Not part of `mvn -B verify`.
#
#   loadtest/run.sh             every benchmark at the sizes BENCHMARKS.md records
#   loadtest/run.sh smoke       every benchmark at tiny sizes, to see they still run
#   loadtest/run.sh NAME…       some of them: intake, register, embedded, matcher, ecdsa, sethash, feed, propagation, dns, memory, traffic
#
# Plots (PNG) go to docs/benchmarks/ on a full run, to loadtest/target/benchmarks/ on a smoke run.
# Each benchmark works in a directory of its own under the system's temporary directory (the path is
# printed), deleted when it succeeds and kept, for its processes' logs, when it fails.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
names=(intake register embedded matcher ecdsa sethash feed propagation dns memory traffic)
if [ "${1:-}" = smoke ]; then
    mode=smoke
    shift
fi
if [ $# -gt 0 ]; then
    names=("$@")
fi
if [ "${mode}" = full ]; then
    out="${PWD}/docs/benchmarks"
else
    out="${PWD}/loadtest/target/benchmarks"
fi
mkdir -p "${out}"

# Debian peers: dig (feed), dnsperf and dnsdist (dns), Unbound (dns upstream), taskset (util-linux),
# HAProxy, wrk and nftables (traffic).
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
[ -x /usr/sbin/nft ] || missing+=(nftables)
command -v dig >/dev/null 2>&1 || missing+=(dnsutils)
command -v dnsperf >/dev/null 2>&1 || missing+=(dnsperf)
command -v dnsdist >/dev/null 2>&1 || missing+=(dnsdist)
[ -x /usr/sbin/unbound ] || missing+=(unbound)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
started=$(date +%s)

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

# The matcher at each list size (JMH), then heap per entry at the same sizes and the plots.
matcher() {
    local title="$1"
    shift
    jmh "${title}" MatcherBenchmark -rf json -rff "${out}/matcher.json" "$@"
    mvn -q -pl loadtest exec:exec -Dheap=4g -Dbenchmark=kz.qaqpa.loadtest.matcher.MatcherGrowth \
        -Dargs="--jmh ${out}/matcher.json --out ${out}"
}

bench() {
    local title="$1"
    shift
    echo
    echo "== ${title} ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    ${pin:-} mvn -q -pl loadtest exec:exec "$@"
}

for name in "${names[@]}"; do
    case "${name}:${mode}" in
        intake:full)
            # Warm: with fewer directives first, the JIT compiler takes half a core through the run.
            bench "intake, H2" -Dheap=3g -Dargs="--db h2 --directives 6000 --warmup 10000 --concurrency 16"
            if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
                bench "intake, PostgreSQL" -Dheap=3g -Dargs="--db postgres --directives 6000 --warmup 10000 --concurrency 16"
            fi ;;
        intake:smoke) bench "intake, H2 (smoke)" -Dargs="--db h2 --directives 200 --concurrency 4" ;;
        register:full)
            bench "register of 1,000,000 targets, H2" -Dbenchmark=kz.qaqpa.loadtest.register.RegisterBenchmark \
                -Dargs="--db h2 --nodes 3 --directives 100 --targets 10000"
            if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
                bench "register of 1,000,000 targets, PostgreSQL" -Dbenchmark=kz.qaqpa.loadtest.register.RegisterBenchmark \
                    -Dargs="--db postgres --nodes 3 --directives 100 --targets 10000"
                bench "register of 1,000,000 targets, PostgreSQL, after 10 directives of warm-up" \
                    -Dbenchmark=kz.qaqpa.loadtest.register.RegisterBenchmark \
                    -Dargs="--db postgres --nodes 3 --directives 100 --targets 10000 --warmup 10"
            fi ;;
        register:smoke) bench "register (smoke)" -Dbenchmark=kz.qaqpa.loadtest.register.RegisterBenchmark \
            -Dargs="--nodes 1 --directives 2 --targets 1000 --warmup 1" ;;
        # The embedded store's cost of an index on a hashed key, apart from the rest of a register.
        embedded:full) bench "the embedded store's hashed-key indexes, 1,000,000 rows" \
            -Dbenchmark=kz.qaqpa.loadtest.register.EmbeddedIndexCost -Dargs="--commits 100 --rows 10000" ;;
        embedded:smoke) bench "the embedded store's hashed-key indexes (smoke)" \
            -Dbenchmark=kz.qaqpa.loadtest.register.EmbeddedIndexCost -Dargs="--commits 5 --rows 1000" ;;
        matcher:full) matcher "matcher (JMH) at 100,000, 1,000,000 and 10,000,000 entries" ;;
        matcher:smoke) matcher "matcher (JMH, smoke)" -p entries=100000 -f 1 -wi 1 -i 1 -w 1s -r 1s ;;
        ecdsa:full) jmh "ECDSA verification (JMH)" EcdsaVerifyBenchmark ;;
        ecdsa:smoke) jmh "ECDSA verification (JMH, smoke)" EcdsaVerifyBenchmark -f 1 -wi 1 -i 1 -w 1s -r 1s ;;
        sethash:full) jmh "the set hash's expansion and the candidates for a second version (JMH)" SetHashExpansionBenchmark ;;
        sethash:smoke) jmh "the set hash's expansion (JMH, smoke)" SetHashExpansionBenchmark -f 1 -wi 1 -i 1 -w 1s -r 1s ;;
        feed:full)
            for entries in 100000 1000000; do
                bench "operators' feed, ${entries} entries" -Dheap=256m -Dbenchmark=kz.qaqpa.loadtest.feed.FeedBenchmark \
                    -Dargs="--entries ${entries} --changes 1000"
            done ;;
        feed:smoke) bench "operators' feed (smoke)" -Dheap=256m -Dbenchmark=kz.qaqpa.loadtest.feed.FeedBenchmark \
            -Dargs="--entries 20000 --changes 100" ;;
        propagation:full)
            bench "propagation" -Dbenchmark=kz.qaqpa.loadtest.propagation.PropagationBenchmark \
                -Dargs="--nodes 3 --directives 600 --rate 20 --out ${out}"
            bench "propagation onto a list of 1,000,000 names" -Dbenchmark=kz.qaqpa.loadtest.propagation.PropagationBenchmark \
                -Dargs="--nodes 3 --directives 600 --rate 20 --entries 1000000 --out ${out}" ;;
        propagation:smoke) bench "propagation (smoke)" -Dbenchmark=kz.qaqpa.loadtest.propagation.PropagationBenchmark \
            -Dargs="--nodes 1 --directives 20 --rate 20 --out ${out}" ;;
        # The benchmark's own JVM (dnsperf, Unbound) on CPU 1; the filter under test is pinned to CPU 0.
        # Growth: side by side at 100,000 and at 1,000,000 names, the updates under load at 1,000,000.
        dns:full) pin="taskset -c 1" bench "DNS filtering side by side with dnsdist; updates under load" \
            -Dbenchmark=kz.qaqpa.loadtest.dns.DnsBenchmark \
            -Dargs="--entries 100000,1000000 --seconds 15 --rate 10000 --update-seconds 120 --plot ${out}/dns-growth.png" ;;
        dns:smoke) pin="taskset -c 1" bench "DNS filtering (smoke)" -Dbenchmark=kz.qaqpa.loadtest.dns.DnsBenchmark \
            -Dargs="--entries 5000,10000 --seconds 2 --rate 2000 --warmup-seconds 1 --plot ${out}/dns-growth.png" ;;
        # A node as the README starts one (-Xmx160m -Xmn16m -XX:+UseSerialGC), beside more heap and less.
        memory:full) bench "a node's memory beside dnsdist's" \
            -Dbenchmark=kz.qaqpa.loadtest.dns.NodeMemoryBenchmark -Dargs="--entries 100000,1000000 --heaps 1g,256m,160m,144m"
        # Growth to 10,000,000 names (about 30 minutes, most of it writing the names into the database).
        bench "a node's memory beside dnsdist's as the list grows" -Dheap=12g \
            -Dbenchmark=kz.qaqpa.loadtest.dns.NodeMemoryBenchmark \
            -Dargs="--entries 100000,1000000,10000000 --heaps 160m,10000000:2g --plot ${out}/node-memory.png" ;;
        memory:smoke) bench "a node's memory (smoke)" \
            -Dbenchmark=kz.qaqpa.loadtest.dns.NodeMemoryBenchmark -Dargs="--entries 10000 --heaps 128m" ;;
        # Root: it builds network namespaces. The node and HAProxy pinned to CPU 0, the tools to CPU 1.
        traffic:full)
            echo; echo "== traffic filter side by side with HAProxy ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
            loadtest/traffic.sh "${out}" 10 1000000 ;;
        traffic:smoke)
            echo; echo "== traffic filter (smoke)"
            loadtest/traffic.sh "${out}" 2 10000 ;;
        *) echo "unknown benchmark '${name}'; one of intake, register, embedded, matcher, ecdsa, sethash, feed, propagation, dns, memory, traffic" >&2; exit 2 ;;
    esac
done
echo
echo "== all done in $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s; plots in ${out}"
