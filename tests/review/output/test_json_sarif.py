from __future__ import annotations

import json

import jsonschema
import pytest

from lockgate.review.render import SCHEMA_VERSION, schema_text
from lockgate.review.render.formats import render_json
from lockgate.review.render.sarif import render_sarif
from shared_data import shared_dir


@pytest.fixture(scope="module")
def sarif_schema():
    path = shared_dir() / "schemas" / "sarif-schema-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_json_report_validates_against_the_shipped_schema(report):
    document = json.loads(render_json(report))
    schema = json.loads(schema_text())

    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["schema_version"] == SCHEMA_VERSION == "1.0"


def test_json_report_carries_gates_findings_problems_and_deliverables(report):
    document = json.loads(render_json(report))

    assert document["result"] == "fail"
    assert document["exit_code"] == 1
    assert [(g["area"], g["status"]) for g in document["gates"]] == [
        ("connectivity", "pass"),
        ("identity", "fail"),
        ("data_perimeter", "blocked"),
        ("observability", "blocked"),
        ("cost", "blocked"),
    ]
    assert document["gates"][2]["blocked_by"] == ["identity"]
    assert document["problems"] == [
        {"file": "broken.tf", "line": 7, "message": "unexpected '}' <script>"}
    ]
    assert document["files_reviewed"] == 3
    assert document["probes"] is None
    network = document["deliverables"]["network"]
    assert network["hub_spoke"]["decision"] == "endpoints per network"
    assert len(document["findings"]) == 5


def test_schema_rejects_a_report_missing_a_deliverable(report):
    document = json.loads(render_json(report))
    del document["deliverables"]["perimeter"]

    with pytest.raises(jsonschema.ValidationError, match="'perimeter' is a required"):
        jsonschema.validate(document, json.loads(schema_text()))


def test_sarif_validates_against_the_official_schema(report, sarif_schema):
    log = json.loads(render_sarif(report))

    jsonschema.Draft4Validator(sarif_schema).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_reports_failures_and_unresolved_but_not_passes(report):
    run = json.loads(render_sarif(report))["runs"][0]
    results = [(r["ruleId"], r["kind"], r["level"]) for r in run["results"]]

    assert results == [
        ("LG-DP-001", "fail", "error"),
        ("LG-ID-001", "fail", "warning"),
        ("LG-ID-002", "review", "none"),
        ("LG-CO-001", "fail", "note"),
    ]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "LG-CO-001",
        "LG-DP-001",
        "LG-ID-001",
        "LG-ID-002",
        "LG-OB-001",
    ]
    assert rules[1]["properties"]["security-severity"] == "8.0"


def test_sarif_result_points_at_file_line_and_column(report):
    run = json.loads(render_sarif(report))["runs"][0]
    static_key = run["results"][1]
    physical = static_key["locations"][0]["physicalLocation"]

    assert physical == {
        "artifactLocation": {"uri": "aws.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 58, "startColumn": 3},
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///reviewed/"
    unresolved = run["results"][2]
    assert unresolved["properties"]["locationInferred"] is True
    assert unresolved["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "aws.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 44},
    }


def test_every_sarif_result_has_a_location(report):
    report.findings[2].resource = "nothing.declared"
    results = json.loads(render_sarif(report))["runs"][0]["results"]

    assert all(r["locations"] for r in results)
    assert results[2]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "aws.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }


def test_sarif_reports_unreadable_files_as_notifications(report):
    invocation = json.loads(render_sarif(report))["runs"][0]["invocations"][0]

    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert (
        note["message"]["text"] == "could not read broken.tf: unexpected '}' <script>"
    )
    location = note["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 7}
