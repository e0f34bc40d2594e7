"""The last EXPECTED.md findings that were reported, but not where EXPECTED.md
puts them.

Rows are transcribed from ``shared/realworld/<case>/EXPECTED.md`` in the row
format of :mod:`test_realworld_expected` and asserted by its test, so each finding
is reported with exactly the status and evidence location EXPECTED.md gives.
"""

from __future__ import annotations

import pytest
from test_realworld_expected import BAG, BAG_A, BAG_C, FAIL, Expected, _e, _label
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
