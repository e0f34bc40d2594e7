"""``lockgate review --probe`` against DNS, a model host and a gateway on loopback."""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme
from click.testing import CliRunner
from review_loopback import dns_server, https_server

from lockgate.cli.review import ReviewParts, review
from lockgate.review.engine import compute_gates
from lockgate.review.model import CheckSpec, Finding, Gate, Inventory

MODEL_HOST = "oai-demo.openai.azure.com"


@dataclass
class Outcome:
    findings: list[Finding]
    gates: list[Gate]
    catalog: list[CheckSpec]
    inventory: Inventory
    notes: list[str] = field(default_factory=list)


def passing(inventory: Inventory, settings: object) -> Outcome:
    return Outcome([], compute_gates([]), [], inventory)


def settings_file(folder: Path, model_port: int, gateway_port: int) -> Path:
    path = folder / "lockgate.yaml"
    path.write_text(
        f"""\
server:
  host: 127.0.0.1
  port: {gateway_port}
  auth: none
upstreams:
  - name: aoai
    kind: azure_openai
    endpoint: https://{MODEL_HOST}:{model_port}
    auth:
      mode: entra_managed_identity
models:
  - alias: chat
    upstream: aoai
    upstream_model: gpt-4o
"""
    )
    return path


@pytest.fixture
def contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(MODEL_HOST).configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return server, client


@pytest.mark.parametrize(
    ("ready", "exit_code"), [(200, 0), (503, 1)], ids=["ready", "not-ready"]
)
def test_probe_results_are_reported_and_gate_the_exit_code(
    tmp_path, contexts, ready, exit_code
):
    server, client = contexts
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text('variable "region" {}\n')
    out = tmp_path / "out"

    with (
        dns_server({MODEL_HOST: "127.0.0.1"}) as dns_port,
        https_server(server) as model_port,
        https_server(None, ready) as gateway_port,
    ):
        config = settings_file(tmp_path, model_port, gateway_port)
        args = [str(tmp_path / "infra"), "-c", str(config), "--probe"]
        args += ["--resolver", f"127.0.0.1:{dns_port}", "--probe-timeout", "2"]
        args += ["--out", str(out), "--format", "json,md", "-q"]
        parts = ReviewParts(check=passing, tls_context=client)
        result = CliRunner().invoke(review, args, obj=parts)

    assert result.exit_code == exit_code, result.output
    probes = json.loads((out / "review.json").read_text())["probes"]
    assert [(p["probe"], p["target"], p["outcome"]) for p in probes] == [
        ("dns", f"127.0.0.1:{gateway_port}", "pass"),
        ("readiness", f"127.0.0.1:{gateway_port}", "pass" if ready == 200 else "fail"),
        ("dns", f"{MODEL_HOST}:{model_port}", "pass"),
        ("tls", f"{MODEL_HOST}:{model_port}", "pass"),
        ("public_egress", f"{MODEL_HOST}:{model_port}", "pass"),
    ]
    assert "## Live probes" in (out / "review.md").read_text()
