"""A real RFC 3161 Time Stamping Authority on loopback: ``openssl ts -reply`` behind a small HTTP
handler, with a throwaway CA, TSA certificate and signing certificate made by openssl for the
session. Test modules import the fixtures they use from here (as from the SeaweedFS plugin).

It needs only the openssl command (tests/services/tsa/apt-packages): nothing to start before
the suite, so there is no service.sh; without openssl the fixture fails under CI and skips
elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from support import IN_CI

TSA_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@dataclass(frozen=True)
class Tsa:
    url: str
    ca: Path  # the CA that issued the TSA and signer certificates
    signer_cert: Path  # a certificate and key for CAdES signatures
    signer_key: Path
    requests: list  # one entry per timestamp served


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _leaf(folder: Path, name: str, cn: str, usage: str) -> None:
    (folder / f"{name}.ext").write_text(f"basicConstraints=CA:FALSE\n{usage}\n")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
             "-subj", f"/CN={cn}/O=Archivio test", cwd=folder)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=folder)


def make_pki(folder: Path) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=Archivio Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
    _leaf(folder, "tsa", "Archivio Test TSA", "keyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping")
    _leaf(folder, "signer", "Responsabile Conservazione Test", "keyUsage=critical,digitalSignature,nonRepudiation")
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(TSA_CONFIG.format(dir=folder))


@pytest.fixture(scope="session")
def tsa_server():
    if shutil.which("openssl") is None:
        message = "openssl is not installed (tests/services/tsa/apt-packages): run scripts/setup test"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="archivio-tsa-"))
    make_pki(folder)
    lock = threading.Lock()
    served: list = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:  # openssl ts keeps its serial number in a file
                query, reply = folder / "query.tsq", folder / "reply.tsr"
                query.write_bytes(body)
                done = subprocess.run(["openssl", "ts", "-reply", "-config", str(folder / "tsa.cnf"), "-queryfile",
                                       str(query), "-out", str(reply)], capture_output=True, timeout=60)
                data = reply.read_bytes() if done.returncode == 0 else b""
            if not data:
                self.send_response(400)
                self.end_headers()
                return
            served.append(len(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Tsa(f"http://127.0.0.1:{server.server_address[1]}/tsa", folder / "ca.pem", folder / "signer.pem",
                  folder / "signer.key", served)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(folder, ignore_errors=True)
