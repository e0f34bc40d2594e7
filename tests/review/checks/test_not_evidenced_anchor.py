"""Where a "not evidenced" connectivity finding points, read by the real loader."""

from __future__ import annotations

from pathlib import Path

from lockgate.review.checks import connectivity
from lockgate.review.checks.support import CheckContext
from lockgate.review.loaders import load_paths
from lockgate.review.model import Status

GUARDRAIL_ONLY = """provider "aws" {
  region = "eu-west-2"
}

resource "aws_bedrock_guardrail" "g" {
  name                      = "g"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}
"""

CHILD = """variable "create" {
  default = false
}

resource "aws_bedrock_guardrail" "g" {
  count                     = var.create ? 1 : 0
  name                      = "g"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}
"""

CALLER = """module "child" {
  source = "../child"
  create = true
}
"""


def _not_evidenced(paths: list[Path]) -> tuple[str | None, str | None]:
    findings = connectivity.runtime_endpoint(CheckContext(load_paths(paths)))
    [found] = [f for f in findings if f.status is Status.UNRESOLVED]
    where = f"{found.location.file}:{found.location.line}" if found.location else None
    return found.resource, where


def test_not_evidenced_points_at_the_aws_provider(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GUARDRAIL_ONLY)

    assert _not_evidenced([tmp_path]) == ("provider.aws", "main.tf:1")


def test_not_evidenced_points_at_the_callers_module_argument(tmp_path: Path) -> None:
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(CHILD)
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(CALLER)

    resource, where = _not_evidenced([tmp_path / "root"])

    assert resource == "module.child.aws_bedrock_guardrail.g"
    assert where is not None and where.endswith("root/main.tf:3")
