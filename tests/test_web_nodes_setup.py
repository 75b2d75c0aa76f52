"""Several web nodes: what docker compose and Varnish are given to run them.

The nodes under load, one killed, are in tests/resilience/test_web_nodes.py.
"""

import http.client
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.edge.varnish import free_port

ROOT = Path(__file__).resolve().parents[1]
VARNISH = ROOT / "deploy" / "varnish"


def compose_services():
    yaml = pytest.importorskip("yaml")
    text = re.sub(r"\$\{(\w+):?-([^}]*)\}", r"\2", (ROOT / "docker-compose.yml").read_text())
    text = re.sub(r"\$\{(\w+):\?[^}]*\}", "x", text)
    return yaml.safe_load(text)["services"]


def nodes(*addresses):
    return subprocess.run(
        ["sh", str(VARNISH / "nodes.sh"), *addresses],
        capture_output=True,
        text=True,
        timeout=10,
    )


def test_web_service_can_be_scaled_behind_varnish():
    services = compose_services()
    web = services["web"]

    # `--scale web=3` needs replicas that differ only by their address.
    assert "container_name" not in web and "ports" not in web
    assert all(
        not isinstance(settings, dict) or "ipv4_address" not in settings
        for settings in (web["networks"].values() if isinstance(web["networks"], dict) else [])
    )
    varnish = services["varnish"]
    assert varnish["entrypoint"] == ["/bin/sh", "/etc/varnish/start.sh"]
    assert "./deploy/varnish:/etc/varnish:ro" in varnish["volumes"]
    # Shared by every node: the cache (rate limits, pages), the database (sessions, lockouts,
    # tasks) and the uploaded media (one volume, or a bucket with MEDIA_STORAGE=s3).
    environment = web["environment"]
    assert environment["REDIS_URL"].startswith("redis://redis:")
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert any(volume.startswith("media:") for volume in web["volumes"])


def test_nodes_script_writes_one_probed_backend_per_node_and_a_director():
    result = nodes("172.30.80.11:8000", "172.30.80.12:8000", "172.30.80.13:8000")

    assert result.returncode == 0, result.stderr
    vcl = result.stdout
    assert re.findall(r'\.host = "([^"]+)";', vcl) == [
        "172.30.80.11",
        "172.30.80.12",
        "172.30.80.13",
    ]
    assert vcl.count(".probe = healthz;") == 3
    assert "new nodes = directors.round_robin();" in vcl
    assert [f"nodes.add_backend(web{n});" in vcl for n in (1, 2, 3)] == [True] * 3


def test_nodes_script_without_any_node_says_how_to_call_it():
    result = nodes()

    assert result.returncode == 2
    assert "usage" in result.stderr and "HÔTE:PORT" in result.stderr


@pytest.mark.skipif(shutil.which("varnishd") is None, reason="varnishd absent")
def test_shipped_vcl_compiles_with_three_nodes(tmp_path):
    (tmp_path / "nodes.vcl").write_text(
        nodes("10.0.0.1:8000", "10.0.0.2:8000", "10.0.0.3:8000").stdout
    )

    result = subprocess.run(
        [
            shutil.which("varnishd"),
            "-C",
            "-j",
            "none",
            "-n",
            str(tmp_path / "work"),
            "-p",
            f"vcl_path={VARNISH}:{tmp_path}",
            "-f",
            str(VARNISH / "default.vcl"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr[-2000:]


def test_object_storage_trial_serves_media_under_another_name_than_the_site():
    services = compose_services()

    assert all(
        services[name]["profiles"] == ["objets"] for name in ("minio", "minio-bucket", "medias")
    )
    assert "https://medias.localhost:9443" in services["medias"]["command"]
    environment = services["web"]["environment"]
    assert environment["MEDIA_STORAGE"] == "local"
    assert {"AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_CUSTOM_DOMAIN"} <= set(
        environment
    )


@pytest.mark.skipif(shutil.which("varnishd") is None, reason="varnishd absent")
def test_start_script_puts_varnish_in_front_of_every_address_of_the_service(tmp_path):
    class Node(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"ok" if self.path == "/healthz" else b"page du noeud"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    node = ThreadingHTTPServer(("127.0.0.1", 0), Node)
    threading.Thread(target=node.serve_forever, daemon=True).start()
    port = free_port()
    varnish = subprocess.Popen(
        [
            "sh",
            str(VARNISH / "start.sh"),
            *("-j", "none", "-n", str(tmp_path / "work"), "-s", "malloc,16m"),
            *("-a", f"http=127.0.0.1:{port}", "-a", f"purge=127.0.0.1:{free_port()}"),
            *("-T", f"127.0.0.1:{free_port()}"),
        ],
        # "localhost" stands for the compose service: every address it resolves to is a node.
        env={
            **os.environ,
            "WEB_SERVICE": "localhost",
            "WEB_PORT": str(node.server_address[1]),
            "TMPDIR": str(tmp_path),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        page = None
        deadline = time.monotonic() + 60
        while page is None and time.monotonic() < deadline and varnish.poll() is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/une-page/")
                page = connection.getresponse().read()
            except OSError:
                time.sleep(0.2)
        assert page == b"page du noeud", varnish.stdout.read1().decode() if varnish.poll() else ""
        nodes_vcl = (tmp_path / "varnish-nodes" / "nodes.vcl").read_text()
        assert f'.port = "{node.server_address[1]}";' in nodes_vcl
    finally:
        os.killpg(varnish.pid, signal.SIGTERM)
        varnish.wait(timeout=30)
        node.shutdown()
