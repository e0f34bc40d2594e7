"""The last EXPECTED.md findings that were reported, but not where EXPECTED.md
puts them.

Rows are transcribed from ``shared/realworld/<case>/EXPECTED.md`` in the row
format of :mod:`test_realworld_expected` and asserted by its test, so each finding
is reported with exactly the status and evidence location EXPECTED.md gives.
"""

from __future__ import annotations

import pytest
from test_realworld_expected import (
    BAG,
    BAG_A,
    BAG_C,
    FAIL,
    STR,
    STR_B,
    Expected,
    _e,
    _label,
    _review,
    _where,
)
from test_realworld_expected import (
    test_review_reports_what_expected_md_says as _assert_reported,
)

EXPECTED_LAST: tuple[Expected, ...] = (
    # bedrock-access-gateway A: "a single static API key for all clients, held in
    # Secrets Manager (parameter ApiKeySecretArn)", cited at the parameter
    _e(BAG, BAG_A, "LG-IAM-015", FAIL, BAG_A, 3, 6),
    # bedrock-access-gateway C: "state bucket policy hard-codes one SSO
    # administrator role ARN", inside the jsonencode of tfstate.tf
    _e(BAG, BAG_C, "LG-IAM-105", FAIL, f"{BAG_C}/tfstate.tf", 57, 75),
)


@pytest.mark.parametrize("expected", EXPECTED_LAST, ids=_label)
def test_last_findings_are_reported_where_expected_md_says(
    expected: Expected,
) -> None:
    _assert_reported(expected)


def test_missing_guardrail_version_is_reported_at_the_guardrail() -> None:
    """stratus-bedrock-logging B: EXPECTED.md gives one advisory line for the
    guardrail's gaps ("only a HATE content filter ... no PROMPT_ATTACK, no PII or
    topic policies, and no aws_bedrock_guardrail_version") with the evidence
    B/main.tf:36-42, the filter block; LG-DATA-019 reports the filter gaps there.
    A version is a separate resource that is missing, so by the verdict rules of
    SOURCES.md its evidence is the guardrail it should publish (main.tf:30, the
    resource EXPECTED.md cites at 30-43), not its filter block: LG-DATA-107
    stays there on purpose."""
    result = _review(STR, STR_B)

    found = [f for f in result.findings if f.check.id == "LG-DATA-107"]

    assert [(f.status, f.resource) for f in found] == [
        (FAIL, "aws_bedrock_guardrail.test_guardrail")
    ]
    location = found[0].location
    assert location is not None
    assert (_where(result, STR, location.file), location.line) == (
        f"{STR_B}/main.tf",
        30,
    )
