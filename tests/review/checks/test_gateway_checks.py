from __future__ import annotations

from pathlib import Path
from typing import Any

from lockgate.config.settings import Settings
from lockgate.review.checks import gateway as g
from lockgate.review.checks.support import CheckContext
from lockgate.review.model import Finding, Inventory, Status


def _settings(upstream: dict[str, Any], **server: Any) -> Settings:
    return Settings.model_validate(
        {
            "server": {"auth": "none", **server},
            "upstreams": [upstream],
            "models": [{"alias": "m", "upstream": "u", "upstream_model": "m"}],
        }
    )


def _run(check: Any, settings: Settings) -> list[Finding]:
    result: list[Finding] = check(CheckContext(Inventory(root="."), settings))
    return result


OPENAI = {
    "name": "u",
    "kind": "openai_compatible",
    "base_url": "http://10.0.0.5:8000/v1",
}
LOCAL = {
    "name": "u",
    "kind": "openai_compatible",
    "base_url": "http://127.0.0.1:8000/v1",
}


def test_no_gateway_settings_means_no_gateway_findings() -> None:
    assert g.plain_http(CheckContext(Inventory(root="."))) == []


def test_plain_http_off_loopback_fails_on_loopback_passes() -> None:
    remote = _run(g.plain_http, _settings(OPENAI))
    local = _run(g.plain_http, _settings(LOCAL))

    assert [f.status for f in remote] == [Status.FAIL]
    assert remote[0].resource == "upstreams[u]"
    assert remote[0].location is None
    assert remote[0].fix is not None and "https" in remote[0].fix
    assert [f.status for f in local] == [Status.PASS]


def test_bedrock_without_endpoint_override_fails_with_vpce_passes() -> None:
    public = _settings({"name": "u", "kind": "bedrock_converse", "region": "us-east-1"})
    private = _settings(
        {
            "name": "u",
            "kind": "bedrock_converse",
            "region": "us-east-1",
            "endpoint_url": "https://vpce-1-a.bedrock-runtime.us-east-1.vpce.amazonaws.com",
        }
    )

    failed = _run(g.bedrock_private, public)

    assert [f.status for f in failed] == [Status.FAIL]
    assert "bedrock-runtime.us-east-1.amazonaws.com" in failed[0].message
    assert [f.status for f in _run(g.bedrock_private, private)] == [Status.PASS]


def _azure(
    auth: dict[str, Any], endpoint: str = "https://acct.openai.azure.com"
) -> Settings:
    return _settings(
        {"name": "u", "kind": "azure_openai", "endpoint": endpoint, "auth": auth}
    )


def test_azure_public_hostname_is_unresolved_private_address_passes() -> None:
    key = {"mode": "key", "api_key": "k"}

    public = _run(g.azure_private, _azure(key))
    private = _run(g.azure_private, _azure(key, "https://10.1.2.3"))

    assert [f.status for f in public] == [Status.UNRESOLVED]
    assert [f.status for f in private] == [Status.PASS]


def test_azure_key_auth_fails_entra_passes() -> None:
    secret = "planted-secret-value"
    key = _run(g.azure_entra, _azure({"mode": "key", "api_key": secret}))
    entra = _run(g.azure_entra, _azure({"mode": "entra_managed_identity"}))

    assert [f.status for f in key] == [Status.FAIL]
    assert key[0].evidence == ["auth.mode = key"]
    assert secret not in key[0].message
    assert [f.status for f in entra] == [Status.PASS]


def test_auth_none_fails() -> None:
    found = _run(g.caller_auth, _settings(LOCAL))

    assert [f.status for f in found] == [Status.FAIL]
    assert found[0].resource == "server"


def test_tls_absent_off_loopback_fails_on_loopback_passes(tmp_path: Path) -> None:
    cert, key = tmp_path / "tls.crt", tmp_path / "tls.key"
    cert.write_text("certificate")
    key.write_text("key")

    remote = _run(g.listener_tls, _settings(LOCAL, host="10.0.0.1"))
    local = _run(g.listener_tls, _settings(LOCAL))
    with_tls = _run(
        g.listener_tls,
        _settings(LOCAL, host="10.0.0.1", tls={"cert_file": cert, "key_file": key}),
    )

    assert [f.status for f in remote] == [Status.FAIL]
    assert [f.status for f in local] == [Status.PASS]
    assert [f.status for f in with_tls] == [Status.PASS]
