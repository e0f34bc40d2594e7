from __future__ import annotations

from check_helpers import BICEP, CFN, account, only, res, run

from lockgate.review.checks import cost as k
from lockgate.review.checks import observability as o
from lockgate.review.model import Location, Ref, Status, Unresolved

AI_POLICY = res(
    "aws_iam_policy",
    "aws_iam_policy.ai",
    {"policy": {"Statement": [{"Effect": "Allow", "Action": "bedrock:Converse"}]}},
)
LOGGING = "aws_bedrock_model_invocation_logging_configuration"


def _logging(config: dict[str, object]) -> object:
    return res(LOGGING, f"{LOGGING}.this", {"logging_config": [config]}, line=74)


def test_invocation_logging_not_evidenced_is_unresolved_without_location() -> None:
    found = only(o.logging_evidenced, AI_POLICY)

    assert found.status is Status.UNRESOLVED
    assert found.location is None
    assert "not evidenced" in found.message


def test_invocation_logging_resource_or_custom_resource_passes() -> None:
    config = _logging({"text_data_delivery_enabled": True})
    custom = res(
        "Custom::BedrockLogging",
        "Logging",
        {"ServiceToken": "x", "Api": "PutModelInvocationLoggingConfiguration"},
        CFN,
    )

    assert only(o.logging_evidenced, config).status is Status.PASS
    assert only(o.logging_evidenced, config).location == Location("main.tf", 74)
    assert only(o.logging_evidenced, AI_POLICY, custom).status is Status.PASS


def test_no_ai_workload_means_no_logging_finding() -> None:
    assert run(o.logging_evidenced, res("aws_s3_bucket", "aws_s3_bucket.b", {})) == []


def test_logging_delivery_text_and_destination() -> None:
    good = _logging({"cloudwatch_config": [{"log_group_name": "g"}]})
    text_off = _logging(
        {"text_data_delivery_enabled": False, "s3_config": [{"bucket_name": "b"}]}
    )
    nowhere = _logging({"text_data_delivery_enabled": True})
    unknown = _logging({"text_data_delivery_enabled": Unresolved("var.t", "r")})

    assert only(o.logging_delivery, good).status is Status.PASS
    assert only(o.logging_delivery, text_off).status is Status.FAIL
    assert only(o.logging_delivery, nowhere).status is Status.FAIL
    assert only(o.logging_delivery, unknown).status is Status.UNRESOLVED


def _group(**attributes: object) -> object:
    return res(
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_log_group.bedrock",
        {"name": "/aws/bedrock/model_invocations", **attributes},
        line=11,
        file="cloudwatch_logs.tf",
    )


def test_retention_short_missing_long_and_unresolved() -> None:
    config = _logging(
        {
            "cloudwatch_config": [
                {"log_group_name": Ref("aws_cloudwatch_log_group.bedrock", "name")}
            ]
        }
    )

    short = only(o.log_retention, config, _group(retention_in_days=1))
    forever = only(o.log_retention, config, _group())
    year = only(o.log_retention, config, _group(retention_in_days=365))
    unknown = only(
        o.log_retention, config, _group(retention_in_days=Unresolved("v", "r"))
    )

    assert (short.status, forever.status, year.status, unknown.status) == (
        Status.FAIL,
        Status.FAIL,
        Status.PASS,
        Status.UNRESOLVED,
    )
    assert short.location == Location("cloudwatch_logs.tf", 13)
    assert forever.location == Location("cloudwatch_logs.tf", 11)


def test_large_payload_delivery() -> None:
    without = _logging({"cloudwatch_config": [{"log_group_name": "g"}]})
    with_s3 = _logging(
        {
            "cloudwatch_config": [
                {
                    "log_group_name": "g",
                    "large_data_delivery_s3_config": [{"bucket_name": "b"}],
                }
            ]
        }
    )

    assert only(o.large_payloads, without).status is Status.FAIL
    assert only(o.large_payloads, with_s3).status is Status.PASS


def test_mantle_endpoint_is_a_logging_blind_spot() -> None:
    mantle = res(
        "aws_vpc_endpoint",
        "aws_vpc_endpoint.m",
        {"service_name": "com.amazonaws.us-east-1.bedrock-mantle"},
    )

    assert only(o.mantle_blind_spot, mantle).status is Status.FAIL


def _account() -> object:
    return account("aiFoundry", {}, BICEP, 62, "ai-foundry.bicep", kind="AIServices")


def _diagnostics(*categories: str) -> object:
    return res(
        "Microsoft.Insights/diagnosticSettings",
        "azureDiagnostics",
        {
            "scope": Ref("aiFoundry"),
            "properties": {
                "logs": [{"category": c, "enabled": True} for c in categories]
            },
        },
        BICEP,
        line=179,
        file="ai-foundry.bicep",
    )


def test_account_without_diagnostic_setting_fails_at_the_account() -> None:
    found = only(o.azure_diagnostics, _account())

    assert found.status is Status.FAIL
    assert found.location == Location("ai-foundry.bicep", 62)


def test_diagnostic_setting_scoped_to_the_account_passes() -> None:
    found = only(o.azure_diagnostics, _account(), _diagnostics("Audit"))

    assert found.status is Status.PASS
    assert found.location == Location("ai-foundry.bicep", 179)


def test_diagnostic_categories_need_request_and_usage_logs() -> None:
    audit_only = only(o.azure_log_categories, _account(), _diagnostics("Audit"))
    full = only(
        o.azure_log_categories,
        _account(),
        _diagnostics("Audit", "RequestResponse", "AzureOpenAIRequestUsage"),
    )

    assert audit_only.status is Status.FAIL
    assert "azureopenairequestusage" in audit_only.message
    assert full.status is Status.PASS


