#!/usr/bin/env bash
# Runs one Gatling simulation against a server of its own, on this machine, and collects figures.
#
#   load-tests/run.sh agents|spectators|mixed [-Dagents=N -Dregions=R -Dspectators=M
#                                              -Dramp=S -Dduration=S -Dchurn.per.second=X
#                                              -Dmax.p99.ms=MS -Dmax.errors.percent=P ...]
#
# It starts PostgreSQL and Redis if needed (deploy/dev-services.sh), builds the server (skipped
# with SKIP_BUILD=1), starts one node on PostgreSQL plus Redis with a world of as many regions as
# -Dregions asks, in a fresh schema and Redis prefix of its own, runs the simulation with the
# Gatling Maven plugin, then stops the server. Everything lands in load-tests/target/load/<run>/:
#   summary.txt         the settings, Gatling's figures, events journaled per second, tick time,
#                       CPU and memory of the server and of Gatling, heap after a full GC
#   figures.txt         cross-user figures: speak-to-heard latency, spectators' frames
#   resources.csv       every 5 s: CPU (% of one core) and RSS (MiB) of the server and of Gatling
#   metrics-*.txt       the server's /metrics at the plateau's start and end
#   server.log, server-gc.log, gatling.log, and gatling-report/index.html (Gatling's HTML report)
# It exits non-zero when Gatling's assertions (p99 action-to-ack, errors) or the run's verdict
# (neighbours heard, speak-to-heard p99; figures.txt) failed.
#
# Environment: SKIP_BUILD=1, LOAD_SERVER_PORT (18080), LOAD_REMOTE_PORT (25620),
# LOAD_SERVER_HEAP (4g), LOAD_SERVER_OPTS (more JVM options, e.g. JFR),
# KEEP_SCHEMA=1 (keep the run's journal), LOAD_CHEAP_KEYS=1 (cheap argon2, below).
# The only setting changed from the server's defaults is registration's per-address rate limit,
# since every virtual agent registers from 127.0.0.1 (and, with LOAD_CHEAP_KEYS=1, the cost of
# hashing API keys); every other limit is the contract's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

usage() {
  sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}
[ $# -ge 1 ] || usage
case "$1" in
  agents) CLASS=AgentsSimulation ;;
  spectators) CLASS=SpectatorsSimulation ;;
  mixed) CLASS=MixedSimulation ;;
  *) usage ;;
esac
SIM=$1
shift
for arg in "$@"; do
  case "$arg" in -D*=*) ;; *) echo "run.sh: not a -Dkey=value: $arg" >&2; exit 2 ;; esac
done

# The value of -D$1=... among the arguments, or $2.
prop() {
  local value="$2" arg
  for arg in "${@:3}"; do
    case "$arg" in "-D$1="*) value="${arg#-D"$1"=}" ;; esac
  done
  echo "$value"
}
REGIONS=$(prop regions 5 "$@")
RAMP=$(prop ramp 10 "$@")
DURATION=$(prop duration 30 "$@")
PORT=${LOAD_SERVER_PORT:-18080}
REMOTE_PORT=${LOAD_REMOTE_PORT:-25620}
HEAP=${LOAD_SERVER_HEAP:-4g}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT="$ROOT/load-tests/target/load/$SIM-$STAMP"
SCHEMA="load_${STAMP//-/_}"
PREFIX="load-$STAMP:"
PGURL="postgresql://clawbots:clawbots@127.0.0.1:5432/clawbots"
mkdir -p "$OUT"
echo "run.sh: $SIM, results in $OUT"

deploy/dev-services.sh
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B install -DskipTests
fi
# The server's runnable jar (gateway-http/target, with its lib/ beside it), as `package` builds it.
JAR=$(ls "$ROOT"/gateway-http/target/gateway-http-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n1 || true)
if [ -z "$JAR" ] || [ ! -d "$ROOT/gateway-http/target/lib" ]; then
  echo "run.sh: no server jar in gateway-http/target: build it (./mvnw -q -B install -DskipTests)" >&2
  exit 1
fi

# A world of $REGIONS regions, laid out on a square-ish grid.
python3 - "$REGIONS" >"$OUT/world.conf" <<'PY'
import math, sys
n = int(sys.argv[1])
cols = math.ceil(math.sqrt(n))
print('include classpath("application")')
print("clawbots.world.regions = [")
for i in range(n):
    print(f'  {{id = "load-{i:03d}", name = "Load {i}", grid-x = {i % cols}, grid-y = {i // cols}}}')
print("]")
PY

# LOAD_CHEAP_KEYS=1: argon2 at 1 MiB and one pass instead of OWASP's 19 MiB and two, so that a ramp
# of thousands of agents measures the world rather than key hashing (about 90 ms of a core per key
# at the default here: registration tops out near 10 a second per hashing thread).
KEY_HASHING=""
if [ "${LOAD_CHEAP_KEYS:-0}" = 1 ]; then
  KEY_HASHING="-Dclawbots.auth.api-key-hashing.memory-kib=1024 -Dclawbots.auth.api-key-hashing.iterations=1"
fi

psql -q "$PGURL" -c "create schema $SCHEMA" >/dev/null
SERVER_PID=""
SAMPLER_PID=""
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${KEEP_SCHEMA:-0}" != 1 ]; then
    psql -q "$PGURL" -c "drop schema if exists $SCHEMA cascade" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

