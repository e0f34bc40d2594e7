from __future__ import annotations

from check_helpers import CFN, only, res, run, vpc_endpoint

from lockgate.review.checks import connectivity as c
from lockgate.review.model import Location, Multiplicity, Ref, Status, Unresolved

RUNTIME = "com.amazonaws.us-east-1.bedrock-runtime"


def _endpoint(suffix: str, **attributes: object) -> object:
    address = f"aws_vpc_endpoint.{suffix.replace('-', '_')}"
    return vpc_endpoint(suffix, address, 10, **attributes)


def test_runtime_endpoint_passes_and_points_at_its_service_name() -> None:
    found = only(c.runtime_endpoint, _endpoint("bedrock-runtime"))

    assert found.status is Status.PASS
    assert found.location == Location("main.tf", 11)
    assert found.resource == "aws_vpc_endpoint.bedrock_runtime"
    assert found.evidence == [
        f"aws_vpc_endpoint.bedrock_runtime.service_name = '{RUNTIME}' (main.tf:11)"
    ]


def test_cloudformation_sub_service_name_is_read_from_its_expression() -> None:
    endpoint = res(
        "AWS::EC2::VPCEndpoint",
        "BedrockEndpoint",
        {
            "ServiceName": Unresolved(
                '{"Fn::Sub":"com.amazonaws.${AWS::Region}.bedrock-runtime"}', "pseudo"
            )
        },
        CFN,
        file="t.yaml",
    )

    found = only(c.runtime_endpoint, endpoint)

    assert found.status is Status.PASS
    assert found.fix is not None and "AWS::EC2::VPCEndpoint" in found.fix


def test_missing_runtime_endpoint_points_at_the_vpc() -> None:
    vpc = res("aws_vpc", "aws_vpc.main", {"cidr_block": "10.0.0.0/16"}, line=3)
    lambda_ = res(
        "aws_lambda_function", "aws_lambda_function.f", {"handler": "bedrock.run"}
    )

    found = only(c.runtime_endpoint, vpc, lambda_)

    assert found.status is Status.FAIL
    assert found.location == Location("main.tf", 3)
    assert found.resource == "aws_vpc.main"


def test_missing_runtime_endpoint_without_vpc_points_at_the_ai_compute() -> None:
    lambda_ = res(
        "aws_lambda_function", "aws_lambda_function.f", {"handler": "bedrock.run"}
    )

    found = only(c.runtime_endpoint, lambda_)

    assert found.status is Status.FAIL
    assert found.resource == "aws_lambda_function.f"


def test_no_vpc_endpoint_or_consumer_is_not_evidenced_and_has_no_location() -> None:
    role_policy = res(
        "aws_iam_policy",
        "aws_iam_policy.p",
        {"policy": {"Statement": [{"Effect": "Allow", "Action": "bedrock:Converse"}]}},
    )

    found = only(c.runtime_endpoint, role_policy)

    assert found.status is Status.UNRESOLVED
    assert found.location is None
    assert "no resource to point at" in found.message


def test_other_endpoints_without_bedrock_fail_at_their_service_name() -> None:
    found = only(c.runtime_endpoint, _endpoint("ssm"))

    assert found.status is Status.FAIL
    assert found.location == Location("main.tf", 11)
    assert "ssm" in found.message


def test_endpoint_with_unknown_service_makes_runtime_unresolved() -> None:
    endpoint = res(
        "aws_vpc_endpoint",
        "aws_vpc_endpoint.x",
        {"service_name": Unresolved("each.value.name", "for_each")},
    )

    assert only(c.runtime_endpoint, endpoint).status is Status.UNRESOLVED


def test_no_ai_and_no_endpoints_means_no_runtime_finding() -> None:
    assert run(c.runtime_endpoint, res("aws_s3_bucket", "aws_s3_bucket.b", {})) == []


