from __future__ import annotations

from check_helpers import ARM, CFN, account, only, res, run

from lockgate.review.checks import identity as i
from lockgate.review.model import Location, Ref, Status, Unresolved


def _policy(*statements: dict[str, object]) -> object:
    return res(
        "aws_iam_policy",
        "aws_iam_policy.p",
        {
            "name": "p",
            "policy": {"Version": "2012-10-17", "Statement": list(statements)},
        },
        line=5,
    )


def test_bedrock_star_fails_named_actions_pass() -> None:
    star = only(i.wildcard_actions, _policy({"Effect": "Allow", "Action": "bedrock:*"}))
    named = only(
        i.wildcard_actions,
        _policy({"Effect": "Allow", "Action": ["bedrock:InvokeModel"]}),
    )

    assert star.status is Status.FAIL
    assert "bedrock:*" in star.message
    assert named.status is Status.PASS


def test_statements_without_bedrock_actions_are_not_judged() -> None:
    assert run(i.wildcard_actions, _policy({"Effect": "Allow", "Action": "s3:*"})) == []


def test_resource_star_fails_scoped_passes_unresolved_is_unresolved() -> None:
    star = only(
        i.wildcard_resources,
        _policy({"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}),
    )
    scoped = only(
        i.wildcard_resources,
        _policy(
            {
                "Effect": "Allow",
                "Action": "bedrock:InvokeModel",
                "Resource": "arn:aws:bedrock:us-east-1::foundation-model/x",
            }
        ),
    )
    unknown = only(
        i.wildcard_resources,
        _policy(
            {
                "Effect": "Allow",
                "Action": "bedrock:InvokeModel",
                "Resource": Unresolved("var.arn", "no default"),
            }
        ),
    )

    assert (star.status, scoped.status, unknown.status) == (
        Status.FAIL,
        Status.PASS,
        Status.UNRESOLVED,
    )


def test_json_string_policy_is_located_at_its_attribute() -> None:
    policy = res(
        "aws_iam_role_policy",
        "aws_iam_role_policy.r",
        {
            "role": "x",
            "policy": '{"Statement":[{"Effect":"Allow","Action":"bedrock:*",'
            '"Resource":"*"}]}',
        },
        line=40,
    )

    found = only(i.wildcard_actions, policy)

    assert found.status is Status.FAIL
    assert found.location == Location("main.tf", 42)


def test_data_policy_document_statements_are_read_and_located() -> None:
    document = res(
        "aws_iam_policy_document",
        "data.aws_iam_policy_document.d",
        {
            "statement": [
                {"actions": ["s3:GetObject"], "resources": ["*"]},
                {"actions": ["bedrock:InvokeModel"], "resources": ["*"]},
            ]
        },
        file="data.tf",
        line=25,
    )
    document.locations[("statement", 1)] = Location("data.tf", 34)
    policy = res(
        "aws_iam_policy",
        "aws_iam_policy.p",
        {"policy": Ref("data.aws_iam_policy_document.d", "json")},
    )

    found = only(i.wildcard_resources, document, policy)

    assert found.status is Status.FAIL
    assert found.location == Location("data.tf", 34)
    assert found.resource == "aws_iam_policy.p"


def test_full_access_managed_policy_is_flagged() -> None:
    attachment = res(
        "aws_iam_role_policy_attachment",
        "aws_iam_role_policy_attachment.a",
        {"policy_arn": "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"},
    )
    role = res(
        "AWS::IAM::Role",
        "Role",
        {"ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]},
        CFN,
    )

    assert only(i.full_access_policy, attachment).status is Status.FAIL
    assert run(i.full_access_policy, role) == []


def test_access_keys_and_long_term_bedrock_keys_fail() -> None:
    key = res("aws_iam_access_key", "aws_iam_access_key.k", {"user": "u"})
    credential = res(
        "aws_iam_service_specific_credential",
        "aws_iam_service_specific_credential.c",
        {"service_name": "bedrock.amazonaws.com", "user_name": "u"},
    )
    codecommit = res(
        "aws_iam_service_specific_credential",
        "aws_iam_service_specific_credential.g",
        {"service_name": "codecommit.amazonaws.com"},
    )
    unknown = res(
        "aws_iam_service_specific_credential",
        "aws_iam_service_specific_credential.u",
        {"service_name": Unresolved("var.svc", "no default")},
    )

    assert only(i.static_access_keys, key).status is Status.FAIL
    assert only(i.long_term_api_keys, credential).status is Status.FAIL
    assert only(i.long_term_api_keys, credential).location == Location("main.tf", 2)
    assert run(i.long_term_api_keys, codecommit) == []
    assert only(i.long_term_api_keys, unknown).status is Status.UNRESOLVED


def test_bearer_token_grant_fails() -> None:
    found = only(
        i.bearer_token_grants,
        _policy({"Effect": "Allow", "Action": "bedrock:CallWithBearerToken"}),
    )

    assert found.status is Status.FAIL


def _role(condition: object | None) -> object:
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    return res(
        "aws_iam_role",
        "aws_iam_role.r",
        {"assume_role_policy": {"Statement": [statement]}},
    )


def test_bedrock_trust_without_source_conditions_fails() -> None:
    bare = only(i.confused_deputy, _role(None))
    guarded = only(
        i.confused_deputy,
        _role({"StringEquals": {"aws:SourceAccount": "123456789012"}}),
    )
    unknown = only(i.confused_deputy, _role(Unresolved("local.cond", "module")))

    assert (bare.status, guarded.status, unknown.status) == (
        Status.FAIL,
        Status.PASS,
        Status.UNRESOLVED,
    )


def test_trust_document_from_data_source_uses_condition_variables() -> None:
    document = res(
        "aws_iam_policy_document",
        "data.aws_iam_policy_document.trust",
        {
            "statement": [
                {
                    "actions": ["sts:AssumeRole"],
                    "principals": [
                        {"type": "Service", "identifiers": ["bedrock.amazonaws.com"]}
                    ],
                    "condition": [
                        {
                            "test": "ArnLike",
                            "variable": "AWS:SourceArn",
                            "values": ["arn"],
                        }
                    ],
                }
            ]
        },
    )
    role = res(
        "aws_iam_role",
        "aws_iam_role.kb",
        {"assume_role_policy": Ref("data.aws_iam_policy_document.trust", "json")},
    )

    assert only(i.confused_deputy, document, role).status is Status.PASS


def _arm_account(properties: dict[str, object], **top: object) -> object:
    return account("acct", properties, ARM, 12, "a.json", **top)


def test_local_auth_arm_inverted_flag() -> None:
    disabled = only(i.azure_local_auth, _arm_account({"disableLocalAuth": True}))
    enabled = only(i.azure_local_auth, _arm_account({"disableLocalAuth": False}))
    absent = only(i.azure_local_auth, _arm_account({"publicNetworkAccess": "Enabled"}))

    assert disabled.status is Status.PASS
    assert enabled.status is Status.FAIL
    assert enabled.location == Location("a.json", 14)
    assert absent.status is Status.FAIL
    assert absent.location == Location("a.json", 13)


def test_local_auth_terraform_spellings_and_unresolved() -> None:
    cognitive = res(
        "azurerm_cognitive_account",
        "azurerm_cognitive_account.a",
        {"local_auth_enabled": True},
    )
    services = res(
        "azurerm_ai_services",
        "azurerm_ai_services.a",
        {"local_authentication_enabled": False},
    )
    unknown = res(
        "azurerm_cognitive_account",
        "azurerm_cognitive_account.u",
        {"local_auth_enabled": Unresolved("var.x", "no default")},
    )

    assert only(i.azure_local_auth, cognitive).status is Status.FAIL
    assert only(i.azure_local_auth, services).status is Status.PASS
    assert only(i.azure_local_auth, unknown).status is Status.UNRESOLVED


def test_azapi_account_reads_arm_names_under_body() -> None:
    account = res(
        "azapi_resource",
        "azapi_resource.foundry",
        {
            "type": "Microsoft.CognitiveServices/accounts@2025-04-01-preview",
            "body": {"kind": "AIServices", "properties": {"disableLocalAuth": True}},
        },
    )

    assert only(i.azure_local_auth, account).status is Status.PASS


def test_managed_identity_present_or_missing() -> None:
    with_identity = _arm_account({}, identity={"type": "SystemAssigned"})

    assert only(i.azure_managed_identity, with_identity).status is Status.PASS
    assert only(i.azure_managed_identity, _arm_account({})).status is Status.FAIL


def test_contributor_on_the_account_fails_openai_user_passes() -> None:
    account = res("azurerm_cognitive_account", "azurerm_cognitive_account.a", {})
    contributor = res(
        "azurerm_role_assignment",
        "azurerm_role_assignment.c",
        {
            "scope": Ref("azurerm_cognitive_account.a", "id"),
            "role_definition_name": "Contributor",
        },
    )
    user = res(
        "azurerm_role_assignment",
        "azurerm_role_assignment.u",
        {
            "scope": Ref("azurerm_cognitive_account.a", "id"),
            "role_definition_name": "Cognitive Services OpenAI User",
        },
    )

    assert only(i.azure_broad_roles, account, contributor).status is Status.FAIL
    assert only(i.azure_broad_roles, account, user).status is Status.PASS


def test_list_keys_in_an_expression_fails() -> None:
    account = _arm_account({})
    connection = res(
        "Microsoft.CognitiveServices/accounts/connections",
        "bing",
        {
            "properties": {
                "credentials": {"key": Unresolved("bing.listKeys().key1", "fn")}
            }
        },
        ARM,
    )

    assert only(i.azure_keys_in_code, account, connection).status is Status.FAIL


def test_arn_template_naming_one_model_is_scoped_wildcard_template_is_broad() -> None:
    def policy(resource: str) -> object:
        return _policy(
            {
                "Effect": "Allow",
                "Action": "bedrock:InvokeModel",
                "Resource": Unresolved(resource, "partition unknown"),
            }
        )

    named = '"arn:${local.partition}:bedrock:${local.region}::foundation-model/${m}"'
    every = '"arn:${local.partition}:bedrock:*::foundation-model/*"'

    assert only(i.wildcard_resources, policy(named)).status is Status.PASS
    assert only(i.wildcard_resources, policy(every)).status is Status.FAIL
