from __future__ import annotations

import contextlib
import ssl
import time

import pytest
import trustme
from review_loopback import dns_server, https_server, tcp_listener

from lockgate.config.settings import Settings
from lockgate.review.model import Inventory, Location, Resource, SourceFormat
from lockgate.review.probes import (
    DnsResolver,
    Prober,
    ProbeTarget,
    plan_targets,
)

PRIVATE_HOST = "oai-demo.openai.azure.com"
PUBLIC_HOST = "bedrock-runtime.us-east-1.amazonaws.com"
# On loopback 127.0.0.1 plays a private endpoint address and 127.0.0.2 a public one.
RECORDS = {PRIVATE_HOST: "127.0.0.1", PUBLIC_HOST: "127.0.0.2"}


def only_127_0_0_1_is_private(address: str) -> bool:
    return address == "127.0.0.1"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def server_context(ca: trustme.CA, name: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    return context


def prober(port: int, context: ssl.SSLContext | None = None, timeout=2.0) -> Prober:
    return Prober(
        DnsResolver(["127.0.0.1"], port),
        tls_context=context,
        timeout=timeout,
        is_private=only_127_0_0_1_is_private,
    )


def summary(results):
    return [(r.probe, r.outcome, r.detail) for r in results]


def test_private_endpoint_passes_dns_tls_and_egress(ca, client_context):
    with (
        dns_server(RECORDS) as dns_port,
        https_server(server_context(ca, PRIVATE_HOST)) as port,
    ):
        results = prober(dns_port, client_context).run(
            [ProbeTarget(PRIVATE_HOST, port)]
        )

    assert [(r.probe, r.outcome) for r in results] == [
        ("dns", "pass"),
        ("tls", "pass"),
        ("public_egress", "pass"),
    ]
    assert results[0].addresses == ("127.0.0.1",)
    assert results[0].detail == "resolves to private address(es) only"
    assert results[1].detail.startswith("verified, TLSv1.")
    assert results[2].detail == (
        "resolves privately here, so no public address to try; give a public "
        "resolver to test that the public endpoint is blocked"
    )
    assert results[0].target == f"{PRIVATE_HOST}:{port}"


def test_public_address_that_is_reachable_fails(ca):
    with dns_server(RECORDS) as dns_port, tcp_listener("127.0.0.2") as port:
        target = ProbeTarget(PUBLIC_HOST, port, tls=False)
        results = prober(dns_port).run([target])

    assert summary(results) == [
        ("dns", "fail", "resolves to public address(es) 127.0.0.2"),
        ("public_egress", "fail", "public address(es) 127.0.0.2 reachable"),
    ]


def test_public_address_that_is_blocked_passes_egress():
    with dns_server(RECORDS) as dns_port, tcp_listener("127.0.0.1") as port:
        results = prober(dns_port).run([ProbeTarget(PUBLIC_HOST, port, tls=False)])

    assert summary(results)[1] == (
        "public_egress",
        "pass",
        "public address(es) 127.0.0.2 not reachable",
    )


def test_certificate_for_another_name_fails_tls(ca, client_context):
    with (
        dns_server(RECORDS) as dns_port,
        https_server(server_context(ca, "someone-else.example")) as port,
    ):
        results = prober(dns_port, client_context).run(
            [ProbeTarget(PRIVATE_HOST, port)]
        )

    assert results[1].probe == "tls"
    assert results[1].outcome == "fail"
    assert results[1].detail == (
        f"TLS to '{PRIVATE_HOST}' did not verify: CERTIFICATE_VERIFY_FAILED"
    )


def test_unknown_name_is_a_dns_error_and_nothing_else_is_tried():
    with dns_server(RECORDS) as dns_port:
        results = prober(dns_port).run([ProbeTarget("missing.openai.azure.com")])

    assert summary(results) == [
        ("dns", "error", "'missing.openai.azure.com' has no A or AAAA record")
    ]


def test_silent_name_server_is_given_up_on_within_the_timeout():
    with dns_server(RECORDS, silent=True) as dns_port:
        start = time.monotonic()
        results = prober(dns_port, timeout=0.5).run([ProbeTarget(PRIVATE_HOST)])
        elapsed = time.monotonic() - start

    assert [(r.probe, r.outcome) for r in results] == [("dns", "error")]
    assert results[0].detail.startswith(f"lookup of '{PRIVATE_HOST}' failed: ")
    assert elapsed < 1.5


@pytest.mark.parametrize(
    ("status", "outcome"), [(200, "pass"), (503, "fail")], ids=["ready", "not-ready"]
)
def test_gateway_readiness_endpoint_is_asked(status, outcome):
    with dns_server(RECORDS) as dns_port, https_server(None, status) as port:
        target = ProbeTarget("127.0.0.1", port, kind="gateway", tls=False)
        results = prober(dns_port).run([target])

    assert summary(results) == [
        ("dns", "pass", "resolves to private address(es) only"),
        ("readiness", outcome, f"GET /readyz answered {status}"),
    ]


def test_targets_come_only_from_settings_and_infrastructure():
    settings = Settings.model_validate(
        {
            "server": {"host": "127.0.0.1", "port": 8088, "auth": "none"},
            "upstreams": [
                {
                    "name": "aoai",
                    "kind": "azure_openai",
                    "endpoint": "https://oai-demo.openai.azure.com",
                    "auth": {"mode": "entra_managed_identity"},
                },
                {"name": "br", "kind": "bedrock_converse", "region": "eu-west-1"},
                {
                    "name": "local",
                    "kind": "openai_compatible",
                    "base_url": "http://10.1.2.3:8000/v1",
                },
            ],
            "models": [{"alias": "m", "upstream": "aoai", "upstream_model": "gpt"}],
        }
    )
    account = Resource(
        "azurerm_cognitive_account",
        "azurerm_cognitive_account.other",
        SourceFormat.TERRAFORM,
        Location("main.tf", 1),
        {"kind": "AIServices", "custom_subdomain_name": "other-ai"},
    )
    targets = plan_targets(settings, Inventory("/r", [account]))

    assert [(t.kind, t.host, t.port, t.tls) for t in targets] == [
        ("gateway", "127.0.0.1", 8088, False),
        ("model", "10.1.2.3", 8000, False),
        ("model", "bedrock-runtime.eu-west-1.amazonaws.com", 443, True),
        ("model", "oai-demo.openai.azure.com", 443, True),
        ("model", "other-ai.cognitiveservices.azure.com", 443, True),
    ]


def test_targets_past_the_time_budget_are_reported_not_probed():
    ticks = iter([0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 5.0])
    with dns_server(RECORDS) as dns_port:
        probe = Prober(
            DnsResolver(["127.0.0.1"], dns_port),
            budget=4.0,
            clock=lambda: next(ticks),
        )
        results = probe.run([ProbeTarget("missing.example"), ProbeTarget(PRIVATE_HOST)])

    assert summary(results) == [
        ("dns", "error", "'missing.example' has no A or AAAA record"),
        (
            "dns",
            "error",
            "not probed: the probe time budget of 4 s was spent; "
            "raise it or probe fewer hosts",
        ),
    ]


@pytest.mark.parametrize(
    ("listening", "outcome", "detail"),
    [
        (True, "fail", "public address(es) 127.0.0.2 reachable"),
        (False, "pass", "public address(es) 127.0.0.2 not reachable"),
    ],
    ids=["reachable", "blocked"],
)
def test_public_resolver_finds_the_public_address_to_try(
    ca, client_context, listening, outcome, detail
):
    with (
        dns_server(RECORDS) as dns_port,
        dns_server({PRIVATE_HOST: "127.0.0.2"}) as public_dns_port,
        https_server(server_context(ca, PRIVATE_HOST)) as port,
        contextlib.ExitStack() as stack,
    ):
        if listening:
            stack.enter_context(tcp_listener("127.0.0.2", port))
        probe = prober(dns_port, client_context)
        probe.public_resolver = DnsResolver(["127.0.0.1"], public_dns_port)
        results = probe.run([ProbeTarget(PRIVATE_HOST, port)])

    assert summary(results)[0][:2] == ("dns", "pass")
    assert summary(results)[2] == ("public_egress", outcome, detail)