def test_endpoint_set_lists_missing_suffixes() -> None:
    found = only(c.endpoint_set, _endpoint("bedrock-runtime"), _endpoint("bedrock"))

    assert found.status is Status.FAIL
    assert "bedrock-agent-runtime, bedrock-agent, bedrock-mantle" in found.message


def test_endpoint_set_passes_with_all_five() -> None:
    endpoints = [
        _endpoint(s)
        for s in (
            "bedrock",
            "bedrock-runtime",
            "bedrock-agent",
            "bedrock-agent-runtime",
            "bedrock-mantle",
        )
    ]

    assert only(c.endpoint_set, *endpoints).status is Status.PASS


def test_private_dns_on_passes_off_fails_unresolved_is_unresolved() -> None:
    on = only(c.private_dns, _endpoint("bedrock-runtime", private_dns_enabled=True))
    off = only(c.private_dns, _endpoint("bedrock-runtime", private_dns_enabled=False))
    unknown = only(
        c.private_dns,
        _endpoint("bedrock-runtime", private_dns_enabled=Unresolved("var.x", "no")),
    )

    assert (on.status, off.status, unknown.status) == (
        Status.PASS,
        Status.FAIL,
        Status.UNRESOLVED,
    )
    assert off.location == Location("main.tf", 12)


def test_private_dns_off_passes_with_a_hub_zone_named_after_the_service() -> None:
    zone = res(
        "aws_route53_zone",
        "aws_route53_zone.rt",
        {"name": "bedrock-runtime.us-east-1.amazonaws.com", "vpc": [{"vpc_id": "x"}]},
    )

    found = only(
        c.private_dns, _endpoint("bedrock-runtime", private_dns_enabled=False), zone
    )

    assert found.status is Status.PASS


def test_hub_zone_needs_association_and_alias() -> None:
    endpoint = _endpoint("bedrock-runtime", private_dns_enabled=False)
    zone = res(
        "aws_route53_zone",
        "aws_route53_zone.rt",
        {"name": "bedrock-runtime.us-east-1.amazonaws.com", "vpc": [{"vpc_id": "x"}]},
    )
    record = res(
        "aws_route53_record",
        "aws_route53_record.rt",
        {
            "zone_id": Ref("aws_route53_zone.rt", "zone_id"),
            "alias": [{"name": Ref("aws_vpc_endpoint.bedrock_runtime", "dns_entry")}],
        },
    )

    assert only(c.hub_zone, endpoint, zone).status is Status.FAIL
    assert only(c.hub_zone, endpoint, zone, record).status is Status.PASS


def test_vpc_dns_needs_hostnames_and_support() -> None:
    ai = _endpoint("bedrock-runtime")
    good = res(
        "AWS::EC2::VPC",
        "Vpc",
        {"EnableDnsSupport": True, "EnableDnsHostnames": True},
        CFN,
        line=22,
    )
    bad = res("aws_vpc", "aws_vpc.main", {"enable_dns_support": True})
    unknown = res(
        "aws_vpc", "aws_vpc.u", {"enable_dns_hostnames": Unresolved("v", "r")}
    )

    assert only(c.vpc_dns, ai, good).status is Status.PASS
    assert only(c.vpc_dns, ai, good).location == Location("main.tf", 22)
    assert only(c.vpc_dns, ai, bad).status is Status.FAIL
    assert only(c.vpc_dns, ai, unknown).status is Status.UNRESOLVED


def test_endpoint_subnet_spread() -> None:
    two = only(c.endpoint_zones, _endpoint("bedrock-runtime", subnet_ids=["a", "b"]))
    one = only(c.endpoint_zones, _endpoint("bedrock-runtime", subnet_ids=["a"]))
    looped_subnet = res(
        "aws_subnet",
        "aws_subnet.private",
        {},
        multiplicity=Multiplicity.ONE_OR_MORE,
    )
    splat = only(
        c.endpoint_zones,
        _endpoint("bedrock-runtime", subnet_ids=[Ref("aws_subnet.private", "id")]),
        looped_subnet,
    )

    assert (two.status, one.status, splat.status) == (
        Status.PASS,
        Status.FAIL,
        Status.UNRESOLVED,
    )


