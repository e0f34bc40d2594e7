"""EXPECTED.md findings closed by the AWS checks that hold for any deployment.

Rows are transcribed from ``shared/realworld/<case>/EXPECTED.md`` in the row
format of :mod:`test_realworld_expected` and asserted by its test, so a finding is
reported with exactly the status and evidence location EXPECTED.md gives.
"""

from __future__ import annotations

import pytest
from test_realworld_expected import (
    BAG,
    BAG_A,
    BAG_B,
    BAG_C,
    FAIL,
    HUB,
    KB,
    PASS,
    STR,
    STR_A,
    STR_B,
    TAB,
    TAB_A,
    TAB_B,
    UNRESOLVED,
    Expected,
    _e,
    _label,
    _review,
    _where,
    _whole,
)
from test_realworld_expected import (
    test_review_reports_what_expected_md_says as _assert_reported,
)

EXPECTED_GENERIC_AWS: tuple[Expected, ...] = (
    # aws-bedrock-knowledge-base
    _e(KB, ".", "LG-IAM-101", FAIL, "data.tf", 67, 75),
    _e(KB, ".", "LG-IAM-101", FAIL, "data.tf", 158, 166),
    _e(KB, ".", "LG-IAM-101", FAIL, "data.tf", 201, 211),
    _e(KB, ".", "LG-IAM-102", FAIL, "opensearch.tf", 42, 74),
    _e(KB, ".", "LG-IAM-106", PASS, "data.tf", 78, 105),
    _e(KB, ".", "LG-DATA-104", UNRESOLVED, "s3.tf", 1, 4),
    _e(KB, ".", "LG-OBS-103", PASS, "cloudwatch_metrics.tf", 1, 12),
    _e(KB, ".", "LG-OBS-103", PASS, "cloudwatch_dashboard.tf", 1),
    _e(KB, ".", "LG-OBS-104", FAIL),
    _e(KB, ".", "LG-OBS-106", PASS, "cloudwatch_logs.tf", 16, 43),
    _e(KB, ".", "LG-DATA-106", PASS, "bedrock_guardrails.tf", 13, 109),
    _e(KB, ".", "LG-DATA-107", PASS, "bedrock_guardrails.tf", 13, 109),
    # aws-hub-and-spoke
    _e(HUB, ".", "LG-CONN-101", PASS, "main.tf", 167, 176),
    _e(HUB, ".", "LG-CONN-102", PASS, "main.tf", 264, 275),
    _e(HUB, ".", "LG-CONN-103", PASS, "modules/route53_record/main.tf", 7, 19),
    _e(HUB, ".", "LG-CONN-106", PASS, "main.tf", 173),
    _e(HUB, ".", "LG-CONN-104", PASS, "main.tf", 17, 20),
    _e(HUB, ".", "LG-CONN-104", UNRESOLVED, "main.tf", 114, 148),
    _e(HUB, ".", "LG-CONN-105", UNRESOLVED, "main.tf", 244, 260),
    _e(HUB, ".", "LG-IAM-103", FAIL, "main.tf", 407, 417),
    _e(HUB, ".", "LG-IAM-101", PASS, "main.tf", 289, 326),
    _e(HUB, ".", "LG-DATA-101", FAIL, "main.tf", 179, 212),
    _e(HUB, ".", "LG-DATA-103", UNRESOLVED, "main.tf", 8, 38),
    _e(HUB, ".", "LG-DATA-103", UNRESOLVED, "main.tf", 129, 140),
    _e(HUB, ".", "LG-DATA-102", PASS, "modules/compute/main.tf", 11),
    _e(HUB, ".", "LG-DATA-102", PASS, "modules/compute/main.tf", 17, 24),
    _e(HUB, ".", "LG-OBS-101", PASS, "main.tf", 32, 37),
    _e(HUB, ".", "LG-OBS-101", FAIL, "main.tf", 129, 140),
    _e(HUB, ".", "LG-COST-101", FAIL, "providers.tf", 21, 27),
    _e(HUB, ".", "LG-COST-102", FAIL, "main.tf", 91, 93),
    _e(HUB, ".", "LG-COST-102", FAIL, "main.tf", 208, 210),
    _e(HUB, ".", "LG-IAM-001", UNRESOLVED),
    _e(HUB, ".", "LG-OBS-001", UNRESOLVED),
    _e(HUB, ".", "LG-COST-003", UNRESOLVED),
    # bedrock-access-gateway A: API Gateway + Lambda
    _e(BAG, BAG_A, "LG-OBS-105", FAIL, BAG_A, 33, 34),
    _e(BAG, BAG_A, "LG-IAM-015", FAIL, BAG_A, 54, 58),
    _whole(BAG, BAG_A, "LG-DATA-011", UNRESOLVED, BAG_A),
    # bedrock-access-gateway B: VPC + ALB + Fargate
    _e(BAG, BAG_B, "LG-DATA-101", FAIL, BAG_B, 389, 400),
    _e(BAG, BAG_B, "LG-IAM-101", FAIL, BAG_B, 146, 150),
    _e(BAG, BAG_B, "LG-OBS-102", FAIL, BAG_B, 370, 374),
    _e(BAG, BAG_B, "LG-COST-102", FAIL, BAG_B, 29, 31),
    _e(BAG, BAG_B, "LG-COST-102", FAIL, BAG_B, 41, 47),
    # bedrock-access-gateway C: Terraform
    _e(BAG, BAG_C, "LG-DATA-105", FAIL, f"{BAG_C}/main.tf", 93),
    _e(BAG, BAG_C, "LG-COST-101", FAIL, f"{BAG_C}/backend.tf", 19, 21),
    _e(BAG, BAG_C, "LG-COST-102", FAIL, f"{BAG_C}/tfstate.tf", 12, 16),
    # stratus-bedrock-logging A and B: nothing to connect, shown where it is set up
    _e(STR, STR_A, "LG-CONN-001", UNRESOLVED, f"{STR_A}/main.tf", 1, 94),
    _e(STR, STR_A, "LG-IAM-101", PASS, f"{STR_A}/main.tf", 55, 72),
    _e(STR, STR_B, "LG-CONN-001", UNRESOLVED, f"{STR_B}/main.tf", 10, 18),
    _e(STR, STR_B, "LG-DATA-106", PASS, f"{STR_B}/main.tf", 30, 43),
    # terraform-aws-bedrock A and B: "not evidenced" at the example's module call
    _e(TAB, TAB_A, "LG-CONN-001", UNRESOLVED, f"{TAB_A}/main.tf", 13, 20),
    _e(TAB, TAB_A, "LG-DATA-011", UNRESOLVED, "inference-profile.tf", 1, 9),
    _e(TAB, TAB_B, "LG-CONN-001", UNRESOLVED, f"{TAB_B}/main.tf", 7, 74),
    # terraform-aws-bedrock B: agent with guardrails
    _e(TAB, TAB_B, "LG-IAM-104", UNRESOLVED, "iam.tf", 15),
)


@pytest.mark.parametrize("expected", EXPECTED_GENERIC_AWS, ids=_label)
def test_generic_aws_checks_report_what_expected_md_says(expected: Expected) -> None:
    _assert_reported(expected)


def test_prompt_attack_finding_cites_the_examples_filters() -> None:
    """terraform-aws-bedrock B: the filters missing PROMPT_ATTACK are the
    example's input (examples/agent-with-guardrails/main.tf:10-39), which the
    finding gives as where its value was set."""
    result = _review(TAB, TAB_B)

    origins = [
        (_where(result, TAB, f.origin.file), f.origin.line)
        for f in result.findings
        if f.check.id == "LG-DATA-019" and f.status is FAIL and f.origin is not None
    ]

    assert len(origins) == 1
    assert origins[0][0] == f"{TAB_B}/main.tf"
    assert 10 <= origins[0][1] <= 39
