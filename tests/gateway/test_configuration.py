"""Loading lockgate.yaml: precise errors, secret references, masking, the docs table."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lockgate.cli.main import cli
from lockgate.config import load_settings
from lockgate.config.reference import settings_table
from lockgate.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]

VALID = """\
server:
  host: 127.0.0.1
  auth: none
upstreams:
  - name: local
    kind: openai_compatible
    base_url: http://127.0.0.1:8081/v1
    api_key: ${LG_TEST_KEY}
  - name: aoai
    kind: azure_openai
    endpoint: https://aoai-example.openai.azure.com
    auth: {mode: key, api_key: "${file:SECRET_FILE}"}
models:
  - alias: local-gemma
    upstream: local
    upstream_model: gemma
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lockgate.yaml"
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str, **environ: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, text), environ=environ)
    return str(raised.value).splitlines()


def valid_text(tmp_path: Path) -> str:
    secret = tmp_path / "aoai-key"
    secret.write_text("azure-key-from-file\n")
    return VALID.replace("SECRET_FILE", str(secret))


def test_secret_references_are_resolved_from_environment_and_files(
    tmp_path: Path,
) -> None:
    settings = load_settings(
        write(tmp_path, valid_text(tmp_path)), environ={"LG_TEST_KEY": "sk-env"}
    )

    local, aoai = settings.upstreams
    assert local.api_key is not None
    assert local.api_key.get_secret_value() == "sk-env"
    assert aoai.auth.api_key.get_secret_value() == "azure-key-from-file"  # type: ignore[union-attr]


def test_unknown_key_is_reported_with_file_line_column_and_path(tmp_path: Path) -> None:
    text = valid_text(tmp_path).replace(
        "  auth: none\n", "  auth: none\n  colour: red\n"
    )

    [line] = problems(tmp_path, text, LG_TEST_KEY="x")

    assert line == (
        f"{tmp_path / 'lockgate.yaml'}:4:3: server.colour: unknown setting 'colour'; "
        "remove it or check its spelling"
    )


def test_wrong_type_and_missing_value_are_all_reported_at_once(tmp_path: Path) -> None:
    text = valid_text(tmp_path).replace(
        "  host: 127.0.0.1\n", "  host: 127.0.0.1\n  port: eighty\n"
    )
    text = text.replace("    upstream_model: gemma\n", "")

    lines = problems(tmp_path, text, LG_TEST_KEY="x")

    assert len(lines) == 2
    assert ":3:3: server.port: Input should be a valid integer" in lines[0]
    assert lines[1].endswith(
        ":15:5: models[0].upstream_model: required setting 'upstream_model' is "
        "missing; add it"
    )


def test_missing_environment_variable_names_the_variable_and_line(
    tmp_path: Path,
) -> None:
    [line] = problems(tmp_path, valid_text(tmp_path))

    assert line.endswith(
        ":8:5: upstreams[0].api_key: environment variable 'LG_TEST_KEY' is not set; "
        "set it or write the value in the file"
    )


def test_unknown_upstream_kind_lists_the_kinds(tmp_path: Path) -> None:
    text = valid_text(tmp_path).replace("kind: azure_openai", "kind: vertex")

    [line] = problems(tmp_path, text, LG_TEST_KEY="x")

    assert ":10:5: upstreams[1].kind: unknown kind 'vertex'; use one of " in line
    assert "'bedrock_converse'" in line


def test_model_pointing_at_an_undefined_upstream_is_refused(tmp_path: Path) -> None:
    text = valid_text(tmp_path).replace("upstream: local\n", "upstream: nowhere\n")

    [line] = problems(tmp_path, text, LG_TEST_KEY="x")

    assert line.endswith(
        ":15:5: models[0].upstream: upstream 'nowhere' is not defined; use one of: "
        "aoai, local"
    )


def test_auth_none_is_refused_on_a_non_loopback_address(tmp_path: Path) -> None:
    text = valid_text(tmp_path).replace("host: 127.0.0.1", "host: 0.0.0.0")

    [line] = problems(tmp_path, text, LG_TEST_KEY="x")

    assert ":3:3: server.auth: auth 'none' lets anyone call the models" in line
    assert "'0.0.0.0'" in line


def test_invalid_yaml_points_at_the_position(tmp_path: Path) -> None:
    [line] = problems(tmp_path, "server:\n  host: [127.0.0.1\n")

    assert line.startswith(f"{tmp_path / 'lockgate.yaml'}:3:1: not valid YAML")


def test_config_check_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "server: {auth: none}\nupstreams: []\nmodels: []\n")

    result = CliRunner().invoke(cli, ["config", "check", "-c", str(path)])

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "upstreams: List should have at least 1 item" in result.output


def test_config_check_accepts_the_quickstart_file() -> None:
    quickstart = REPO / "examples" / "quickstart" / "lockgate.yaml"

    result = CliRunner().invoke(cli, ["config", "check", "-c", str(quickstart)])

    assert result.exit_code == 0, result.output
    assert "ok (1 upstreams, 1 models)" in result.output


def test_config_show_masks_every_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LG_TEST_KEY", "sk-env-secret")
    path = write(tmp_path, valid_text(tmp_path))

    result = CliRunner().invoke(cli, ["config", "show", "-c", str(path)])

    assert result.exit_code == 0, result.output
    assert "sk-env-secret" not in result.output
    assert "azure-key-from-file" not in result.output
    assert result.output.count("'**********'") == 2


def test_every_setting_is_documented_in_the_configuration_reference() -> None:
    docs = (REPO / "docs" / "configuration.md").read_text()

    assert settings_table() in docs


def test_every_setting_has_a_description() -> None:
    undocumented = [
        line.split("|")[1].strip()
        for line in settings_table().splitlines()
        if line.startswith("| `") and line.rstrip().endswith("|  |")
    ]

    assert undocumented == []


def test_pattern_errors_quote_the_value(tmp_path: Path) -> None:
    text = valid_text(tmp_path).replace("alias: local-gemma", "alias: 'local gemma'")

    [line] = problems(tmp_path, text, LG_TEST_KEY="x")

    assert ":14:5: models[0].alias: 'local gemma' does not have the form" in line


async def test_an_unusable_ledger_path_stops_start_up_with_a_config_error(
    tmp_path: Path,
) -> None:
    from lockgate.gateway.runtime import start_runtime

    settings = load_settings(
        write(tmp_path, valid_text(tmp_path)), environ={"LG_TEST_KEY": "x"}
    )
    folder = tmp_path / "a-folder"
    folder.mkdir()
    server = settings.server.model_copy(update={"ledger_path": folder})
    settings = settings.model_copy(update={"server": server})

    with pytest.raises(ConfigError) as raised:
        await start_runtime(settings)

    assert str(raised.value).startswith(f"cannot open the ledger at {folder}:")
