#!/usr/bin/env bash
# A real Elasticsearch 8 node on a free loopback port, for the test suite and the benchmark.
#
#   service.sh start   prints `export ARCHIVIO_TEST_ES_URL=http://127.0.0.1:PORT` once the cluster
#                      health is at least yellow (progress on stderr; the node's logs in run/logs/,
#                      or under /tmp/archivio-es-*/run/logs/ when started as root)
#   service.sh stop    stops it (SIGTERM, then SIGKILL after 30 s)
#
# The node comes from Maven Central (see pom.xml): Elastic's integ-test distribution of
# Elasticsearch, unpacked once into cache/ with the test analysis plugin built beside it
# (analysis-plugin/: the italian/english analyzers and asciifolding that analysis-common gives a
# production node). Later starts reuse cache/ and take well under a minute.
#
# Environment: ES_HEAP (default 512m), ES_START_TIMEOUT seconds (default 180), ES_JAVA_HOME (a
# Java 17 home; found automatically otherwise).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$here/cache"
run="$here/run"
version="$(sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' "$here/pom.xml")"
home="$cache/elasticsearch-$version"
plugin_name="archivio-test-analysis"

log() { echo "[elasticsearch] $*" >&2; }

java_home() {
  # Elasticsearch 8.14 runs on Java 17 to 22; a newer default Java (e.g. 25) refuses its security manager.
  if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return; fi
  for candidate in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/java-17-openjdk; do
    [ -x "$candidate/bin/java" ] && { echo "$candidate"; return; }
  done
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME"; return; fi
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

install_node() {
  local stamp="$cache/.installed"
  local want
  want="$(cat "$here/pom.xml" "$here/analysis-plugin/plugin-descriptor.properties" \
          "$here"/analysis-plugin/src/org/archivio/testanalysis/*.java | sha256sum | cut -c1-16)"
  if [ -d "$home" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return
  fi
  log "fetching Elasticsearch $version from Maven Central into $cache (first run only)"
  mkdir -p "$cache"
  rm -rf "$home" "$cache/dist"
  mvn -q -B -f "$here/pom.xml" -Dmaven.repo.local="$cache/m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DoutputDirectory="$cache/dist" -DincludeTypes=zip >&2
  unzip -q "$cache/dist/elasticsearch-$version.zip" -d "$cache"

  log "building the test analysis plugin"
  local build="$cache/plugin-build"
  rm -rf "$build"
  mkdir -p "$build/classes" "$home/plugins/$plugin_name"
  "$(java_home)/bin/javac" -nowarn --release 17 -cp "$home/lib/*" -d "$build/classes" \
    "$here"/analysis-plugin/src/org/archivio/testanalysis/*.java >&2
  "$(java_home)/bin/jar" --create --file "$home/plugins/$plugin_name/$plugin_name.jar" -C "$build/classes" . >&2
  sed "s/@ES_VERSION@/$version/" "$here/analysis-plugin/plugin-descriptor.properties" \
    > "$home/plugins/$plugin_name/plugin-descriptor.properties"
  chmod -R a+rX "$home"
  echo "$want" > "$stamp"
}

start() {
  install_node
  stop_node quietly
  # node_home: the installation the node runs from; node: its config, data, logs and temp files.
  local node_home="$home" node="$run" as=()
  if [ "$(id -u)" -eq 0 ]; then
    # Elasticsearch refuses to run as root, so as root (CI, containers) it runs as nobody, from a
    # copy under /tmp that nobody can reach whatever the permissions above this checkout.
    local runtime
    runtime="$(runtime_dir)"
    if [ "$(cat "$runtime/.installed" 2>/dev/null)" != "$(cat "$cache/.installed")" ]; then
      rm -rf "$runtime"
      mkdir -p "$runtime"
      cp -a "$home" "$runtime/home"
      cp "$cache/.installed" "$runtime/.installed"
      chmod 755 "$runtime"
    fi
    node_home="$runtime/home"
    node="$runtime/run"
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  fi
  rm -rf "$run" "$node"
  mkdir -p "$run" "$node/data" "$node/logs" "$node/tmp"
  cp -r "$node_home/config" "$node/config"
  # GC logs and crash files go to the node's folder, not into the installation.
  sed -i -e 's#^-Xlog:gc.*#-Xlog:disable#' \
         -e "s#^-XX:HeapDumpPath=.*#-XX:HeapDumpPath=$node/tmp#" \
         -e "s#^-XX:ErrorFile=.*#-XX:ErrorFile=$node/logs/hs_err_pid%p.log#" "$node/config/jvm.options"
  local port
  port="$(free_port)"
  cat > "$node/config/elasticsearch.yml" <<EOF
cluster.name: archivio-test
node.name: archivio-test-node
network.host: 127.0.0.1
http.port: $port
transport.port: 0
discovery.type: single-node
path.data: $node/data
path.logs: $node/logs
xpack.security.enabled: false
# A busy shared disk must not turn the test indices read-only.
cluster.routing.allocation.disk.threshold_enabled: false
# Tests clean up their indices by pattern.
action.destructive_requires_name: false
EOF
  [ ${#as[@]} -eq 0 ] || chown -R nobody:nogroup "$node"

  log "starting Elasticsearch $version on 127.0.0.1:$port (heap ${ES_HEAP:-512m}; logs in $node/logs)"
  local started=$SECONDS
  "${as[@]}" env -u ES_JAVA_OPTS ES_JAVA_HOME="$(java_home)" ES_PATH_CONF="$node/config" ES_TMPDIR="$node/tmp" \
    HOME="$node/tmp" ES_JAVA_OPTS="-Xms${ES_HEAP:-512m} -Xmx${ES_HEAP:-512m}" \
    "$node_home/bin/elasticsearch" -d -p "$node/tmp/elasticsearch.pid" >"$node/logs/console.log" 2>&1 || {
      log "Elasticsearch did not start; last lines of its log:"
      tail -n 30 "$node/logs/console.log" "$node/logs/archivio-test.log" >&2 2>/dev/null || true
      exit 1
    }
  cp "$node/tmp/elasticsearch.pid" "$run/pid"
  echo "$port" > "$run/port"

  local url="http://127.0.0.1:$port"
  local deadline=$((SECONDS + ${ES_START_TIMEOUT:-180}))
  until curl -fsS "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$run/pid")" 2>/dev/null; then
      log "Elasticsearch exited while starting; last lines of its log:"
      tail -n 30 "$node/logs/archivio-test.log" >&2 2>/dev/null || true
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "no yellow cluster health after ${ES_START_TIMEOUT:-180}s; stopping it"
      stop_node quietly
      exit 1
    fi
    sleep 1
  done
  log "ready at $url after $((SECONDS - started))s"
  echo "export ARCHIVIO_TEST_ES_URL=$url"
  echo "export ARCHIVIO_TEST_ES_PIDFILE=$run/pid"  # the outage test pauses the node through it
}

# A live Elasticsearch process (a pid file outlives its process, and the pid may be reused).
is_node() {
  kill -0 "$1" 2>/dev/null || return 1
  [ ! -d /proc ] || grep -qa elasticsearch "/proc/$1/cmdline" 2>/dev/null
}

# Where a root's node runs from (see start).
runtime_dir() { echo "/tmp/archivio-es-$(printf %s "$here" | sha256sum | cut -c1-12)"; }

stop_node() {
  # The checkout's pid file, else the node's own: a run killed before it could stop its node, in
  # a checkout deleted and cloned again at the same path (a CI workspace), left the node running
  # on the data folder the next start would use ("Lock held by another program").
  local pid="" candidate
  for candidate in "$run/pid" "$run/tmp/elasticsearch.pid" "$(runtime_dir)/run/tmp/elasticsearch.pid"; do
    pid="$(cat "$candidate" 2>/dev/null || true)"
    if [ -n "$pid" ] && is_node "$pid"; then
      break
    fi
    pid=""
  done
  if [ -z "$pid" ]; then
    [ "${1:-}" = quietly ] || log "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 30); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$run/pid"; log "stopped"; return 0; }
    sleep 1
  done
  log "still running after 30s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$run/pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop_node ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
