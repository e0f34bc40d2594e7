"""Guardrails that exist and are published, on tiny inline resources."""

from __future__ import annotations

from check_helpers import only, res, run

from lockgate.review.checks import aws_guardrail_lifecycle, aws_perimeter_evidence
from lockgate.review.model import Ref, Status

GUARDRAIL = res("aws_bedrock_guardrail", "aws_bedrock_guardrail.g", {"name": "g"})
MODEL_ARN = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0"
ROLE_POLICY = res(
    "aws_iam_role_policy",
    "aws_iam_role_policy.invoke",
    {
        "role": Ref("aws_iam_role.fn"),
        "policy": {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "bedrock:InvokeModel",
                    "Resource": MODEL_ARN,
                }
            ]
        },
    },
)
FUNCTION = res(
    "aws_lambda_function",
    "aws_lambda_function.fn",
    {"role": Ref("aws_iam_role.fn", "arn")},
)
ROLE = res("aws_iam_role", "aws_iam_role.fn", {"name": "fn"})


def test_a_declared_guardrail_is_defined() -> None:
    found = only(aws_guardrail_lifecycle.guardrail_defined, GUARDRAIL)

    assert found.status is Status.PASS
    assert found.resource == "aws_bedrock_guardrail.g"


def test_compute_calling_bedrock_without_a_guardrail_fails() -> None:
    found = only(aws_guardrail_lifecycle.guardrail_defined, ROLE, ROLE_POLICY, FUNCTION)

    assert found.status is Status.FAIL
    assert found.resource == "aws_lambda_function.fn"


def test_nothing_calling_bedrock_and_no_guardrail_gives_no_finding() -> None:
    assert run(aws_guardrail_lifecycle.guardrail_defined, ROLE) == []


def test_guardrail_with_a_version_passes() -> None:
    version = res(
        "aws_bedrock_guardrail_version",
        "aws_bedrock_guardrail_version.g",
        {"guardrail_arn": Ref("aws_bedrock_guardrail.g", "guardrail_arn")},
    )

    found = only(aws_guardrail_lifecycle.guardrail_versioned, GUARDRAIL, version)

    assert found.status is Status.PASS


def test_guardrail_without_a_version_fails() -> None:
    found = only(aws_guardrail_lifecycle.guardrail_versioned, GUARDRAIL)

    assert found.status is Status.FAIL
    assert "DRAFT" in found.message


def test_bedrock_use_without_an_endpoint_leaves_the_perimeter_unresolved() -> None:
    found = only(
        aws_perimeter_evidence.perimeter_not_evidenced, ROLE, ROLE_POLICY, FUNCTION
    )

    assert found.status is Status.UNRESOLVED
    assert found.resource == "aws_lambda_function.fn"


def test_no_bedrock_use_leaves_the_perimeter_to_other_checks() -> None:
    assert run(aws_perimeter_evidence.perimeter_not_evidenced, ROLE) == []
