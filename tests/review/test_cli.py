"""``lockgate review`` end to end: exit codes, outputs, progress, errors."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from lockgate.cli.review import FileProgress, ReviewParts, review
from lockgate.review.engine import compute_gates
from lockgate.review.model import (
    Area,
    CheckSpec,
    Finding,
    Gate,
    Inventory,
    Platform,
    Severity,
    Status,
)

PUBLIC_ACCOUNT = """\
resource "azurerm_cognitive_account" "oai" {
  name                          = "oai"
  kind                          = "OpenAI"
  public_network_access_enabled = true
}
"""
BROKEN = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n'


@dataclass
class Outcome:
    findings: list[Finding]
    gates: list[Gate]
    catalog: list[CheckSpec]
    inventory: Inventory
    notes: list[str] = field(default_factory=list)


SPEC = CheckSpec(
    "LG-TEST-001", "A test check", Area.COST, Platform.AWS, Severity.LOW, "Because."
)


def passing(inventory: Inventory, settings: object) -> Outcome:
    return Outcome([], compute_gates([]), [SPEC], inventory)


def failing(inventory: Inventory, settings: object) -> Outcome:
    findings = [Finding(SPEC, Status.FAIL, "no budget", None, None)]
    return Outcome(findings, compute_gates(findings), [SPEC], inventory)


@pytest.fixture
def code(tmp_path: Path) -> Path:
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text(PUBLIC_ACCOUNT)
    return folder


def run(*args: str, parts: ReviewParts | None = None):
    return CliRunner().invoke(review, list(args), obj=parts)


def test_every_gate_passing_exits_0_and_writes_four_files(code, tmp_path):
    out = tmp_path / "out"
    result = run(str(code), "--out", str(out), "-q", parts=ReviewParts(check=passing))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "review.html",
        "review.json",
        "review.md",
        "review.sarif",
    ]
    assert json.loads((out / "review.json").read_text())["result"] == "pass"


def test_a_failing_gate_exits_1(code, tmp_path):
    result = run(
        str(code), "--out", str(tmp_path / "o"), "-q", parts=ReviewParts(check=failing)
    )

    assert result.exit_code == 1
    document = json.loads((tmp_path / "o" / "review.json").read_text())
    assert [g["status"] for g in document["gates"]] == ["pass"] * 4 + ["fail"]


def test_a_public_azure_openai_account_fails_the_real_review(code, tmp_path):
    result = run(str(code), "--out", str(tmp_path / "o"), "--format", "json", "-q")

    assert result.exit_code == 1
    document = json.loads((tmp_path / "o" / "review.json").read_text())
    connectivity = document["gates"][0]
    assert (connectivity["area"], connectivity["status"]) == ("connectivity", "fail")
    public = [f for f in document["findings"] if f["check_id"] == "LG-CONN-007"]
    assert [(f["status"], f["location"]["line"]) for f in public] == [("fail", 4)]


def test_only_the_formats_asked_for_are_written(code, tmp_path):
    out = tmp_path / "out"
    run(str(code), "--out", str(out), "--format", "sarif,md", "-q")

    assert sorted(p.name for p in out.iterdir()) == ["review.md", "review.sarif"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "md,pdf"],
            "Error: unknown format 'pdf'; choose from md,html,json,sarif\n",
        ),
        (
            ["--format", ","],
            "Error: unknown format ','; choose from md,html,json,sarif\n",
        ),
    ],
    ids=["unknown-format", "empty-format"],
)
def test_bad_format_is_a_one_line_usage_error(code, tmp_path, args, message):
    result = run(str(code), "--out", str(tmp_path / "o"), *args)

    assert result.exit_code == 2
    assert result.stderr == message
    assert not (tmp_path / "o").exists()


def test_missing_path_is_a_one_line_usage_error(tmp_path):
    missing = tmp_path / "nowhere"
    result = run(str(missing), "--out", str(tmp_path / "o"))

    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: Invalid value for 'PATHS...': Path '{missing}' does not exist.\n"
    )


def test_missing_out_is_a_one_line_usage_error(code):
    result = run(str(code))

    assert result.exit_code == 2
    assert result.stderr == "Error: Missing option '--out'.\n"


def test_broken_settings_file_exits_2_with_its_message_and_no_traceback(code, tmp_path):
    config = tmp_path / "lockgate.yaml"
    config.write_text("server:\n  port: [\n")
    result = run(str(code), "-c", str(config), "--out", str(tmp_path / "o"), "-q")

    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert str(config.name) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_store_exits_2(code, tmp_path):
    store = tmp_path / "none.sqlite3"
    result = run(str(code), "--store", str(store), "--out", str(tmp_path / "o"), "-q")

    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: gateway store '{store}' does not exist; pass the ledger file the "
        "gateway writes (server.ledger_path)\n"
    )


def test_unreadable_file_is_reported_in_every_format(code, tmp_path):
    (code / "broken.tf").write_text(BROKEN)
    out = tmp_path / "out"
    result = run(str(code), "--out", str(out), "-q", parts=ReviewParts(check=passing))

    assert result.exit_code == 0
    problems = json.loads((out / "review.json").read_text())["problems"]
    assert [p["file"] for p in problems] == ["broken.tf"]
    assert "`broken.tf" in (out / "review.md").read_text()
    assert "<code>broken.tf" in (out / "review.html").read_text()
    sarif = json.loads((out / "review.sarif").read_text())
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes
    ] == ["broken.tf"]


def test_progress_goes_to_stderr_and_quiet_silences_it(code, tmp_path):
    loud = run(
        str(code), "--out", str(tmp_path / "a"), parts=ReviewParts(check=passing)
    )
    quiet = run(
        str(code), "--out", str(tmp_path / "b"), "-q", parts=ReviewParts(check=passing)
    )

    assert loud.stderr.splitlines() == [
        "lockgate review: loading infrastructure files",
        "lockgate review: checking 1 resources",
        "lockgate review: writing md, html, json, sarif",
    ]
    assert loud.stdout.splitlines()[0] == (
        "gates: connectivity pass, identity pass, data_perimeter pass, "
        "observability pass, cost pass"
    )
    assert (quiet.stdout, quiet.stderr) == ("", "")


def test_store_gives_measured_tokens_per_request(code, tmp_path):
    store = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(store) as db:
        db.execute(
            "CREATE TABLE ledger (request_id TEXT, recorded_at REAL, model_alias TEXT,"
            " input_tokens INTEGER, output_tokens INTEGER)"
        )
        db.executemany(
            "INSERT INTO ledger VALUES (?, ?, ?, ?, ?)",
            [
                ("a", 1.0, "chat", 100, 20),
                ("b", 2.0, "chat", 50, 10),
                ("c", 3.0, "e", 8, 0),
            ],
        )
    db.close()
    out = tmp_path / "out"
    run(str(code), "--store", str(store), "--out", str(out), "--format", "json", "-q")

    baseline = json.loads((out / "review.json").read_text())["deliverables"][
        "observability"
    ]["baseline"]
    assert baseline == {
        "spend_per_day": [],
        "tokens_per_request": [
            {"app": "chat", "mean_tokens": 90.0},
            {"app": "e", "mean_tokens": 8.0},
        ],
    }


def test_review_is_a_subcommand_of_lockgate():
    from lockgate.cli.main import cli

    assert cli.commands["review"] is review


def test_probe_with_nothing_to_probe_says_so(code, tmp_path):
    out = tmp_path / "out"
    result = run(
        str(code), "--probe", "--out", str(out), "-q", parts=ReviewParts(check=passing)
    )

    assert result.exit_code == 0
    assert json.loads((out / "review.json").read_text())["probes"] == []
    assert (
        "> Note: --probe found no host to probe in the settings or the code"
        in (out / "review.md").read_text()
    )


def test_file_progress_counts_every_200_files(capsys):
    progress = FileProgress()
    for index in range(450):
        progress.file(f"file {index}.tf")
    progress.stage("checking 9 resources")

    assert capsys.readouterr().err.splitlines() == [
        "lockgate review: read 200 files",
        "lockgate review: read 400 files",
        "lockgate review: checking 9 resources",
    ]


def test_out_folder_that_cannot_be_made_exits_2(code, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run(
        str(code), "--out", str(blocker / "out"), "-q", parts=ReviewParts(check=passing)
    )

    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot write the report to '{blocker / 'out'}': Not a directory; "
        "choose a folder you can write to with --out\n"
    )
