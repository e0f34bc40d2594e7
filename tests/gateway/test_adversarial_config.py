"""Adversarial settings files: refused with a located message, no traceback, no key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lockgate.cli.main import cli
from lockgate.config import load_settings
from lockgate.errors import ConfigError

SERVER = "server: {host: 127.0.0.1, auth: none}\n"
MODELS = "models: [{alias: m, upstream: u, upstream_model: m}]\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lockgate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_yaml_merge_key_is_read_or_refused_without_a_traceback(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        'base: &base {kind: openai_compatible, base_url: "http://127.0.0.1:9/v1"}\n'
        + SERVER
        + "upstreams:\n  - {<<: *base, name: u}\n"
        + MODELS,
    )

    result = CliRunner().invoke(cli, ["config", "check", "-c", str(path)])

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_duplicated_secret_key_is_reported_without_its_values(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        SERVER
        + "upstreams:\n  - name: u\n    kind: openai_compatible\n"
        + '    base_url: "http://127.0.0.1:9/v1"\n'
        + "    api_key: sk-first-planted-1111\n    api_key: sk-second-planted-2222\n"
        + MODELS,
    )

    with pytest.raises(ConfigError) as error:
        load_settings(path, environ={})

    assert "api_key" in error.value.message
    assert "sk-first-planted-1111" not in error.value.message
    assert "sk-second-planted-2222" not in error.value.message


def test_config_show_masks_a_credential_sent_as_an_upstream_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTED_TOKEN", "planted-header-token-3e9f")
    path = write(
        tmp_path,
        SERVER
        + "upstreams:\n  - name: u\n    kind: openai_compatible\n"
        + '    base_url: "http://127.0.0.1:9/v1"\n'
        + '    headers: {Authorization: "Bearer ${PLANTED_TOKEN}"}\n'
        + MODELS,
    )

    result = CliRunner().invoke(cli, ["config", "show", "-c", str(path)])

    assert result.exit_code == 0
    assert "planted-header-token-3e9f" not in result.output


def test_a_base_url_that_is_not_a_url_is_refused_by_config_check(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        SERVER
        + "upstreams:\n  - {name: u, kind: openai_compatible, base_url: not a url}\n"
        + MODELS,
    )

    with pytest.raises(ConfigError) as error:
        load_settings(path, environ={})

    assert "upstreams[0].base_url" in error.value.message
    assert "'not a url'" in error.value.message
