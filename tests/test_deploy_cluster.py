"""The cluster's docker-compose file (docker does not run here, so it is read, not run): it
parses, has every service, and what it names exists — the Celery app, its queues, the
extras the image installs, the services its URLs point at, the S3 keys SeaweedFS knows."""
from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

yaml = pytest.importorskip("yaml")
ROOT = Path(__file__).resolve().parent.parent
CLUSTER = ROOT / "deploy" / "cluster"
if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((CLUSTER / "docker-compose.yml").read_text(encoding="utf-8"))


def test_every_service_is_there(compose):
    services = compose["services"]
    assert set(services) == {"rabbitmq", "postgres", "seaweedfs", "bucket", "worker", "beat", "flower"}
    assert "replicas" not in services["beat"].get("deploy", {})  # one beat per cluster
    for name in ("worker", "beat", "flower", "bucket"):
        assert services[name]["image"] == "gxnb:latest" and services[name]["build"]["dockerfile"]
    assert "-master.telemetry=false" in services["seaweedfs"]["command"]


def test_commands_name_what_exists(compose):
    from gxnb_spiders.cluster import app as app_module

    services = compose["services"]
    for name in ("worker", "beat", "flower"):
        argv = shlex.split(services[name]["command"])
        assert argv[:3] == ["celery", "-A", "gxnb_spiders.cluster.app"] and hasattr(app_module, "app")
    worker = shlex.split(services["worker"]["command"])
    queues = worker[worker.index("-Q") + 1].split(",")
    assert sorted(queues) == sorted(q.name for q in app_module.app.conf.task_queues)
    bucket = shlex.split(services["bucket"]["command"])
    assert bucket[:3] == ["python", "-m", "gxnb_spiders.cluster"] and bucket[3] == "make-bucket"


def test_urls_point_at_the_services_and_keys_match(compose):
    services = compose["services"]
    env = services["worker"]["environment"]
    hosts = {urlsplit(env[k]).hostname for k in ("GXNB_BROKER_URL", "GXNB_DATABASE_URL", "AWS_ENDPOINT_URL_S3")}
    assert hosts == {"rabbitmq", "postgres", "seaweedfs"}
    assert env["GXNB_RAW_URL"].startswith("s3://")
    broker = urlsplit(env["GXNB_BROKER_URL"])
    rabbit = services["rabbitmq"]["environment"]
    assert (broker.username, broker.password) == (rabbit["RABBITMQ_DEFAULT_USER"], rabbit["RABBITMQ_DEFAULT_PASS"])
    db = urlsplit(env["GXNB_DATABASE_URL"])
    pg = services["postgres"]["environment"]
    assert (db.username, db.password, db.path.strip("/")) == (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"],
                                                                pg["POSTGRES_DB"])
    keys = json.loads((CLUSTER / "s3.json").read_text())["identities"][0]["credentials"][0]
    assert (keys["accessKey"], keys["secretKey"]) == (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"])
    # the files it mounts are there
    for name in ("rabbitmq", "seaweedfs", "worker"):
        for volume in services[name].get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (CLUSTER / source).exists(), volume


def test_the_image_installs_extras_that_exist():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    wanted = re.search(r"pip install .*'\.\[([a-z,]+)\]'", (CLUSTER / "Dockerfile").read_text()).group(1)
    assert set(wanted.split(",")) <= set(extras)
