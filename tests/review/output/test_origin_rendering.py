"""A finding's origin (where its value was set) in every report format."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema  # type: ignore[import-untyped]
import pytest

from lockgate.review.model import Location
from lockgate.review.render import schema_text
from lockgate.review.render.formats import render_html, render_json, render_markdown
from lockgate.review.render.report import Report
from lockgate.review.render.sarif import render_sarif
from shared_data import shared_dir


@pytest.fixture
def traced(report: Report) -> Report:
    """The sample report, its first finding's value set in variables.tf:29."""
    first = report.findings[0]
    report.findings[0] = replace(first, origin=Location("variables.tf", 29, 1))
    return report


def test_json_carries_the_origin_or_null_and_still_validates(traced: Report) -> None:
    document = json.loads(render_json(traced))

    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(document)
    by_id = {f["check_id"]: f["origin"] for f in document["findings"]}
    assert by_id == {
        "LG-DP-001": {"file": "variables.tf", "line": 29, "column": 1},
        "LG-ID-001": None,
        "LG-ID-002": None,
        "LG-OB-001": None,
        "LG-CO-001": None,
    }


def test_sarif_gives_the_origin_as_a_related_location(traced: Report) -> None:
    document = json.loads(render_sarif(traced))
    schema_path = shared_dir() / "schemas" / "sarif-schema-2.1.0.json"

    jsonschema.validate(document, json.loads(schema_path.read_text(encoding="utf-8")))
    related = {
        r["ruleId"]: r.get("relatedLocations") for r in document["runs"][0]["results"]
    }
    assert related["LG-DP-001"] == [
        {
            "id": 1,
            "message": {"text": "where the value was set"},
            "physicalLocation": {
                "artifactLocation": {"uri": "variables.tf", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 29, "startColumn": 1},
            },
        }
    ]
    assert [r for r in related.values() if r is not None] == [related["LG-DP-001"]]


def test_markdown_and_html_show_where_the_value_was_set(traced: Report) -> None:
    assert "aws.tf:13 (set at variables.tf:29)" in render_markdown(traced)
    assert "aws.tf:13 (set at variables.tf:29)" in render_html(traced)


def test_without_an_origin_nothing_is_added(report: Report) -> None:
    assert "set at" not in render_markdown(report)
    assert "set at" not in render_html(report)
