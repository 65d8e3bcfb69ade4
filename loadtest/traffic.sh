#!/usr/bin/env bash
# The traffic filter side by side with HAProxy in TCP pass-through, in one run on this machine
# (BENCHMARKS.md, "Traffic filter"). Needs root (network namespaces), nftables, HAProxy, wrk,
# openssl and python3; `loadtest/run.sh traffic` runs it after the build.
#
#   loadtest/traffic.sh OUT_DIR [SECONDS] [ENTRIES]
#
# Three namespaces as in TrafficFilterTproxyTest: a subscriber (wrk, openssl s_time) routed through
# a router whose nftables hand every TCP connection to a transparent proxy on port 15001, to an
# origin (HAProxy in HTTP mode answering 200 from memory, plain and TLS). The proxy under test —
# HAProxy with `bind transparent` and `server 0.0.0.0:0` (pass-through to the original destination),
# then the qaqpa node (TPROXY listener, a list of ENTRIES names) — is pinned to CPU 0; the
# subscriber's tools and the origin to CPU 1. Each proxy is warmed up for SECONDS in each pattern
# measured (many kept-alive connections, a connection a request, one connection) first.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
seconds="${2:-10}"
entries="${3:-1000000}"
mkdir -p "${out}"
work=$(mktemp -d)
C=qtb-c R=qtb-r S=qtb-s
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for n in $C $R $S; do ip netns del $n 2>/dev/null || true; done
    rm -rf "${work}"
}
trap cleanup EXIT

for n in $C $R $S; do ip netns del $n 2>/dev/null || true; ip netns add $n; ip -n $n link set lo up; done
ip link add qtbc0 netns $C type veth peer name qtbr0 netns $R
ip link add qtbs0 netns $S type veth peer name qtbr1 netns $R
ip -n $C addr add 10.77.1.2/24 dev qtbc0 && ip -n $C link set qtbc0 up && ip -n $C route add default via 10.77.1.1
ip -n $R addr add 10.77.1.1/24 dev qtbr0 && ip -n $R addr add 10.77.2.1/24 dev qtbr1
ip -n $R link set qtbr0 up && ip -n $R link set qtbr1 up
ip -n $S addr add 10.77.2.2/24 dev qtbs0 && ip -n $S link set qtbs0 up && ip -n $S route add default via 10.77.2.1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
# Tens of thousands of connections a run: wide port ranges and reuse of TIME_WAIT ports by new outgoing ones.
for n in $C $R; do
    ip netns exec $n sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1
done
ip -n $R rule add fwmark 1 lookup 100 && ip -n $R route add local 0.0.0.0/0 dev lo table 100
cat > "${work}/tproxy.nft" <<NFT
table ip qaqpa_tproxy {
  chain prerouting {
    type filter hook prerouting priority mangle; policy accept;
    iifname "qtbr0" meta l4proto tcp tproxy to :15001 meta mark set 1 accept
    iifname "qtbr0" meta l4proto tcp reject with tcp reset
  }
}
NFT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=origin.test \
    -addext subjectAltName=DNS:origin.test -days 2 -keyout "${work}/key.pem" -out "${work}/cert.pem" 2>/dev/null
cat "${work}/cert.pem" "${work}/key.pem" > "${work}/origin.pem"
cat > "${work}/origin.cfg" <<CFG
global
  maxconn 9000
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend origin
  bind 10.77.2.2:80
  bind 10.77.2.2:443 ssl crt ${work}/origin.pem
  http-request return status 200 content-type text/plain string "served by the origin"
CFG
cat > "${work}/passthrough.cfg" <<CFG
global
  maxconn 9000
  nbthread 1
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend subscribers
  bind 0.0.0.0:15001 transparent
  default_backend destinations
backend destinations
  server original 0.0.0.0:0
CFG
ip netns exec $S taskset -c 1 haproxy -db -f "${work}/origin.cfg" >"${work}/origin.log" 2>&1 &
pids+=($!)

client() { ip netns exec $C taskset -c 1 "$@"; }

