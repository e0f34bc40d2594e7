"""Identity checks that hold for any AWS deployment, on tiny inline resources."""

from __future__ import annotations

from check_helpers import CFN, only, res, run

from lockgate.review.checks import app_secrets, aws_generic_iam, aws_s3_grants
from lockgate.review.model import Ref, Resource, Status, Unresolved


def _role_policy(resource: object) -> dict[str, object]:
    return {
        "policy": {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": resource,
                }
            ]
        }
    }


def test_log_grants_on_every_account_and_region_fail() -> None:
    policy = res(
        "aws_iam_role_policy",
        "aws_iam_role_policy.p",
        _role_policy("arn:aws:logs:*:*:*"),
    )

    found = only(aws_generic_iam.log_grants_scoped, policy)

    assert found.status is Status.FAIL
    assert found.resource == "aws_iam_role_policy.p"


def test_log_grants_on_star_in_cloudformation_fail() -> None:
    attributes = {"PolicyDocument": _role_policy("*")["policy"]}
    policy = res("AWS::IAM::Policy", "ExecPolicy", attributes, source=CFN)

    assert only(aws_generic_iam.log_grants_scoped, policy).status is Status.FAIL


def test_log_grants_on_one_log_group_pass() -> None:
    arn = Unresolved('"${aws_cloudwatch_log_group.app.arn}:*"', "reference")
    policy = res("aws_iam_role_policy", "aws_iam_role_policy.p", _role_policy(arn))

    assert only(aws_generic_iam.log_grants_scoped, policy).status is Status.PASS


def test_log_grants_naming_region_and_account_pass() -> None:
    arn = "arn:aws:logs:eu-west-2:123456789012:*"
    policy = res("aws_iam_role_policy", "aws_iam_role_policy.p", _role_policy(arn))

    assert only(aws_generic_iam.log_grants_scoped, policy).status is Status.PASS


def test_log_grants_on_an_unreadable_resource_are_unresolved() -> None:
    arn = Unresolved("var.log_arn", "input without a default")
    policy = res("aws_iam_role_policy", "aws_iam_role_policy.p", _role_policy(arn))

    found = only(aws_generic_iam.log_grants_scoped, policy)

    assert found.status is Status.UNRESOLVED


def _access_policy(permissions: list[str]) -> dict[str, object]:
    rule = {"ResourceType": "index", "Resource": ["index/kb/*"]}
    return {
        "type": "data",
        "policy": [{"Rules": [{**rule, "Permission": permissions}]}],
    }


def test_aoss_star_data_access_fails() -> None:
    policy = res(
        "aws_opensearchserverless_access_policy", "a.p", _access_policy(["aoss:*"])
    )

    found = only(aws_generic_iam.data_access_scoped, policy)

    assert found.status is Status.FAIL
    assert "aoss:*" in found.message


def test_named_aoss_permissions_pass() -> None:
    permissions = ["aoss:ReadDocument", "aoss:WriteDocument"]
    policy = res(
        "aws_opensearchserverless_access_policy", "a.p", _access_policy(permissions)
    )

    assert only(aws_generic_iam.data_access_scoped, policy).status is Status.PASS


def test_unreadable_data_access_policy_is_unresolved() -> None:
    attributes = {"type": "data", "policy": Unresolved("file(x)", "file")}
    policy = res("aws_opensearchserverless_access_policy", "a.p", attributes)

    found = only(aws_generic_iam.data_access_scoped, policy)

    assert found.status is Status.UNRESOLVED


def test_exclusive_attachment_of_s3_read_only_fails_for_both_reasons() -> None:
    attachment = res(
        "aws_iam_policy_attachment",
        "aws_iam_policy_attachment.s3",
        {"policy_arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"},
    )

    found = only(aws_generic_iam.managed_attachments, attachment)

    assert found.status is Status.FAIL
    assert "AmazonS3ReadOnlyAccess" in found.message
    assert "aws_iam_policy_attachment" in found.message


def test_role_attachment_of_a_narrow_managed_policy_is_not_reviewed() -> None:
    attachment = res(
        "aws_iam_role_policy_attachment",
        "aws_iam_role_policy_attachment.ssm",
        {"policy_arn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"},
    )

    assert run(aws_generic_iam.managed_attachments, attachment) == []


