"""The review's documentation keeps step with its command line and JSON schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lockgate.cli.review import review
from lockgate.review.render import schema_text

DOCS = Path(__file__).resolve().parents[3] / "docs"


def property_names(schema: object) -> set[str]:
    """Every property name declared anywhere in a JSON Schema."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                found |= set(value)
            found |= property_names(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= property_names(item)
    return found


def test_every_json_field_is_documented():
    text = (DOCS / "review-json-schema.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    spans = re.findall(r"`([^`]+)`", prose)
    documented = {word for span in spans for word in re.findall(r"\$?[a-z_]+", span)}

    missing = property_names(json.loads(schema_text())) - documented
    assert missing == set()


def test_every_command_option_is_documented():
    text = (DOCS / "review.md").read_text(encoding="utf-8")
    options = [
        o for p in review.params for o in getattr(p, "opts", []) if o.startswith("--")
    ]

    assert [o for o in options if f"`{o}" not in text and f", {o}" not in text] == []
    assert len(options) == 9
