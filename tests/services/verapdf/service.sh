#!/usr/bin/env bash
# veraPDF, the PDF/A validator of the PDF Association, for the archive-copy tests.
#
#   service.sh start   resolves veraPDF (greenfield-apps, see pom.xml) from Maven Central into
#                      cache/ on the first run and prints `export ARCHIVIO_TEST_VERAPDF_CP=...`,
#                      the Java classpath tests run `org.verapdf.apps.GreenfieldCliWrapper` with
#   service.sh stop    nothing to stop (veraPDF runs once per check, no server)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$here/cache"

log() { echo "[verapdf] $*" >&2; }

start() {
  local stamp="$cache/.classpath" want
  want="$(sha256sum "$here/pom.xml" | cut -c1-16)"
  if [ ! -s "$stamp" ] || [ "$(head -1 "$stamp")" != "$want" ]; then
    log "resolving veraPDF from Maven Central into $cache (first run only)"
    mkdir -p "$cache"
    mvn -q -B -f "$here/pom.xml" -Dmaven.repo.local="$cache/m2" \
      org.apache.maven.plugins:maven-dependency-plugin:3.6.1:build-classpath \
      -Dmdep.outputFile="$cache/cp.txt" >&2
    { echo "$want"; cat "$cache/cp.txt"; } > "$stamp"
  fi
  echo "export ARCHIVIO_TEST_VERAPDF_CP='$(sed -n 2p "$stamp")'"
}

case "${1:-}" in
  start) start ;;
  stop) : ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