def test_boundary_from_an_unset_input_is_unresolved() -> None:
    role = res("aws_iam_role", "aws_iam_role.r", {"permissions_boundary": None})

    found = only(aws_generic_iam.permissions_boundary, role)

    assert found.status is Status.UNRESOLVED
    assert found.location is not None and found.location.line == 2


def test_set_boundary_passes() -> None:
    arn = "arn:aws:iam::123456789012:policy/boundary"
    role = res("aws_iam_role", "aws_iam_role.r", {"permissions_boundary": arn})

    assert only(aws_generic_iam.permissions_boundary, role).status is Status.PASS


def test_role_without_a_boundary_argument_is_not_reviewed() -> None:
    role = res("aws_iam_role", "aws_iam_role.r", {"name": "app"})

    assert run(aws_generic_iam.permissions_boundary, role) == []


def _s3_policy(resource: object) -> dict[str, object]:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}
    return {"policy": {"Statement": [statement]}}


def test_s3_actions_on_every_bucket_fail() -> None:
    policy = res("aws_iam_policy", "aws_iam_policy.p", _s3_policy("*"))

    assert only(aws_s3_grants.s3_grants_scoped, policy).status is Status.FAIL


def test_s3_actions_on_a_named_bucket_pass() -> None:
    arn = Unresolved('"${aws_s3_bucket.data.arn}/*"', "reference")
    policy = res("aws_iam_policy", "aws_iam_policy.p", _s3_policy(arn))

    assert only(aws_s3_grants.s3_grants_scoped, policy).status is Status.PASS


def test_s3_actions_on_an_input_bucket_are_unresolved() -> None:
    policy = res(
        "aws_iam_policy", "aws_iam_policy.p", _s3_policy(Unresolved("var.b", "input"))
    )

    found = only(aws_s3_grants.s3_grants_scoped, policy)

    assert found.status is Status.UNRESOLVED


def _bucket_policy(principal: object) -> Resource:
    statement = {"Effect": "Allow", "Principal": {"AWS": [principal]}}
    return res(
        "aws_s3_bucket_policy",
        "aws_s3_bucket_policy.state",
        {"policy": {"Statement": [statement]}},
    )


def test_bucket_policy_naming_an_sso_role_fails() -> None:
    arn = Unresolved(
        '"arn:aws:iam::${var.account}:role/aws-reserved/sso.amazonaws.com/'
        'AWSReservedSSO_AdministratorAccess_fa7e"',
        "reference",
    )

    found = only(aws_s3_grants.bucket_policy_principals, _bucket_policy(arn))

    assert found.status is Status.FAIL
    assert "AWSReservedSSO_AdministratorAccess_fa7e)" in found.message


def test_bucket_policy_naming_a_role_passes() -> None:
    arn = "arn:aws:iam::123456789012:role/deployer"

    found = only(aws_s3_grants.bucket_policy_principals, _bucket_policy(arn))

    assert found.status is Status.PASS


MODEL = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0"


def test_shared_key_finding_also_points_at_the_grant_to_read_the_key() -> None:
    secret = Unresolved('{"Ref":"ApiKeySecretArn"}', "parameter has no default")
    invoke = {
        "Effect": "Allow",
        "Action": "bedrock:InvokeModel",
        "Resource": MODEL,
    }
    read = {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue"}
    policy = res(
        "AWS::IAM::Policy",
        "FnPolicy",
        {
            "PolicyDocument": {"Statement": [invoke, {**read, "Resource": secret}]},
            "Roles": [Ref("FnRole")],
        },
        CFN,
    )
    role = res("AWS::IAM::Role", "FnRole", {"Path": "/"}, CFN)
    function = res(
        "AWS::Lambda::Function",
        "Fn",
        {
            "Role": Ref("FnRole", "Arn"),
            "Environment": {"Variables": {"API_KEY_SECRET_ARN": secret}},
        },
        CFN,
    )

    findings = run(app_secrets.shared_client_key, policy, role, function)

    assert sorted((f.status, f.resource) for f in findings) == [
        (Status.FAIL, "Fn"),
        (Status.FAIL, "FnPolicy"),
    ]
