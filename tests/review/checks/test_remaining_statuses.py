"""The verdicts each check can give that the area tests do not already show."""

from __future__ import annotations

from check_helpers import ARM, BICEP, CFN, account, only, res

from lockgate.review.checks import (
    azure_network,
    cost,
    data_perimeter,
    encryption,
    frontdoor,
    guardrails,
    identity,
    observability,
)
from lockgate.review.model import Ref, Status, Unresolved

AI_POLICY = res(
    "aws_iam_policy",
    "aws_iam_policy.ai",
    {"policy": {"Statement": [{"Effect": "Allow", "Action": "bedrock:Converse"}]}},
)
UNKNOWN = Unresolved("var.unknown", "variable has no default")


def _account(properties: dict[str, object], **top: object) -> object:
    top = {"kind": "AIServices", **top}
    return account("acct", properties, BICEP, **top)


def test_listener_with_unresolved_protocol_is_unresolved() -> None:
    listener = res("aws_lb_listener", "aws_lb_listener.l", {"protocol": UNKNOWN})

    assert only(frontdoor.listener_tls, AI_POLICY, listener).status is Status.UNRESOLVED


def test_unreadable_vector_store_network_policy_is_unresolved() -> None:
    policy = res(
        "aws_opensearchserverless_security_policy",
        "aws_opensearchserverless_security_policy.n",
        {"type": "network", "policy": UNKNOWN},
    )

    assert only(frontdoor.public_vector_store, policy).status is Status.UNRESOLVED


def test_unresolved_api_method_authorization_is_unresolved() -> None:
    method = res(
        "aws_api_gateway_method", "aws_api_gateway_method.m", {"authorization": UNKNOWN}
    )

    assert only(frontdoor.caller_authorization, AI_POLICY, method).status is (
        Status.UNRESOLVED
    )


def test_unresolved_agent_network_injection_is_unresolved() -> None:
    account = _account(
        {
            "networkInjections": [
                {"scenario": "agent", "useMicrosoftManagedNetwork": UNKNOWN}
            ]
        }
    )

    assert only(azure_network.agent_network, account).status is Status.UNRESOLVED


def test_anomaly_monitor_absent_is_not_evidenced_cost_tag_activation_present() -> None:
    tag = res(
        "aws_ce_cost_allocation_tag",
        "aws_ce_cost_allocation_tag.cc",
        {"tag_key": "CostCenter", "status": "Active"},
    )

    assert only(cost.anomaly_monitors, AI_POLICY).status is Status.UNRESOLVED
    assert only(cost.cost_tag_activation, AI_POLICY, tag).status is Status.PASS


def test_unresolved_tags_are_unresolved() -> None:
    account = _account({}, tags=UNKNOWN)
    agent = res("aws_bedrockagent_agent", "aws_bedrockagent_agent.a", {"tags": UNKNOWN})

    assert only(cost.azure_tags, account).status is Status.UNRESOLVED
    assert only(cost.bedrock_tags, agent).status is Status.UNRESOLVED


def test_capacity_that_is_not_a_number_fails() -> None:
    deployment = res(
        "Microsoft.CognitiveServices/accounts/deployments",
        "acct::gpt",
        {"sku": {"capacity": "lots"}},
        ARM,
    )

    assert only(cost.deployment_capacity, deployment).status is Status.FAIL


def test_unreadable_mantle_endpoint_policy_is_unresolved() -> None:
    endpoint = res(
        "aws_vpc_endpoint",
        "aws_vpc_endpoint.m",
        {"service_name": "com.amazonaws.us-east-1.bedrock-mantle", "policy": UNKNOWN},
    )

    assert only(data_perimeter.mantle_policy, endpoint).status is Status.UNRESOLVED


