from __future__ import annotations

from check_helpers import CFN, only, res, run

from lockgate.review.checks import cost as k
from lockgate.review.checks import frontdoor as f
from lockgate.review.model import Location, Status, Unresolved

AI_POLICY = res(
    "aws_iam_policy",
    "aws_iam_policy.ai",
    {"policy": {"Statement": [{"Effect": "Allow", "Action": "bedrock:Converse"}]}},
)


def test_regional_rest_api_fails_private_passes_unresolved_is_unresolved() -> None:
    def api(types: object) -> object:
        return res(
            "aws_api_gateway_rest_api",
            "aws_api_gateway_rest_api.a",
            {"name": "a", "endpoint_configuration": [{"types": types}]},
        )

    regional = only(f.private_front_door, AI_POLICY, api(["REGIONAL"]))

    assert regional.status is Status.FAIL
    assert regional.location == Location("main.tf", 3)
    assert only(f.private_front_door, AI_POLICY, api(["PRIVATE"])).status is Status.PASS
    assert (
        only(f.private_front_door, AI_POLICY, api(Unresolved("var.t", "r"))).status
        is Status.UNRESOLVED
    )


def test_front_door_is_judged_only_for_ai_workloads() -> None:
    api = res("aws_api_gateway_rest_api", "aws_api_gateway_rest_api.a", {"name": "a"})

    assert run(f.private_front_door, api) == []


def test_internet_facing_load_balancer_fails_internal_passes() -> None:
    public = res(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "Alb",
        {"Scheme": "internet-facing"},
        CFN,
    )
    internal = res("aws_lb", "aws_lb.a", {"internal": True})

    assert only(f.private_front_door, AI_POLICY, public).status is Status.FAIL
    assert only(f.private_front_door, AI_POLICY, internal).status is Status.PASS


def test_http_listener_fails_https_passes() -> None:
    http = res(
        "AWS::ElasticLoadBalancingV2::Listener",
        "L",
        {"Port": 80, "Protocol": "HTTP"},
        CFN,
    )
    https = res("aws_lb_listener", "aws_lb_listener.l", {"protocol": "HTTPS"})

    assert only(f.listener_tls, AI_POLICY, http).status is Status.FAIL
    assert only(f.listener_tls, AI_POLICY, https).status is Status.PASS


def test_public_vector_store_network_policy_fails() -> None:
    public = res(
        "aws_opensearchserverless_security_policy",
        "aws_opensearchserverless_security_policy.n",
        {"type": "network", "policy": '[{"Rules":[],"AllowFromPublic":true}]'},
    )
    private = res(
        "aws_opensearchserverless_security_policy",
        "aws_opensearchserverless_security_policy.p",
        {"type": "network", "policy": '[{"Rules":[],"AllowFromPublic":false}]'},
    )
    encryption = res(
        "aws_opensearchserverless_security_policy",
        "aws_opensearchserverless_security_policy.e",
        {"type": "encryption", "policy": '{"AWSOwnedKey":true}'},
    )

    assert only(f.public_vector_store, public).status is Status.FAIL
    assert only(f.public_vector_store, public).location == Location("main.tf", 3)
    assert only(f.public_vector_store, private).status is Status.PASS
    assert run(f.public_vector_store, encryption) == []


def test_methods_without_authorization_fail() -> None:
    open_method = res(
        "aws_api_gateway_method", "aws_api_gateway_method.m", {"authorization": "NONE"}
    )
    iam_method = res(
        "AWS::ApiGateway::Method", "M", {"AuthorizationType": "AWS_IAM"}, CFN
    )

    assert only(f.caller_authorization, AI_POLICY, open_method).status is Status.FAIL
    assert only(f.caller_authorization, AI_POLICY, iam_method).status is Status.PASS


def test_openapi_body_without_security_schemes_fails() -> None:
    def api(body: dict[str, object]) -> object:
        return res("AWS::ApiGateway::RestApi", "Api", {"Body": body}, CFN)

    bare = api({"openapi": "3.0.1", "paths": {"/": {}}})
    secured = api(
        {
            "openapi": "3.0.1",
            "paths": {"/": {}},
            "components": {"securitySchemes": {"sigv4": {"type": "apiKey"}}},
        }
    )

    assert only(f.caller_authorization, AI_POLICY, bare).status is Status.FAIL
    assert only(f.caller_authorization, AI_POLICY, secured).status is Status.PASS