def test_lambda_outside_vpc_fails_inside_passes() -> None:
    outside = res(
        "aws_lambda_function",
        "aws_lambda_function.f",
        {"environment": [{"variables": {"M": "amazon.nova-micro-v1:0"}}]},
    )
    inside = res(
        "aws_lambda_function",
        "aws_lambda_function.g",
        {"handler": "bedrock", "vpc_config": [{"subnet_ids": ["a"]}]},
    )
    unknown = res(
        "AWS::Lambda::Function",
        "Fn",
        {"Handler": "bedrock", "VpcConfig": Unresolved("Fn::If", "condition")},
        CFN,
    )

    assert only(c.compute_in_vpc, outside).status is Status.FAIL
    assert only(c.compute_in_vpc, inside).status is Status.PASS
    assert only(c.compute_in_vpc, unknown).status is Status.UNRESOLVED


def test_agentcore_runtime_in_public_mode_fails() -> None:
    runtime = res(
        "aws_bedrockagentcore_agent_runtime",
        "aws_bedrockagentcore_agent_runtime.r",
        {"network_configuration": [{"network_mode": "PUBLIC"}]},
    )

    assert only(c.compute_in_vpc, runtime).status is Status.FAIL


def test_runtime_endpoint_is_judged_per_vpc() -> None:
    main = res("aws_vpc", "aws_vpc.main", {"cidr_block": "10.0.0.0/16"}, line=3)
    other = res("aws_vpc", "aws_vpc.other", {"cidr_block": "10.1.0.0/16"}, line=30)
    endpoint = _endpoint("bedrock-runtime", vpc_id=Ref("aws_vpc.main", "id"))
    subnet = res("aws_subnet", "aws_subnet.o", {"vpc_id": Ref("aws_vpc.other", "id")})
    function = res(
        "aws_lambda_function",
        "aws_lambda_function.f",
        {
            "handler": "bedrock.handler",
            "vpc_config": [{"subnet_ids": [Ref("aws_subnet.o", "id")]}],
        },
    )

    findings = run(c.runtime_endpoint, main, other, endpoint, subnet, function)

    assert [(f.status, f.resource) for f in findings] == [
        (Status.PASS, "aws_vpc_endpoint.bedrock_runtime"),
        (Status.FAIL, "aws_vpc.other"),
    ]
    assert findings[1].location == Location("main.tf", 30)


def test_endpoint_in_an_undeclared_vpc_cannot_be_placed() -> None:
    main = res("aws_vpc", "aws_vpc.main", {"cidr_block": "10.0.0.0/16"})
    endpoint = _endpoint("bedrock-runtime", vpc_id=Unresolved("module.net.vpc_id", "m"))

    assert only(c.runtime_endpoint, main, endpoint).status is Status.UNRESOLVED


def test_only_vpcs_holding_ai_compute_are_judged_when_placement_is_known() -> None:
    main = res("aws_vpc", "aws_vpc.main", {})
    other = res("aws_vpc", "aws_vpc.other", {})
    subnet = res("aws_subnet", "aws_subnet.ai", {"vpc_id": Ref("aws_vpc.main", "id")})
    function = res(
        "aws_lambda_function",
        "aws_lambda_function.f",
        {
            "handler": "bedrock.handler",
            "vpc_config": [{"subnet_ids": [Ref("aws_subnet.ai", "id")]}],
        },
    )
    ssm = _endpoint("ssm", vpc_id=Ref("aws_vpc.main", "id"))

    found = only(c.runtime_endpoint, main, other, subnet, function, ssm)

    assert (found.status, found.resource) == (Status.FAIL, "aws_vpc.main")