def test_unresolved_encryption_settings_are_unresolved() -> None:
    account = res(
        "Microsoft.CognitiveServices/accounts",
        "acct",
        {"properties": {"encryption": {"keySource": UNKNOWN}}},
        ARM,
    )
    guardrail = res(
        "aws_bedrock_guardrail",
        "aws_bedrock_guardrail.g",
        {"kms_key_arn": Ref("aws_kms_key.k", "arn")},
    )
    unknown_guardrail = res(
        "aws_bedrock_guardrail", "aws_bedrock_guardrail.u", {"kms_key_arn": UNKNOWN}
    )

    assert only(encryption.azure_customer_key, account).status is Status.UNRESOLVED
    assert only(encryption.guardrail_customer_key, guardrail).status is Status.PASS
    assert only(encryption.guardrail_customer_key, unknown_guardrail).status is (
        Status.UNRESOLVED
    )


def test_unresolved_invocation_log_key_is_unresolved() -> None:
    config = res(
        "aws_bedrock_model_invocation_logging_configuration",
        "aws_bedrock_model_invocation_logging_configuration.l",
        {
            "logging_config": [
                {
                    "cloudwatch_config": [
                        {"log_group_name": Ref("aws_cloudwatch_log_group.g", "name")}
                    ]
                }
            ]
        },
    )
    group = res(
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_log_group.g",
        {"name": "/aws/bedrock", "kms_key_id": UNKNOWN},
    )

    assert only(encryption.invocation_log_key, config, group).status is (
        Status.UNRESOLVED
    )


def test_unresolved_subnet_outbound_setting_is_unresolved() -> None:
    subnet = res(
        "azurerm_subnet",
        "azurerm_subnet.ai",
        {"name": "ai", "default_outbound_access_enabled": UNKNOWN},
    )

    assert only(data_perimeter.azure_subnet_egress, _account({}), subnet).status is (
        Status.UNRESOLVED
    )


def test_lambda_egress_outside_inside_and_unknown_vpc() -> None:
    def function(**attributes: object) -> object:
        return res(
            "aws_lambda_function",
            "aws_lambda_function.f",
            {"handler": "bedrock.handler", **attributes},
        )

    outside = only(data_perimeter.compute_egress, function())
    inside = only(
        data_perimeter.compute_egress, function(vpc_config=[{"subnet_ids": ["s"]}])
    )
    unknown = only(data_perimeter.compute_egress, function(vpc_config=UNKNOWN))

    assert (outside.status, inside.status, unknown.status) == (
        Status.FAIL,
        Status.PASS,
        Status.UNRESOLVED,
    )


def test_unresolved_guardrail_filters_are_unresolved() -> None:
    guardrail = res(
        "AWS::Bedrock::Guardrail",
        "Guardrail",
        {"ContentPolicyConfig": {"FiltersConfig": UNKNOWN}},
        CFN,
    )

    assert only(guardrails.prompt_attack_filter, guardrail).status is Status.UNRESOLVED


def test_unresolved_identity_and_authenticated_connection() -> None:
    account = _account({}, identity=UNKNOWN)
    connection = res(
        "Microsoft.CognitiveServices/accounts/projects/connections",
        "acct::project::search",
        {"properties": {"authType": "AAD"}},
        BICEP,
    )

    assert only(identity.azure_managed_identity, account).status is Status.UNRESOLVED
    assert only(identity.azure_keys_in_code, _account({}), connection).status is (
        Status.PASS
    )


def test_unresolved_diagnostic_categories_and_stage_logging() -> None:
    account = _account({})
    settings = res(
        "Microsoft.Insights/diagnosticSettings",
        "diag",
        {"scope": Ref("acct"), "properties": {"logs": [{"category": UNKNOWN}]}},
        BICEP,
    )
    stage = res(
        "aws_api_gateway_stage",
        "aws_api_gateway_stage.s",
        {"access_log_settings": UNKNOWN},
    )

    assert only(observability.azure_log_categories, account, settings).status is (
        Status.UNRESOLVED
    )
    assert only(observability.api_access_logs, AI_POLICY, stage).status is (
        Status.UNRESOLVED
    )
