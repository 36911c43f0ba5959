"""deploy/ checked offline: the compose file against the compose specification's JSON schema, the
Kubernetes manifests against the Kubernetes OpenAPI schemas (kubernetes-validate ships them), the
settings they carry against Archivio's own, and the systemd units. No engine runs, nothing is built.

tests/deploy/compose_spec.json is the schema the PyPI package docker-compose 1.29.2 ships as
compose/config/compose_spec.json (Apache-2.0), kept here so the check needs no network.
"""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from pipeline.config import load_settings
from pipeline.queue import require_shared_services

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose" / "compose.yaml"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_follows_the_compose_specification():
    schema = json.loads((Path(__file__).parent / "deploy" / "compose_spec.json").read_text())
    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])


def test_compose_runs_every_part_and_only_the_watcher_sees_the_inbox():
    services = compose()["services"]
    assert {"watcher", "worker", "api", "redis", "s3", "elasticsearch", "prometheus"} <= set(services)
    assert services["elasticsearch"]["image"].split(":")[1].startswith("8.")
    for name in ("watcher", "worker", "api"):
        assert services[name]["environment"]["ARCHIVIO_QUEUE_BACKEND"] == "celery"
        assert "healthcheck" in services[name]
    inbox = [v for v in services["watcher"]["volumes"] if isinstance(v, dict) and v["target"].endswith("/inbox")]
    assert inbox and inbox[0]["type"] == "bind"
    for name in ("worker", "api"):
        assert not services[name].get("volumes"), f"{name} must need no shared folder"
    assert "ports" not in services["worker"] and "container_name" not in services["worker"]  # --scale worker=N


def test_every_variable_the_compose_file_needs_is_in_the_env_example():
    example = {line.split("=", 1)[0] for line in (DEPLOY / "compose" / ".env.example").read_text().splitlines()
               if line and not line.startswith("#")}
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    assert used - example == set()


def test_dockerfile_is_debian_slim_with_italian_and_english_ocr_and_no_root():
    text = (DEPLOY / "compose" / "Dockerfile").read_text()
    assert re.search(r"^FROM debian:\S+-slim", text, re.M)
    for package in ("tesseract-ocr-ita", "tesseract-ocr-eng", "tesseract-ocr-osd"):
        assert package in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert '".[celery]"' in text
    # What scripts/setup installs for the product (not the tests) is in the image as well.
    setup = (DEPLOY.parent / "scripts" / "setup").read_text().split('if [ "$mode" = test ]')[0]
    for package in re.findall(r"^want_pkg (\S+)", setup, re.M):
        assert package in text, package
    assert "PIP_NO_BINARY=tesserocr" in text


def manifests() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        out.extend((path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc)
    return out


@pytest.mark.parametrize("name, doc", manifests(), ids=lambda v: v if isinstance(v, str) else v["kind"])
def test_kubernetes_manifest_is_valid_against_the_openapi_schema(name, doc):
    version = kubernetes_validate.utils.latest_version()
    kubernetes_validate.validate(doc, version, strict=True)


def by_kind(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for _, doc in manifests() if doc["kind"] == kind}


def test_kubernetes_roles_have_probes_resources_and_one_watcher():
    deployments = by_kind("Deployment")
    assert set(deployments) == {"archivio-watcher", "archivio-worker", "archivio-api"}
    assert deployments["archivio-watcher"]["spec"]["replicas"] == 1
    assert deployments["archivio-watcher"]["spec"]["strategy"]["type"] == "Recreate"
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            assert container["resources"]["requests"] and container["resources"]["limits"], name
            assert "livenessProbe" in container, name
    api = deployments["archivio-api"]["spec"]["template"]["spec"]["containers"][0]
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz" and api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    worker = deployments["archivio-worker"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["livenessProbe"]["exec"]["command"] == ["archivio", "worker", "--health"]
    assert by_kind("HorizontalPodAutoscaler")["archivio-worker"]["spec"]["scaleTargetRef"]["name"] == "archivio-worker"
    assert "archivio" in by_kind("Ingress")
    assert by_kind("PersistentVolumeClaim")["archivio-inbox"]["spec"]["accessModes"] == ["ReadWriteMany"]


def test_configmap_settings_load_and_are_distributed(tmp_path):
    toml = by_kind("ConfigMap")["archivio-config"]["data"]["archivio.toml"]
    (tmp_path / "archivio.toml").write_text(toml)
    settings = load_settings(tmp_path / "archivio.toml", env={})
    require_shared_services(settings, "worker")  # raises if a role would need a local folder or file
    keda = yaml.safe_load((DEPLOY / "kubernetes" / "keda" / "scaledobject.yaml").read_text())
    assert keda["spec"]["scaleTargetRef"]["name"] == "archivio-worker"
    assert keda["spec"]["triggers"][0]["metadata"]["listName"] == settings.queue.name
    secret = by_kind("Secret")["archivio-credentials"]["stringData"]
    assert "ARCHIVIO_QUEUE_BROKER_URL" in secret and "ARCHIVIO_STORE_SECRET_ACCESS_KEY" in secret


@pytest.mark.parametrize("unit, command", [
    ("archivio-watch.service", "archivio watch"),
    ("archivio-worker@.service", "archivio worker"),
    ("archivio-api.service", "archivio serve"),
])
def test_systemd_units_run_their_role(unit, command):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / unit)
    assert set(parser.sections()) == {"Unit", "Service", "Install"}
    assert command in parser["Service"]["ExecStart"]
    assert parser["Service"]["User"] == "archivio"
    if "@" in unit:
        assert "%i" in parser["Unit"]["Description"]
