"""LG-IAM-015 also cites the CloudFormation parameter that passes the key in."""

from __future__ import annotations

from check_helpers import CFN, res

from lockgate.review.checks import app_secrets
from lockgate.review.checks.support import CheckContext
from lockgate.review.model import Inventory, Location, Ref, Resource, Status, Unresolved

MODEL = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0"


def _stack(key: object, parameters: list[Resource]) -> Inventory:
    invoke = {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": MODEL}
    policy = res(
        "AWS::IAM::Policy",
        "FnPolicy",
        {"PolicyDocument": {"Statement": [invoke]}, "Roles": [Ref("FnRole")]},
        CFN,
    )
    role = res("AWS::IAM::Role", "FnRole", {"Path": "/"}, CFN)
    function = res(
        "AWS::Lambda::Function",
        "Fn",
        {
            "Role": Ref("FnRole", "Arn"),
            "Environment": {"Variables": {"API_KEY_SECRET_ARN": key}},
        },
        CFN,
        line=20,
    )
    return Inventory(
        root=".", resources=[policy, role, function], parameters=parameters
    )


def _parameter(name: str, line: int) -> Resource:
    return res("parameter", f"Parameters.{name}", {"Type": "String"}, CFN, line)


def test_shared_key_read_from_a_parameter_is_also_reported_at_it() -> None:
    key = Unresolved('{"Ref":"KeySecretArn"}', "parameter KeySecretArn has no default")
    parameters = [_parameter("Other", 3), _parameter("KeySecretArn", 5)]

    findings = app_secrets.shared_client_key(CheckContext(_stack(key, parameters)))

    assert sorted((f.status, f.resource, f.location) for f in findings) == [
        (Status.FAIL, "Fn", Location("main.tf", 22)),
        (Status.FAIL, "Parameters.KeySecretArn", Location("main.tf", 5)),
    ]


def test_shared_key_written_as_a_literal_cites_no_parameter() -> None:
    key = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key"
    parameters = [_parameter("KeySecretArn", 5)]

    findings = app_secrets.shared_client_key(CheckContext(_stack(key, parameters)))

    assert [(f.status, f.resource) for f in findings] == [(Status.FAIL, "Fn")]