# p99 in milliseconds from wrk --latency.
p99() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.3f", v }'; }
rate() { awk '/Requests\/sec/ { printf "%.0f", $2 }'; }

await_through() {
    for _ in $(seq 100); do
        client curl -s --max-time 1 -o /dev/null http://10.77.2.2/ && return 0
        sleep 0.2
    done
    echo "nothing answers through the proxy" >&2
    exit 1
}

# Handshakes per second: four openssl s_time clients, each making new TLS connections.
handshakes() {
    local total=0
    for _ in 1 2 3 4; do
        client openssl s_time -connect 10.77.2.2:443 -new -time "${seconds}" >"${work}/s_time.$_" 2>&1 &
    done
    wait_clients
    for file in "${work}"/s_time.*; do
        local made
        made=$(awk '/connections in .* real seconds/ { n = $1 } END { print n + 0 }' "${file}")
        [ "${made}" -gt 0 ] || { echo "openssl s_time made no connection:" >&2; cat "${file}" >&2; }
        total=$(( total + made ))
    done
    rm -f "${work}"/s_time.*
    echo $(( total / (seconds + 1) ))
}
wait_clients() { while pgrep -f "s_time -connect 10.77.2.2" >/dev/null; do sleep 0.2; done; }

# Resident memory of a process, in KiB.
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

# Live heap of a JVM after a full collection, in KiB (what its objects take; its RSS hardly moves).
heap() { jcmd "$1" GC.class_histogram 2>/dev/null | awk '/^Total/ { printf "%d", $3 / 1024 }'; }

# Bytes per open subscriber connection while 5,000 idle connections are held open: resident memory
# (HAProxy), or live heap plus resident memory (the JVM).
per_connection() {
    local pid="$1" java="${2:-}" before after heap_before=0 heap_after=0
    [ -z "${java}" ] || heap_before=$(heap "${pid}")
    before=$(rss "${pid}")
    ip netns exec $C python3 - <<'PY' &
import socket, time, resource
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
held = []
for i in range(5000):
    s = socket.create_connection(("10.77.2.2", 80))
    held.append(s)
open("/tmp/qtb-held", "w").write("held")
time.sleep(8)
PY
    local holder=$!
    while [ ! -f /tmp/qtb-held ]; do sleep 0.2; done
    sleep 2
    after=$(rss "${pid}")
    [ -z "${java}" ] || heap_after=$(heap "${pid}")
    wait "${holder}"
    rm -f /tmp/qtb-held
    echo $(( (after - before + heap_after - heap_before) * 1024 / 5000 ))
}