(
  cd "$OUT"
  # shellcheck disable=SC2086
  exec env DATABASE_URL="jdbc:postgresql://127.0.0.1:5432/clawbots?currentSchema=$SCHEMA" \
    REDIS_URL="redis://127.0.0.1:6379" REDIS_PREFIX="$PREFIX" \
    JWT_SECRET="load-test-secret-$STAMP-0123456789abcdef" \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$PORT" CLAWBOTS_REMOTE_PORT="$REMOTE_PORT" \
    java -Xms"$HEAP" -Xmx"$HEAP" -Xlog:gc:file="$OUT/server-gc.log":uptime ${LOAD_SERVER_OPTS:-} \
    -Dconfig.file="$OUT/world.conf" \
    -Dpekko.cluster.seed-nodes.0="pekko://clawbots@127.0.0.1:$REMOTE_PORT" \
    -Dclawbots.rate-limits.registration.limit=1000000 \
    $KEY_HASHING \
    -jar "$JAR" >"$OUT/server.log" 2>&1
) &
SERVER_PID=$!

deadline=$((SECONDS + 180))
until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "run.sh: the server did not become ready; see $OUT/server.log" >&2
    tail -20 "$OUT/server.log" >&2
    exit 1
  fi
  sleep 1
done
echo "run.sh: server ready on :$PORT (pid $SERVER_PID)"

# CPU (percent of one core) and RSS (MiB) of a process, from /proc: "cpu_ticks rss_kib".
proc_sample() {
  local pid=$1
  if [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
    local stat rss
    stat=$(sed 's/^.*) //' "/proc/$pid/stat")
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    echo "$stat" | awk -v rss="$rss" '{print $12 + $13, rss}'
  else
    echo "0 0"
  fi
}
gatling_pid() {
  pgrep -f "io.gatling.app.Gatling|io.gatling.plugin.util.MainWithArgsInFile" | head -1 || true
}
TICKS=$(getconf CLK_TCK)
(
  # seconds: run.sh's own clock ($SECONDS), as in plateau-start and plateau-end.
  echo "seconds,server_cpu_percent,server_rss_mib,gatling_cpu_percent,gatling_rss_mib"
  read -r s_prev _ < <(proc_sample "$SERVER_PID")
  g_prev=0
  g_pid=""
  while sleep 5; do
    [ -n "$g_pid" ] && [ -d "/proc/$g_pid" ] || { g_pid=$(gatling_pid); g_prev=""; }
    read -r s_now s_rss < <(proc_sample "$SERVER_PID")
    read -r g_now g_rss < <(proc_sample "$g_pid")
    [ -n "$g_prev" ] || g_prev=$g_now
    echo "$SECONDS,$(( (s_now - s_prev) * 100 / TICKS / 5 )),$((s_rss / 1024)),$(( (g_now - g_prev) * 100 / TICKS / 5 )),$((g_rss / 1024))"
    s_prev=$s_now
    g_prev=$g_now
  done
) >"$OUT/resources.csv" &
SAMPLER_PID=$!

# The plateau's start and end, for the rates: /metrics and the server's CPU ticks.
(
  until [ -n "$(gatling_pid)" ]; do sleep 0.5; done
  sleep "$((RAMP + 5))"
  curl -s "http://127.0.0.1:$PORT/metrics" >"$OUT/metrics-start.txt"
  echo "$SECONDS $(proc_sample "$SERVER_PID")" >"$OUT/plateau-start"
  sleep "$((DURATION > 10 ? DURATION - 10 : DURATION / 2))"
  curl -s "http://127.0.0.1:$PORT/metrics" >"$OUT/metrics-end.txt"
  echo "$SECONDS $(proc_sample "$SERVER_PID")" >"$OUT/plateau-end"
  jcmd "$SERVER_PID" GC.run >/dev/null 2>&1 && jcmd "$SERVER_PID" GC.heap_info >"$OUT/heap-after-gc.txt" 2>&1
) &
PLATEAU_PID=$!

set +e
./mvnw -B -pl load-tests gatling:test -Dsimulation="dev.clawbots.load.$CLASS" \
  -Dtarget="http://127.0.0.1:$PORT" -Dfigures.file="$OUT/figures.txt" "$@" 2>&1 |
  tee "$OUT/gatling.log" | grep -v '^\[INFO\] Download'
STATUS=${PIPESTATUS[0]}
set -e
wait "$PLATEAU_PID" 2>/dev/null || true

REPORT=$(ls -td load-tests/target/gatling/*/ 2>/dev/null | grep -i "${CLASS,,}" | head -1 || true)
[ -n "$REPORT" ] && cp -r "$REPORT" "$OUT/gatling-report"

python3 load-tests/summarize.py "$OUT" "$SIM $*" "$TICKS" >"$OUT/summary.txt" || true
cat "$OUT/summary.txt"
if grep -q "^verdict: failed" "$OUT/figures.txt" 2>/dev/null && [ "$STATUS" -eq 0 ]; then
  echo "run.sh: $(grep '^verdict:' "$OUT/figures.txt")" >&2
  STATUS=1
fi
echo "run.sh: Gatling exited $STATUS; report: $OUT/gatling-report/index.html"
exit "$STATUS"
