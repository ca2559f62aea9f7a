#!/usr/bin/env bash
# A cluster of ClawBots World server nodes on this machine, on loopback, sharing one PostgreSQL
# journal and one Redis (deploy/dev-services.sh starts both where they are missing).
#
#   deploy/local-cluster.sh start [N]      start nodes 1..N (default 3) that are not running, wait
#                                          until all are ready and in one cluster, say where they listen
#   deploy/local-cluster.sh status [N]     each node: pid, ports, /health/ready, cluster members
#   deploy/local-cluster.sh stop [N]       SIGTERM to every node (or to nodes 1..N), wait until gone
#   deploy/local-cluster.sh start-node I   start node I alone (it joins the running cluster)
#   deploy/local-cluster.sh stop-node I    SIGTERM to node I: a graceful leave; waits until it is gone
#   deploy/local-cluster.sh kill-node I    SIGKILL to node I: a crash
#
# Node I listens for HTTP on HTTP_BASE+I-1 (8080, 8081, ...), for the cluster on REMOTE_BASE+I-1
# (25520, ...) and serves Pekko Management on MANAGEMENT_BASE+I-1 (8558, ...). Nodes 1 to 3 are
# the seed nodes. Each node runs in CLUSTER_DIR/node-I (its pid file, its log server.log).
#
# Environment (defaults in brackets):
#   CLUSTER_DIR       [<repo>/target/local-cluster]
#   HTTP_BASE, REMOTE_BASE, MANAGEMENT_BASE  [8080, 25520, 8558]
#   DATABASE_URL      [jdbc:postgresql://127.0.0.1:5432/clawbots]   the shared journal
#   REDIS_URL         [redis://127.0.0.1:6379]                      the shared fan-out
#   REDIS_PREFIX      [empty]
#   JWT_SECRET        [generated once into CLUSTER_DIR/jwt-secret]  every node signs with it
#   NODE_HEAP         [512m]   each node's -Xmx
#   NODE_JAVA_OPTS    [empty]  more JVM options or -D settings for every node
#   SERVER_JAR        [<repo>/gateway-http/target/gateway-http-<version>.jar, built when missing]
#   DEV_SERVICES      [1]      0: do not run deploy/dev-services.sh (services started elsewhere)
#   START_TIMEOUT     [120]    seconds to wait for nodes to be ready; STOP_TIMEOUT [45]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/target/local-cluster}"
HTTP_BASE="${HTTP_BASE:-8080}"
REMOTE_BASE="${REMOTE_BASE:-25520}"
MANAGEMENT_BASE="${MANAGEMENT_BASE:-8558}"
DATABASE_URL="${DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/clawbots}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
REDIS_PREFIX="${REDIS_PREFIX:-}"
NODE_HEAP="${NODE_HEAP:-512m}"
NODE_JAVA_OPTS="${NODE_JAVA_OPTS:-}"
DEV_SERVICES="${DEV_SERVICES:-1}"
START_TIMEOUT="${START_TIMEOUT:-120}"
STOP_TIMEOUT="${STOP_TIMEOUT:-45}"
SEEDS=3

fail() {
  echo "local-cluster: ERROR: $*" >&2
  exit 1
}

http_port() { echo $((HTTP_BASE + $1 - 1)); }
remote_port() { echo $((REMOTE_BASE + $1 - 1)); }
management_port() { echo $((MANAGEMENT_BASE + $1 - 1)); }
node_dir() { echo "$CLUSTER_DIR/node-$1"; }

# The pid of node I if it is running, else nothing.
running_pid() {
  local pidfile pid
  pidfile="$(node_dir "$1")/pid"
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  fi
}

# GET on loopback; prints the body, fails unless the status is 2xx.
get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 3 "http://127.0.0.1:$1$2"
  else
    # bash's /dev/tcp, for machines without curl: status line checked, body printed.
    local response
    response="$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1
      printf 'GET $2 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3; cat <&3")" || return 1
    [[ "$(head -n1 <<<"$response")" =~ \ 2[0-9][0-9]\  ]] || return 1
    sed '1,/^\r$/d' <<<"$response"
  fi
}

server_jar() {
  if [ -n "${SERVER_JAR:-}" ]; then
    echo "$SERVER_JAR"
    return
  fi
  local jar
  jar="$(ls "$ROOT"/gateway-http/target/gateway-http-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n1 || true)"
  if [ -z "$jar" ] || [ ! -d "$ROOT/gateway-http/target/lib" ]; then
    echo "local-cluster: building the server (./mvnw -q -B install -DskipTests)..." >&2
    (cd "$ROOT" && ./mvnw -q -B install -DskipTests) >&2 || fail "the build failed"
    jar="$(ls "$ROOT"/gateway-http/target/gateway-http-*.jar | grep -v -e sources -e tests | head -n1)"
  fi
  echo "$jar"
}