declare -A result
measure() {
    local name="$1" pid="$2" java="${3:-}"
    await_through
    client wrk -t1 -c50 -d"${seconds}"s http://10.77.2.2/ >/dev/null                      # warm-up
    client wrk -t1 -c50 -d"${seconds}"s -H "Connection: close" http://10.77.2.2/ >/dev/null
    client wrk -t1 -c1 -d"${seconds}"s http://10.77.2.2/ >/dev/null
    result[$name.keepalive]=$(client wrk -t1 -c50 -d"${seconds}"s http://10.77.2.2/ | rate)
    result[$name.connections]=$(client wrk -t1 -c50 -d"${seconds}"s -H "Connection: close" http://10.77.2.2/ | rate)
    result[$name.handshakes]=$(handshakes)
    result[$name.p99]=$(client wrk -t1 -c1 -d"${seconds}"s --latency http://10.77.2.2/ | p99)
    result[$name.memory]=$(per_connection "${pid}" "${java}")
}

# No proxy: the router forwards (what latency the proxies add is measured against this).
await_through
result[direct.p99]=$(client wrk -t1 -c1 -d"${seconds}"s --latency http://10.77.2.2/ | p99)
ip netns exec $R nft -f "${work}/tproxy.nft"

ip netns exec $R taskset -c 0 haproxy -db -f "${work}/passthrough.cfg" >"${work}/passthrough.log" 2>&1 &
pids+=($!)
haproxy_pid=$!
measure haproxy "${haproxy_pid}"
kill "${haproxy_pid}" && wait "${haproxy_pid}" 2>/dev/null || true

mvn -q -pl loadtest dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
ip netns exec $R taskset -c 0 java -Xmx1g -cp "loadtest/target/classes:$(cat loadtest/target/classpath.txt)" \
    kz.qaqpa.loadtest.traffic.TrafficNode 15001 "${entries}" >"${work}/node.log" 2>&1 &
pids+=($!)
node_pid=$!
until grep -q '^ready' "${work}/node.log" 2>/dev/null; do kill -0 "${node_pid}"; sleep 0.2; done
# The JVM is ip netns exec's child: its pid is the one jcmd and /proc speak of.
java_pid=$(pgrep -f 'kz.qaqpa.loadtest.traffic.TrafficNode' | head -1)
measure qaqpa "${java_pid}" java
# What the node refuses is refused while it is measured (a sanity check, not a figure).
client curl -s -o /dev/null -w '%{http_code}' http://10.77.2.2/restricted | grep -q 451

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
{
    echo "| | HAProxy 2.6 TCP pass-through | qaqpa traffic filter | ratio |"
    echo "|---|---|---|---|"
    echo "| HTTP requests/s, 50 kept-alive connections | ${result[haproxy.keepalive]} | ${result[qaqpa.keepalive]} | **$(ratio "${result[qaqpa.keepalive]}" "${result[haproxy.keepalive]}")** |"
    echo "| HTTP connections/s (one request each) | ${result[haproxy.connections]} | ${result[qaqpa.connections]} | **$(ratio "${result[qaqpa.connections]}" "${result[haproxy.connections]}")** |"
    echo "| TLS handshakes/s (4 × openssl s_time -new) | ${result[haproxy.handshakes]} | ${result[qaqpa.handshakes]} | **$(ratio "${result[qaqpa.handshakes]}" "${result[haproxy.handshakes]}")** |"
    echo "| p99 of one connection's requests, ms (direct: ${result[direct.p99]}) | ${result[haproxy.p99]} (+$(added "${result[haproxy.p99]}" "${result[direct.p99]}")) | ${result[qaqpa.p99]} (+$(added "${result[qaqpa.p99]}" "${result[direct.p99]}")) | |"
    echo "| memory per open connection, bytes (HAProxy: resident; qaqpa: live heap + resident) | ${result[haproxy.memory]} | ${result[qaqpa.memory]} | |"
}

# The ratios as a bar chart (SVG), the bar at 0.8 marked.
python3 - "${out}/traffic.svg" "$(ratio "${result[qaqpa.keepalive]}" "${result[haproxy.keepalive]}")" \
    "$(ratio "${result[qaqpa.connections]}" "${result[haproxy.connections]}")" \
    "$(ratio "${result[qaqpa.handshakes]}" "${result[haproxy.handshakes]}")" <<'PY'
import sys
path, *ratios = sys.argv[1:]
labels = ["HTTP requests/s", "HTTP connections/s", "TLS handshakes/s"]
width, bar, scale = 560, 40, 300
rows = []
for i, (label, value) in enumerate(zip(labels, map(float, ratios))):
    y = 40 + i * 60
    rows.append(f'<text x="10" y="{y + 25}" font-size="14">{label}</text>'
                f'<rect x="170" y="{y}" width="{value * scale:.0f}" height="{bar}" fill="#4a7ab5"/>'
                f'<text x="{175 + value * scale:.0f}" y="{y + 25}" font-size="14">{value:.2f}</text>')
line = 170 + 0.8 * scale
svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="230" font-family="sans-serif">'
       f'<text x="10" y="22" font-size="15">qaqpa traffic filter / HAProxy TCP pass-through (same run)</text>'
       + "".join(rows) +
       f'<line x1="{line}" y1="35" x2="{line}" y2="220" stroke="#c33" stroke-dasharray="4"/>'
       f'<text x="{line + 4}" y="225" font-size="12" fill="#c33">bar 0.8</text></svg>\n')
open(path, "w").write(svg)
PY
echo "plot: ${out}/traffic.svg"
