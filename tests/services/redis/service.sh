#!/usr/bin/env bash
# Redis from Debian's redis-server as the Celery broker of the distributed-mode tests.
#
#   service.sh start   start it on a free loopback port with an append-only file synced on every
#                      write (a killed broker loses nothing it acknowledged), wait until it answers,
#                      print `export ARCHIVIO_TEST_REDIS_URL=...` and ARCHIVIO_TEST_REDIS_SERVER (the
#                      binary, for tests that run a broker of their own to kill and restart)
#   service.sh stop    stop it and remove its data
#
# Log: tests/services/redis/run/redis.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/run"
pidfile="$run/redis.pid"

say() { echo "redis: $*" >&2; }

server_bin() {
  for candidate in "$(command -v redis-server || true)" /usr/bin/redis-server /usr/sbin/redis-server; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  say "redis-server not found: run scripts/setup test (it installs Debian's redis-server)"; exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop() {
  if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  fi
  rm -rf "$run/data"
}

start() {
  server="$(server_bin)"
  [ -f "$pidfile" ] && stop
  mkdir -p "$run/data"
  port="$(free_port)"
  # No password: it listens on the loopback address only, for the tests.
  "$server" --bind 127.0.0.1 --port "$port" --dir "$run/data" --appendonly yes --appendfsync always \
    --save "" --protected-mode yes --daemonize no --logfile "$run/redis.log" </dev/null >/dev/null 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 100); do
    if python3 - "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"PING\r\n")
assert s.recv(16).startswith(b"+PONG")
PY
    then
      say "started (pid $(cat "$pidfile")) on 127.0.0.1:$port"
      echo "export ARCHIVIO_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
      echo "export ARCHIVIO_TEST_REDIS_SERVER=$server"
      return 0
    fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { say "exited during start-up:"; tail -20 "$run/redis.log" >&2; exit 1; }
    sleep 0.1
  done
  say "did not answer within 10 s"; tail -20 "$run/redis.log" >&2; stop; exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