def test_inference_profile_passes_raw_model_id_fails_at_its_attribute() -> None:
    profile = res(
        "awscc_bedrock_application_inference_profile",
        "awscc_bedrock_application_inference_profile.p",
        {
            "model_source": {
                "copy_from": "arn:aws:bedrock:us-east-1::foundation-model/x"
            }
        },
    )
    agent = res(
        "awscc_bedrock_agent",
        "awscc_bedrock_agent.a",
        {"agent_name": "a", "foundation_model": "anthropic.claude-v2"},
        line=80,
    )

    assert only(k.inference_profiles, profile).status is Status.PASS
    raw = only(k.inference_profiles, agent)
    assert raw.status is Status.FAIL
    assert raw.location == Location("main.tf", 82)


def test_no_profile_and_no_model_id_is_not_evidenced() -> None:
    found = only(k.inference_profiles, AI_POLICY)

    assert found.status is Status.UNRESOLVED
    assert found.location is None


def test_profile_tags() -> None:
    tagged = res(
        "AWS::Bedrock::ApplicationInferenceProfile",
        "P",
        {"Tags": [{"Key": "CostCenter", "Value": "1"}]},
        CFN,
    )
    bare = res("aws_bedrock_inference_profile", "aws_bedrock_inference_profile.p", {})
    unknown = res(
        "aws_bedrock_inference_profile",
        "aws_bedrock_inference_profile.u",
        {"tags": Unresolved("var.tags", "null default")},
    )

    assert only(k.profile_tags, tagged).status is Status.PASS
    assert only(k.profile_tags, bare).status is Status.FAIL
    assert only(k.profile_tags, unknown).status is Status.UNRESOLVED


def test_budgets_and_monitors_are_unresolved_when_absent_pass_when_present() -> None:
    budget = res("aws_budgets_budget", "aws_budgets_budget.b", {"name": "b"})
    monitor = res("AWS::CE::AnomalyMonitor", "M", {"MonitorName": "m"}, CFN)

    assert only(k.budgets, AI_POLICY).status is Status.UNRESOLVED
    assert only(k.budgets, AI_POLICY, budget).status is Status.PASS
    assert only(k.anomaly_monitors, AI_POLICY, monitor).status is Status.PASS
    assert only(k.cost_tag_activation, AI_POLICY).status is Status.UNRESOLVED
    assert run(k.budgets, budget) == []


def test_azure_account_and_deployment_tags() -> None:
    account = _account()
    deployment = res(
        "Microsoft.CognitiveServices/accounts/deployments",
        "aiFoundry::gpt",
        {"tags": {"CostCenter": "1"}, "properties": {}},
        BICEP,
    )

    statuses = [f.status for f in run(k.azure_tags, account, deployment)]

    assert statuses == [Status.FAIL, Status.PASS]


def test_bedrock_resources_without_tags_fail() -> None:
    guardrail = res("aws_bedrock_guardrail", "aws_bedrock_guardrail.g", {"name": "g"})
    tagged = res(
        "AWS::Bedrock::Guardrail", "G", {"Tags": [{"Key": "a", "Value": "b"}]}, CFN
    )

    assert only(k.bedrock_tags, guardrail).status is Status.FAIL
    assert only(k.bedrock_tags, tagged).status is Status.PASS


def test_api_stage_without_access_logs_fails() -> None:
    stage = res("AWS::ApiGateway::Stage", "Stage", {"StageName": "api"}, CFN, line=161)
    logged = res(
        "aws_api_gateway_stage",
        "aws_api_gateway_stage.s",
        {"access_log_settings": [{"destination_arn": "arn"}]},
    )

    assert only(o.api_access_logs, AI_POLICY, stage).status is Status.FAIL
    assert only(o.api_access_logs, AI_POLICY, stage).location == Location(
        "main.tf", 161
    )
    assert only(o.api_access_logs, AI_POLICY, logged).status is Status.PASS


def test_ai_container_without_log_configuration_fails() -> None:
    def task(container: dict[str, object]) -> object:
        return res(
            "AWS::ECS::TaskDefinition",
            "Task",
            {"ContainerDefinitions": [{"Image": "bedrock-proxy", **container}]},
            CFN,
        )

    bare = only(o.container_logs, task({}))
    logged = only(o.container_logs, task({"LogConfiguration": {"LogDriver": "x"}}))

    assert bare.status is Status.FAIL
    assert logged.status is Status.PASS


def test_deployment_capacity_set_missing_or_unresolved() -> None:
    def deployment(sku: object) -> object:
        return res(
            "Microsoft.CognitiveServices/accounts/deployments",
            "acct::gpt",
            {"sku": sku, "properties": {}},
            BICEP,
        )

    assert only(k.deployment_capacity, deployment({"capacity": 50})).status is (
        Status.PASS
    )
    assert only(k.deployment_capacity, deployment({"name": "Standard"})).status is (
        Status.UNRESOLVED
    )
    assert (
        only(
            k.deployment_capacity, deployment({"capacity": Unresolved("p", "r")})
        ).status
        is Status.UNRESOLVED
    )


def test_agent_service_network_injection() -> None:
    from lockgate.review.checks import azure_network

    def account(managed: bool) -> object:
        return res(
            "Microsoft.CognitiveServices/accounts",
            "aiFoundry",
            {
                "kind": "AIServices",
                "properties": {
                    "networkInjections": [
                        {
                            "scenario": "agent",
                            "subnetArmId": Ref("subnet", "id"),
                            "useMicrosoftManagedNetwork": managed,
                        }
                    ]
                },
            },
            BICEP,
        )

    assert only(azure_network.agent_network, account(False)).status is Status.PASS
    assert only(azure_network.agent_network, account(True)).status is Status.FAIL
    assert run(azure_network.agent_network, _account()) == []
