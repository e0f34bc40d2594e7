"""The hub-and-spoke case turned into a Bedrock one, as its EXPECTED.md suggests.

EXPECTED.md: replacing a ``locals.tf`` entry with a bedrock-runtime endpoint
(private DNS off, hosted zone ``bedrock-runtime.<region>.amazonaws.com``) should
turn the Bedrock endpoint FAIL into a PASS for a correct hub-spoke rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from lockgate.review.engine import ReviewResult, run_checks
from lockgate.review.loaders import load_paths
from lockgate.review.model import Status
from shared_data import shared_dir

SSM_ENTRY = """    ssm = {
      name        = "com.amazonaws.${var.aws_region}.ssm"
      type        = "Interface"
      private_dns = false
      phz_name    = "ssm.${var.aws_region}.amazonaws.com"
      alias       = [""]
    }"""
BEDROCK_ENTRY = """    ssm = {
      name        = "com.amazonaws.${var.aws_region}.bedrock-runtime"
      type        = "Interface"
      private_dns = false
      phz_name    = "bedrock-runtime.${var.aws_region}.amazonaws.com"
      alias       = [""]
    }"""


def _review_with(tmp_path: Path, entry: str) -> ReviewResult:
    case = tmp_path / "aws-hub-and-spoke"
    shutil.copytree(shared_dir() / "realworld" / "aws-hub-and-spoke", case)
    locals_tf = case / "locals.tf"
    original = locals_tf.read_text()
    assert SSM_ENTRY in original
    locals_tf.write_text(original.replace(SSM_ENTRY, entry))
    return run_checks(load_paths([case]))


def _statuses(result: ReviewResult, check: str) -> list[tuple[str, str | None]]:
    return [
        (f.status.value, f.resource) for f in result.findings if f.check.id == check
    ]


def test_hub_bedrock_endpoint_with_service_named_zone_passes(tmp_path: Path) -> None:
    result = _review_with(tmp_path, BEDROCK_ENTRY)
    endpoint = 'aws_vpc_endpoint.endpoint["ssm"]'

    assert _statuses(result, "LG-CONN-001") == [("pass", endpoint)]
    assert _statuses(result, "LG-CONN-003") == [("pass", endpoint)]
    assert _statuses(result, "LG-CONN-006") == [
        ("pass", 'aws_route53_zone.private_hosted_zone["ssm"]')
    ]


def test_hub_bedrock_endpoint_with_a_wrongly_named_zone_fails(tmp_path: Path) -> None:
    wrong_zone = BEDROCK_ENTRY.replace(
        'phz_name    = "bedrock-runtime.', 'phz_name    = "bedrock.'
    )

    result = _review_with(tmp_path, wrong_zone)

    assert _statuses(result, "LG-CONN-003") == [
        ("fail", 'aws_vpc_endpoint.endpoint["ssm"]')
    ]
    assert _statuses(result, "LG-CONN-006") == []


def test_hub_bedrock_endpoint_reports_its_missing_endpoint_policy(
    tmp_path: Path,
) -> None:
    result = _review_with(tmp_path, BEDROCK_ENTRY)

    policy = [
        f
        for f in result.findings
        if f.check.id == "LG-DATA-001"
        and f.resource == 'aws_vpc_endpoint.endpoint["ssm"]'
    ]
    assert [(f.status, f.location and f.location.line) for f in policy] == [
        (Status.FAIL, 167)
    ]
