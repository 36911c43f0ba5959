#!/usr/bin/env bash
# Dovecot (Debian's dovecot-imapd) as the real IMAP server of the mail-intake tests.
#
#   service.sh start   write a throwaway configuration (loopback ports: IMAP with STARTTLS and
#                      IMAPS, certificates from a throwaway CA; one user whose password is in a
#                      file; Maildir under run/), start dovecot, wait until it greets, print
#                      `export ARCHIVIO_TEST_IMAP_*=...` lines on stdout
#   service.sh stop    stop it and remove its mail
#
# Nothing is written outside run/: no system configuration, no root-owned paths; it runs as the
# user who starts it. Log: tests/services/imap/run/dovecot.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/run"
say() { echo "imap: $*" >&2; }

dovecot_bin() {
  for candidate in /usr/sbin/dovecot "$(command -v dovecot || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  say "dovecot not found: install dovecot-imapd (scripts/setup test does)"; exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

stop() {
  if [ -f "$run/dovecot.conf" ] && [ -f "$run/base/master.pid" ]; then
    "$(dovecot_bin)" -c "$run/dovecot.conf" stop 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$run/base/master.pid" ] || break; sleep 0.1; done
    if [ -f "$run/base/master.pid" ]; then
      kill -KILL "$(cat "$run/base/master.pid")" 2>/dev/null || true
    fi
  fi
  rm -rf "$run"
}

start() {
  dovecot="$(dovecot_bin)"
  stop
  mkdir -p "$run/base" "$run/state" "$run/mail" "$run/home"
  user="$(id -un)"; group="$(id -gn)"; uid="$(id -u)"; gid="$(id -g)"
  login_user="$user"
  port="$(free_port)"
  tls_port="$(free_port)"
  # A throwaway CA and server certificate for 127.0.0.1, so the TLS path is tested too.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Archivio test IMAP CA" \
    -keyout "$run/ca.key" -out "$run/ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$run/server.key" -out "$run/server.csr" \
    >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1\n' > "$run/san.ext"
  openssl x509 -req -in "$run/server.csr" -CA "$run/ca.pem" -CAkey "$run/ca.key" -CAcreateserial -days 2 \
    -extfile "$run/san.ext" -out "$run/server.pem" >/dev/null 2>&1
  password="$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
  echo "archivio:{PLAIN}$password" > "$run/users"
  chmod 600 "$run/users"
  if [ "$uid" = 0 ]; then
    # As root (CI containers), dovecot refuses to log in or read mail as root: use the
    # unprivileged users its Debian package creates, and give them the throwaway folders only.
    user=dovecot; group="$(id -gn dovecot)"; uid="$(id -u dovecot)"; gid="$(id -g dovecot)"; login_user=dovenull
    chown -R "$user:$group" "$run/mail" "$run/home"
    chown "$user:$group" "$run/users"
  fi
  cat > "$run/dovecot.conf" <<CONF
# Throwaway test configuration written by tests/services/imap/service.sh
base_dir = $run/base
state_dir = $run/state
instance_name = archivio-test-$port
log_path = $run/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$run/server.pem
ssl_key = <$run/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $user
default_internal_group = $group
default_login_user = $login_user
first_valid_uid = $uid
first_valid_gid = $gid
mail_location = maildir:$run/mail/%u
mail_uid = $uid
mail_gid = $gid
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $run/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$run/home/%u
}
service imap-login {
  chroot =
  user = $login_user
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $tls_port
  }
}
service anvil {
  chroot =
}
service auth {
  user = $user
}
service auth-worker {
  user = $user
}
service stats {
  user = $user
}
service imap {
  process_limit = 64
}
protocol imap {
  mail_max_userip_connections = 50
}
CONF
  "$dovecot" -c "$run/dovecot.conf" >>"$run/dovecot.log" 2>&1 || { say "dovecot did not start:"; tail -20 "$run/dovecot.log" >&2; exit 1; }
  for _ in $(seq 1 50); do
    if python3 - "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
assert s.recv(100).startswith(b"* OK")
PY
    then
      echo "export ARCHIVIO_TEST_IMAP_HOST=127.0.0.1"
      echo "export ARCHIVIO_TEST_IMAP_PORT=$port"
      echo "export ARCHIVIO_TEST_IMAP_USER=archivio"
      echo "export ARCHIVIO_TEST_IMAP_PASSWORD=$password"
      echo "export ARCHIVIO_TEST_IMAP_TLS_PORT=$tls_port"
      echo "export ARCHIVIO_TEST_IMAP_CA=$run/ca.pem"
      echo "export ARCHIVIO_TEST_IMAP_CONF=$run/dovecot.conf"
      say "dovecot listening on 127.0.0.1:$port"
      return
    fi
    sleep 0.1
  done
  say "dovecot did not answer on port $port:"; tail -20 "$run/dovecot.log" >&2; exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