jwt_secret() {
  if [ -n "${JWT_SECRET:-}" ]; then
    echo "$JWT_SECRET"
    return
  fi
  local file="$CLUSTER_DIR/jwt-secret"
  if [ ! -s "$file" ]; then
    mkdir -p "$CLUSTER_DIR"
    (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$file")
  fi
  cat "$file"
}

seed_options() {
  local i opts=()
  for ((i = 1; i <= SEEDS; i++)); do
    opts+=("-Dpekko.cluster.seed-nodes.$((i - 1))=pekko://clawbots@127.0.0.1:$(remote_port "$i")")
  done
  echo "${opts[@]}"
}

start_node() {
  local i="$1" dir pid jar secret
  pid="$(running_pid "$i")"
  if [ -n "$pid" ]; then
    echo "node $i: already running (pid $pid)"
    return
  fi
  jar="$(server_jar)"
  secret="$(jwt_secret)"
  dir="$(node_dir "$i")"
  mkdir -p "$dir"
  # shellcheck disable=SC2046,SC2086
  (
    cd "$dir"
    exec env HTTP_HOST=127.0.0.1 HTTP_PORT="$(http_port "$i")" \
      CLAWBOTS_REMOTE_HOST=127.0.0.1 CLAWBOTS_REMOTE_PORT="$(remote_port "$i")" \
      CLAWBOTS_MANAGEMENT=on CLAWBOTS_MANAGEMENT_PORT="$(management_port "$i")" \
      DATABASE_URL="$DATABASE_URL" REDIS_URL="$REDIS_URL" REDIS_PREFIX="$REDIS_PREFIX" \
      JWT_SECRET="$secret" \
      java "-Xmx$NODE_HEAP" -XX:+UseG1GC $(seed_options) $NODE_JAVA_OPTS -jar "$jar" \
      >>"$dir/server.log" 2>&1 </dev/null
  ) &
  echo $! >"$dir/pid"
  echo "node $i: started (pid $!), log $dir/server.log"
}

# Waits until node I answers /health/ready and sees at least MEMBERS members.
await_node() {
  local i="$1" members="$2" deadline=$((SECONDS + START_TIMEOUT)) full count
  while true; do
    [ -n "$(running_pid "$i")" ] ||
      fail "node $i exited while starting; the end of its log:$(echo; tail -n 20 "$(node_dir "$i")/server.log")"
    if get "$(http_port "$i")" /health/ready >/dev/null 2>&1 &&
      full="$(get "$(http_port "$i")" /health/full 2>/dev/null)"; then
      count="$(sed -n 's/.*"cluster_members":\([0-9]*\).*/\1/p' <<<"$full")"
      if [ -n "$count" ] && [ "$count" -ge "$members" ]; then
        return 0
      fi
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "node $i not ready in a cluster of $members within ${START_TIMEOUT}s (log: $(node_dir "$i")/server.log)"
    sleep 1
  done
}

stop_node() {
  local i="$1" signal="${2:-TERM}" pid deadline
  pid="$(running_pid "$i")"
  if [ -z "$pid" ]; then
    echo "node $i: not running"
    return
  fi
  kill "-$signal" "$pid"
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "node $i: still running ${STOP_TIMEOUT}s after SIG$signal, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$(node_dir "$i")/pid"
  echo "node $i: stopped (SIG$signal)"
}

# Nodes with a directory under CLUSTER_DIR, in order.
known_nodes() {
  local d
  for d in "$CLUSTER_DIR"/node-*; do
    [ -d "$d" ] && echo "${d##*-}"
  done | sort -n
}

describe_node() {
  local i="$1" pid ready
  pid="$(running_pid "$i")"
  if [ -z "$pid" ]; then
    printf 'node %s  stopped                http :%s  cluster :%s  management :%s\n' \
      "$i" "$(http_port "$i")" "$(remote_port "$i")" "$(management_port "$i")"
    return
  fi
  ready="$(get "$(http_port "$i")" /health/ready 2>/dev/null | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')"
  printf 'node %s  pid %-8s %-9s http://127.0.0.1:%s  cluster pekko://clawbots@127.0.0.1:%s  management http://127.0.0.1:%s  log %s\n' \
    "$i" "$pid" "${ready:-starting}" "$(http_port "$i")" "$(remote_port "$i")" \
    "$(management_port "$i")" "$(node_dir "$i")/server.log"
}

need_index() {
  [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || fail "a node number (1, 2, ...) is needed, got '${1:-}'"
}

command="${1:-}"
case "$command" in
  start)
    n="${2:-3}"
    need_index "$n"
    command -v java >/dev/null 2>&1 || fail "java (17 or newer) is not on PATH"
    if [ "$DEV_SERVICES" = 1 ]; then
      "$ROOT/deploy/dev-services.sh" postgresql redis >/dev/null || fail "deploy/dev-services.sh failed"
    fi
    for ((i = 1; i <= n; i++)); do
      start_node "$i"
    done
    for ((i = 1; i <= n; i++)); do
      await_node "$i" "$n"
    done
    echo "a cluster of $n nodes is up:"
    for ((i = 1; i <= n; i++)); do
      describe_node "$i"
    done
    ;;
  start-node)
    need_index "${2:-}"
    start_node "$2"
    await_node "$2" 1
    describe_node "$2"
    ;;
  stop)
    if [ -n "${2:-}" ]; then
      need_index "$2"
      nodes="$(seq 1 "$2")"
    else
      nodes="$(known_nodes)"
    fi
    for i in $nodes; do
      stop_node "$i" TERM
    done
    ;;
  stop-node)
    need_index "${2:-}"
    stop_node "$2" TERM
    ;;
  kill-node)
    need_index "${2:-}"
    stop_node "$2" KILL
    ;;
  status)
    if [ -n "${2:-}" ]; then
      need_index "$2"
      nodes="$(seq 1 "$2")"
    else
      nodes="$(known_nodes)"
    fi
    [ -n "$nodes" ] || echo "no nodes under $CLUSTER_DIR"
    for i in $nodes; do
      describe_node "$i"
    done
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
