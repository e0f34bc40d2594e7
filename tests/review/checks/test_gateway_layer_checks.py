from __future__ import annotations

from check_helpers import ARM, CFN, only, res, run

from lockgate.review.checks import apim, app_secrets, guardrails
from lockgate.review.model import Location, Ref, Status, Unresolved


def test_agent_guardrail_attached_missing_or_incomplete() -> None:
    attached = res(
        "aws_bedrockagent_agent",
        "aws_bedrockagent_agent.a",
        {
            "foundation_model": "anthropic.claude-v2",
            "guardrail_configuration": [{"guardrail_identifier": Ref("g", "id")}],
        },
    )
    missing = res(
        "AWS::Bedrock::Agent", "Agent", {"FoundationModel": "anthropic.claude-v2"}, CFN
    )
    incomplete = res("aws_bedrockagent_agent", "aws_bedrockagent_agent.i", {})
    unknown = res(
        "aws_bedrockagent_agent",
        "aws_bedrockagent_agent.u",
        {
            "foundation_model": "m",
            "guardrail_configuration": Unresolved("var.g", "no default"),
        },
    )

    assert only(guardrails.agent_guardrail, attached).status is Status.PASS
    assert only(guardrails.agent_guardrail, missing).status is Status.FAIL
    assert only(guardrails.agent_guardrail, incomplete).status is Status.UNRESOLVED
    assert only(guardrails.agent_guardrail, unknown).status is Status.UNRESOLVED


def _policy(xml: str) -> object:
    return res(
        "Microsoft.ApiManagement/service/apis/policies",
        "apim::openai::policy",
        {"properties": {"format": "rawxml", "value": xml}},
        ARM,
        line=40,
    )


GOOD = (
    "<policies><inbound><base />"
    '<authentication-managed-identity resource="https://cognitiveservices.azure.com" />'
    '<llm-token-limit counter-key="@(context.Subscription.Id)" '
    'tokens-per-minute="500" />'
    '<llm-emit-token-metric namespace="openai" />'
    "</inbound></policies>"
)
BARE = (
    '<policies><inbound><set-header name="api-key"><value>{{k}}</value>'
    "</set-header></inbound></policies>"
)


def test_apim_policy_with_token_limit_metrics_and_identity_passes() -> None:
    for check in (apim.token_limit, apim.token_metrics, apim.backend_identity):
        assert only(check, _policy(GOOD)).status is Status.PASS


def test_apim_policy_with_an_api_key_header_fails_every_check() -> None:
    for check in (apim.token_limit, apim.token_metrics, apim.backend_identity):
        found = only(check, _policy(BARE))
        assert found.status is Status.FAIL
        assert found.location == Location("main.tf", 43)


def test_older_azure_openai_policy_names_count() -> None:
    older = _policy(
        "<policies><inbound><azure-openai-token-limit tokens-per-minute='5' />"
        "<azure-openai-emit-token-metric /></inbound></policies>"
    )

    assert only(apim.token_limit, older).status is Status.PASS
    assert only(apim.token_metrics, older).status is Status.PASS


def test_literal_api_key_in_environment_fails_without_showing_it() -> None:
    secret = "sk-planted-0123456789abcdef"
    function = res(
        "aws_lambda_function",
        "aws_lambda_function.proxy",
        {
            "environment": [
                {
                    "variables": {
                        "OPENAI_API_KEY": secret,
                        "API_KEY_SECRET_ARN": "arn:aws:secretsmanager:x",
                        "MODEL": "gpt-4o-mini-long-name",
                    }
                }
            ]
        },
    )

    found = only(app_secrets.keys_in_settings, function)

    assert found.status is Status.FAIL
    assert "OPENAI_API_KEY" in found.message
    assert secret not in found.message
    assert all(secret not in line for line in found.evidence)


def test_name_value_settings_with_references_pass_silently() -> None:
    site = res(
        "Microsoft.Web/sites",
        "web",
        {
            "properties": {
                "siteConfig": {
                    "appSettings": [
                        {
                            "name": "AZURE_OPENAI_API_KEY",
                            "value": "@Microsoft.KeyVault(SecretUri=https://v/s)",
                        },
                        {"name": "APP_TOKEN", "value": Ref("kv", "secret")},
                    ]
                }
            }
        },
        ARM,
    )

    assert run(app_secrets.keys_in_settings, site) == []


def test_guardrail_prompt_attack_filter_found_or_missing() -> None:
    def guardrail(*kinds: str) -> object:
        return res(
            "aws_bedrock_guardrail",
            "aws_bedrock_guardrail.g",
            {
                "content_policy_config": [
                    {"filters_config": [{"type": k} for k in kinds]}
                ]
            },
        )

    assert (
        only(guardrails.prompt_attack_filter, guardrail("HATE", "PROMPT_ATTACK")).status
        is Status.PASS
    )
    assert (
        only(guardrails.prompt_attack_filter, guardrail("HATE")).status is Status.FAIL
    )


def test_shared_api_key_setting_on_ai_compute_fails() -> None:
    proxy = res(
        "AWS::ECS::TaskDefinition",
        "Task",
        {
            "ContainerDefinitions": [
                {
                    "Image": "bedrock-proxy",
                    "Secrets": [{"Name": "API_KEY", "ValueFrom": Ref("Secret")}],
                }
            ]
        },
        CFN,
    )
    other = res(
        "aws_lambda_function",
        "aws_lambda_function.f",
        {"handler": "bedrock.run", "environment": [{"variables": {"LOG": "1"}}]},
    )

    assert only(app_secrets.shared_client_key, proxy).status is Status.FAIL
    assert run(app_secrets.shared_client_key, other) == []