def test_listener_needs_an_authenticate_action() -> None:
    forward = res(
        "AWS::ElasticLoadBalancingV2::Listener",
        "L",
        {"DefaultActions": [{"Type": "forward"}]},
        CFN,
    )
    oidc = res(
        "aws_lb_listener",
        "aws_lb_listener.l",
        {"default_action": [{"type": "authenticate-oidc"}, {"type": "forward"}]},
    )

    assert only(f.caller_authorization, AI_POLICY, forward).status is Status.FAIL
    assert only(f.caller_authorization, AI_POLICY, forward).location == Location(
        "main.tf", 2
    )
    assert only(f.caller_authorization, AI_POLICY, oidc).status is Status.PASS


def test_cross_region_inference_setting_on_ai_compute() -> None:
    def function(value: object) -> object:
        return res(
            "aws_lambda_function",
            "aws_lambda_function.f",
            {
                "handler": "bedrock.handler",
                "environment": [
                    {"variables": {"ENABLE_CROSS_REGION_INFERENCE": value}}
                ],
            },
        )

    assert only(f.cross_region_inference, function("true")).status is Status.FAIL
    assert only(f.cross_region_inference, function("false")).status is Status.PASS
    assert (
        only(f.cross_region_inference, function(Unresolved("var.x", "r"))).status
        is Status.UNRESOLVED
    )


def test_cloudformation_name_value_environment_entries_are_read() -> None:
    task = res(
        "AWS::ECS::TaskDefinition",
        "Task",
        {
            "ContainerDefinitions": [
                {
                    "Image": "bedrock-proxy",
                    "Environment": [
                        {"Name": "ENABLE_CROSS_REGION_INFERENCE", "Value": "true"}
                    ],
                }
            ]
        },
        CFN,
    )

    assert only(f.cross_region_inference, task).status is Status.FAIL


def test_proxy_default_model_is_unresolved_attribution_at_the_profile_toggle() -> None:
    proxy = res(
        "AWS::Lambda::Function",
        "Proxy",
        {
            "Environment": {
                "Variables": {
                    "DEFAULT_MODEL": "anthropic.claude-3-sonnet-20240229-v1:0",
                    "ENABLE_APPLICATION_INFERENCE_PROFILES": "true",
                }
            }
        },
        CFN,
    )
    fixed = res(
        "aws_lambda_function",
        "aws_lambda_function.f",
        {"environment": [{"variables": {"MODEL_ID": "amazon.nova-micro-v1:0"}}]},
    )

    unresolved = only(k.inference_profiles, proxy)

    assert unresolved.status is Status.UNRESOLVED
    assert unresolved.location == Location("main.tf", 2)
    assert only(k.inference_profiles, fixed).status is Status.FAIL


def _api() -> object:
    return res("aws_api_gateway_rest_api", "aws_api_gateway_rest_api.a", {"name": "a"})


def _function(**attributes: object) -> object:
    return res(
        "aws_lambda_function",
        "aws_lambda_function.f",
        {"handler": "bedrock.handler", **attributes},
        line=89,
    )


def test_ai_api_without_any_limit_fails_at_the_function() -> None:
    found = only(k.rate_limits, _api(), _function())

    assert found.status is Status.FAIL
    assert found.location == Location("main.tf", 89)


def test_reserved_concurrency_or_usage_plan_passes() -> None:
    plan = res("aws_api_gateway_usage_plan", "aws_api_gateway_usage_plan.p", {})

    limited = run(k.rate_limits, _api(), _function(reserved_concurrent_executions=5))

    assert [x.status for x in limited] == [Status.PASS]
    assert [x.status for x in run(k.rate_limits, _api(), _function(), plan)] == [
        Status.PASS
    ]
    assert run(k.rate_limits, _function()) == []


def test_ai_compute_without_cost_tags_fails_name_only_is_not_enough() -> None:
    untagged = only(k.compute_tags, _function())
    name_only = only(k.compute_tags, _function(tags={"Name": "proxy"}))
    tagged = only(k.compute_tags, _function(tags={"CostCenter": "42"}))

    assert (untagged.status, name_only.status, tagged.status) == (
        Status.FAIL,
        Status.FAIL,
        Status.PASS,
    )
