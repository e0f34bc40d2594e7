"""Network, logging and tagging checks for any AWS deployment.

The endpoint pattern is written as Terraform and read by the real loader, so the
references between endpoint, hosted zone and record are the loader's own; the
other checks run on tiny inline resources.
"""

from __future__ import annotations

from pathlib import Path

from check_helpers import CFN, only, res, run

from lockgate.review.checks import (
    aws_buckets,
    aws_function_logs,
    aws_images,
    aws_kb_logs,
    aws_monitoring,
    aws_network_hygiene,
    aws_network_patterns,
    aws_no_ai,
    aws_registry_modules,
    aws_resolver,
    aws_tagging,
)
from lockgate.review.checks.support import CheckContext
from lockgate.review.loaders import load_paths
from lockgate.review.model import Finding, Resource, Status, Unresolved

HUB_TF = """resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = "vpc-1"
  service_name        = "com.amazonaws.eu-west-2.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}

resource "aws_route53_zone" "ssm" {
  name = "ssm.eu-west-2.amazonaws.com"
  vpc {
    vpc_id = "vpc-spoke"
  }
}

resource "aws_route53_record" "ssm" {
  zone_id = aws_route53_zone.ssm.zone_id
  name    = ""
  type    = "A"
  alias {
    name                   = aws_vpc_endpoint.ssm.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.ssm.dns_entry[0].hosted_zone_id
    evaluate_target_health = true
  }
}
"""


def _hub(tmp_path: Path, text: str) -> CheckContext:
    (tmp_path / "main.tf").write_text(text)
    return CheckContext(load_paths([tmp_path]))


def _seen(findings: list[Finding]) -> list[tuple[str, str | None, int | None]]:
    return [
        (f.status.value, f.resource, f.location.line if f.location else None)
        for f in findings
    ]


def test_hub_endpoint_with_zone_association_and_alias_passes(tmp_path: Path) -> None:
    context = _hub(tmp_path, HUB_TF)

    assert _seen(aws_network_patterns.endpoint_zones(context)) == [
        ("pass", "aws_vpc_endpoint.ssm", 5)
    ]
    assert _seen(aws_network_patterns.zone_associations(context)) == [
        ("pass", "aws_route53_zone.ssm", 10)
    ]
    assert _seen(aws_network_patterns.alias_records(context)) == [
        ("pass", "aws_route53_record.ssm", 15)
    ]


def test_hub_endpoint_without_a_service_named_zone_fails(tmp_path: Path) -> None:
    context = _hub(tmp_path, HUB_TF.replace('"ssm.eu-west-2', '"ssm.internal'))

    assert _seen(aws_network_patterns.endpoint_zones(context)) == [
        ("fail", "aws_vpc_endpoint.ssm", 5)
    ]
    assert aws_network_patterns.zone_associations(context) == []


def test_hub_zone_without_vpcs_or_alias_fails(tmp_path: Path) -> None:
    bare = HUB_TF.split('resource "aws_route53_zone"')[0]
    bare += 'resource "aws_route53_zone" "ssm" {\n'
    bare += '  name = "ssm.eu-west-2.amazonaws.com"\n}\n'
    context = _hub(tmp_path, bare)

    assert _seen(aws_network_patterns.zone_associations(context)) == [
        ("fail", "aws_route53_zone.ssm", 8)
    ]
    assert _seen(aws_network_patterns.alias_records(context)) == [
        ("fail", "aws_route53_zone.ssm", 8)
    ]


def test_endpoint_with_private_dns_on_is_not_a_hub_endpoint(tmp_path: Path) -> None:
    context = _hub(tmp_path, HUB_TF.replace("= false", "= true"))

    assert aws_network_patterns.endpoint_zones(context) == []


def _group(ingress: list[dict[str, object]]) -> Resource:
    return res("aws_security_group", "aws_security_group.g", {"ingress": ingress})


def test_ingress_from_anywhere_fails() -> None:
    rule = {"from_port": 443, "to_port": 443, "protocol": "tcp"}
    group = _group([{**rule, "cidr_blocks": ["0.0.0.0/0"]}])

    found = only(aws_network_hygiene.open_ingress, group)

    assert found.status is Status.FAIL
    assert "ports 443-443" in found.message


def test_cloudformation_ingress_from_anywhere_fails() -> None:
    rule = {"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80}
    group = res("AWS::EC2::SecurityGroup", "Sg", {"SecurityGroupIngress": [rule]}, CFN)

    assert only(aws_network_hygiene.open_ingress, group).status is Status.FAIL


def test_ingress_from_named_networks_passes() -> None:
    group = _group([{"from_port": 443, "cidr_blocks": ["10.0.0.0/8"]}])

    found = only(aws_network_hygiene.open_ingress, group)

    assert found.status is Status.PASS


def test_ingress_from_an_unknown_source_is_unresolved() -> None:
    group = _group([{"from_port": 443, "cidr_blocks": Unresolved("var.x", "input")}])

    found = only(aws_network_hygiene.open_ingress, group)

    assert found.status is Status.UNRESOLVED


def test_hardened_instance_passes_all_three_aspects() -> None:
    instance = res(
        "aws_instance",
        "aws_instance.app",
        {
            "associate_public_ip_address": False,
            "metadata_options": [{"http_tokens": "required"}],
            "root_block_device": [{"encrypted": True}],
        },
    )

    findings = run(aws_network_hygiene.instance_hardening, instance)

    assert [(f.status, f.location and f.location.line) for f in findings] == [
        (Status.PASS, 2),
        (Status.PASS, 3),
        (Status.PASS, 4),
    ]


def test_instance_with_imdsv1_and_plain_root_volume_fails() -> None:
    instance = res(
        "aws_instance",
        "aws_instance.app",
        {
            "associate_public_ip_address": True,
            "metadata_options": [{"http_tokens": "optional"}],
            "root_block_device": [{"encrypted": False}],
        },
    )

    findings = run(aws_network_hygiene.instance_hardening, instance)

    assert [f.status for f in findings] == [Status.FAIL] * 3


def test_instance_with_settings_left_out_is_unresolved_or_failed() -> None:
    instance = res("aws_instance", "aws_instance.app", {"ami": "ami-1"})

    findings = run(aws_network_hygiene.instance_hardening, instance)

    assert [f.status for f in findings] == [
        Status.UNRESOLVED,
        Status.UNRESOLVED,
        Status.FAIL,
    ]


def test_load_balancer_without_access_logs_fails() -> None:
    attributes = [{"Key": "idle_timeout.timeout_seconds", "Value": "600"}]
    balancer = res(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "Alb",
        {"LoadBalancerAttributes": attributes},
        CFN,
    )

    assert only(aws_network_hygiene.load_balancer_logs, balancer).status is (
        Status.FAIL
    )


def test_load_balancer_with_access_logs_passes() -> None:
    balancer = res(
        "aws_lb", "aws_lb.api", {"access_logs": [{"bucket": "b", "enabled": True}]}
    )

    found = only(aws_network_hygiene.load_balancer_logs, balancer)

    assert found.status is Status.PASS


def test_vpc_with_a_flow_log_passes_and_without_fails(tmp_path: Path) -> None:
    context = _hub(
        tmp_path,
        'resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n'
        'resource "aws_vpc" "b" {\n  cidr_block = "10.1.0.0/16"\n}\n'
        'resource "aws_flow_log" "a" {\n  vpc_id = aws_vpc.a.id\n}\n',
    )

    assert _seen(aws_network_hygiene.vpc_flow_logs(context)) == [
        ("pass", "aws_vpc.a", 1),
        ("fail", "aws_vpc.b", 4),
    ]


def _module(source: str, **inputs: object) -> Resource:
    return res("module", "module.net", {"source": source, **inputs})


def test_registry_vpc_module_flow_log_input_is_read() -> None:
    with_logs = _module("aws-ia/vpc/aws", vpc_flow_logs={"log_destination_type": "x"})
    without = _module("aws-ia/vpc/aws", name="spoke")

    assert only(aws_network_hygiene.vpc_flow_logs, with_logs).status is Status.PASS
    assert only(aws_network_hygiene.vpc_flow_logs, without).status is Status.FAIL


def test_hub_module_central_vpc_without_flow_logs_fails() -> None:
    hub = _module(
        "aws-ia/network-hubandspoke/aws",
        central_vpcs={"inspection": {"vpc_flow_logs": {"x": 1}}, "shared": {}},
    )

    findings = run(aws_network_hygiene.vpc_flow_logs, hub)

    assert [f.status for f in findings] == [Status.PASS, Status.FAIL]
    assert "shared" in findings[1].message


def test_spoke_default_route_to_the_transit_gateway_passes() -> None:
    spoke = _module(
        "aws-ia/vpc/aws",
        transit_gateway_id="tgw-1",
        transit_gateway_routes={"workload": "0.0.0.0/0"},
    )

    found = only(aws_registry_modules.transit_routing, spoke)

    assert found.status is Status.PASS


def test_transit_gateway_built_inside_a_registry_module_is_unresolved() -> None:
    hub = _module("aws-ia/network-hubandspoke/aws", transit_gateway_attributes={})

    found = only(aws_registry_modules.transit_routing, hub)

    assert found.status is Status.UNRESOLVED


def test_local_module_is_not_a_registry_module() -> None:
    local = _module("../network", transit_gateway_attributes={}, subnets={})

    assert run(aws_registry_modules.transit_routing, local) == []
    assert run(aws_registry_modules.module_egress, local) == []


def test_subnets_built_by_a_registry_module_have_unresolved_egress() -> None:
    spoke = _module("aws-ia/vpc/aws", subnets={"workload": {}})

    found = only(aws_registry_modules.module_egress, spoke)

    assert found.status is Status.UNRESOLVED
    assert found.location is not None and found.location.line == 3


def test_bucket_public_access_block(tmp_path: Path) -> None:
    context = _hub(
        tmp_path,
        'resource "aws_s3_bucket" "open" {\n  bucket = "a"\n}\n'
        'resource "aws_s3_bucket" "closed" {\n  bucket = "b"\n}\n'
        'resource "aws_s3_bucket" "half" {\n  bucket = "c"\n}\n'
        'resource "aws_s3_bucket_public_access_block" "closed" {\n'
        "  bucket = aws_s3_bucket.closed.id\n  block_public_acls = true\n"
        "  block_public_policy = true\n  ignore_public_acls = true\n"
        "  restrict_public_buckets = true\n}\n"
        'resource "aws_s3_bucket_public_access_block" "half" {\n'
        "  bucket = aws_s3_bucket.half.id\n  block_public_acls = false\n}\n",
    )

    assert [f.status for f in aws_buckets.public_access_blocked(context)] == [
        Status.UNRESOLVED,
        Status.PASS,
        Status.FAIL,
    ]


def test_lambda_image_tags() -> None:
    latest = Unresolved('"${var.account}.dkr.ecr.x/proxy:latest"', "input")
    cases = {
        latest: Status.FAIL,
        "123.dkr.ecr.eu-west-1.amazonaws.com/proxy": Status.FAIL,
        "123.dkr.ecr.eu-west-1.amazonaws.com/proxy:1.4.2": Status.PASS,
        "123.dkr.ecr.x/proxy@sha256:abc": Status.PASS,
        Unresolved("var.image", "input"): Status.UNRESOLVED,
    }
    for image, status in cases.items():
        function = res("aws_lambda_function", "f", {"image_uri": image})

        assert only(aws_images.pinned_images, function).status is status, image


def test_metric_filters_without_alarms_fail_without_a_location() -> None:
    metric = {"metric_transformation": [{"name": "Intervened", "namespace": "G"}]}
    metric_filter = res("aws_cloudwatch_log_metric_filter", "mf.i", metric)
    dashboard = res("aws_cloudwatch_dashboard", "db.d", {"dashboard_name": "d"})

    shown = run(aws_monitoring.metrics_from_logs, metric_filter, dashboard)
    alarmed = only(aws_monitoring.alarms_on_metrics, metric_filter, dashboard)

    assert [f.status for f in shown] == [Status.PASS, Status.PASS]
    assert alarmed.status is Status.FAIL
    assert alarmed.location is None
    assert alarmed.fix == alarmed.check.fix["terraform"]


def test_metric_filter_with_an_alarm_on_its_metric_passes() -> None:
    metric = {"metric_transformation": [{"name": "Intervened", "namespace": "G"}]}
    metric_filter = res("aws_cloudwatch_log_metric_filter", "mf.i", metric)
    alarm = res("aws_cloudwatch_metric_alarm", "al.i", {"metric_name": "Intervened"})

    found = only(aws_monitoring.alarms_on_metrics, metric_filter, alarm)

    assert found.status is Status.PASS


def test_provider_default_tags() -> None:
    tagged = res(
        "provider.aws", "provider.aws", {"default_tags": [{"tags": {"A": "1"}}]}
    )
    bare = res("provider.aws", "provider.aws", {"region": "eu-west-2"})

    assert only(aws_tagging.provider_default_tags, tagged).status is Status.PASS
    assert only(aws_tagging.provider_default_tags, bare).status is Status.FAIL


def test_tags_without_a_cost_key_fail_and_with_one_pass() -> None:
    named = res("aws_security_group", "sg.a", {"tags": {"Name": "a"}})
    cdk = [{"Key": "aws-cdk:subnet-type", "Value": "Public"}, {"Key": "Name"}]
    subnet = res("AWS::EC2::Subnet", "Subnet", {"Tags": cdk}, CFN)
    costed = res("aws_vpc", "aws_vpc.v", {"tags": {"CostCenter": "1234"}})

    findings = run(aws_tagging.cost_keys, named, subnet, costed)

    assert [f.status for f in findings] == [Status.FAIL, Status.FAIL, Status.PASS]


def test_provider_default_tags_cover_terraform_resource_tags() -> None:
    provider = res(
        "provider.aws", "provider.aws", {"default_tags": [{"tags": {"A": 1}}]}
    )
    named = res("aws_security_group", "sg.a", {"tags": {"Name": "a"}})

    assert run(aws_tagging.cost_keys, provider, named) == []


def test_forwarding_rule_without_an_association_is_unresolved(tmp_path: Path) -> None:
    rule = (
        'resource "aws_route53_resolver_rule" "onprem" {\n  domain_name = "corp"\n}\n'
    )
    association = (
        'resource "aws_route53_resolver_rule_association" "spoke" {\n'
        "  resolver_rule_id = aws_route53_resolver_rule.onprem.id\n"
        '  vpc_id           = "vpc-1"\n}\n'
    )

    alone = aws_resolver.rule_associations(_hub(tmp_path, rule))
    (tmp_path / "main.tf").unlink()
    joined = aws_resolver.rule_associations(_hub(tmp_path, rule + association))

    assert [f.status for f in alone] == [Status.UNRESOLVED]
    assert [f.status for f in joined] == [Status.PASS]


def test_function_log_group_with_retention_passes(tmp_path: Path) -> None:
    context = _hub(
        tmp_path,
        'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n}\n'
        'resource "aws_cloudwatch_log_group" "fn" {\n'
        '  name              = "/aws/lambda/fn"\n  retention_in_days = 30\n}\n',
    )

    assert _seen(aws_function_logs.function_log_retention(context)) == [
        ("pass", "aws_cloudwatch_log_group.fn", 6)
    ]


def test_function_log_group_without_retention_fails(tmp_path: Path) -> None:
    context = _hub(
        tmp_path,
        'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n}\n'
        'resource "aws_cloudwatch_log_group" "fn" {\n  name = "/aws/lambda/fn"\n}\n',
    )

    [found] = aws_function_logs.function_log_retention(context)

    assert found.status is Status.FAIL
    assert found.resource == "aws_cloudwatch_log_group.fn"


def test_function_without_a_log_group_points_at_the_basic_execution_role() -> None:
    arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    role = res("AWS::IAM::Role", "FnRole", {"ManagedPolicyArns": [arn]}, CFN)
    function = res("AWS::Lambda::Function", "Fn", {"Role": "FnRole.Arn"}, CFN)

    found = only(aws_function_logs.function_log_retention, role, function)

    assert found.status is Status.FAIL
    assert found.resource == "FnRole"
    assert found.location is not None and found.location.line == 2


def test_aws_code_without_bedrock_says_the_ai_controls_have_nothing_to_judge() -> None:
    group = res("aws_security_group", "aws_security_group.g", {"name": "g"})

    findings = run(aws_no_ai.not_an_ai_deployment, group)

    assert [(f.check.id, f.status, f.location) for f in findings] == [
        ("LG-IAM-001", Status.UNRESOLVED, None),
        ("LG-OBS-001", Status.UNRESOLVED, None),
        ("LG-COST-003", Status.UNRESOLVED, None),
    ]


def test_bedrock_use_or_no_aws_resource_leaves_it_to_the_ai_checks() -> None:
    guardrail = res("aws_bedrock_guardrail", "aws_bedrock_guardrail.g", {})
    provider = res("provider.aws", "provider.aws", {"region": "eu-west-2"})

    assert run(aws_no_ai.not_an_ai_deployment, guardrail) == []
    assert run(aws_no_ai.not_an_ai_deployment, provider) == []


def _endpoint(subnets: object) -> Resource:
    return res(
        "aws_vpc_endpoint",
        "aws_vpc_endpoint.ssm",
        {"service_name": "com.amazonaws.eu-west-2.ssm", "subnet_ids": subnets},
    )


def test_endpoint_in_two_subnets_passes_and_in_one_fails() -> None:
    two = only(aws_network_patterns.endpoint_zones_spread, _endpoint(["a", "b"]))
    one = only(aws_network_patterns.endpoint_zones_spread, _endpoint(["a"]))

    assert (two.status, one.status) == (Status.PASS, Status.FAIL)


def test_endpoint_subnets_from_a_modules_zone_map() -> None:
    expression = (
        'values({ for k, v in module.hub.central_vpcs["shared"]'
        ".private_subnet_attributes_by_az : k => v.id })"
    )
    subnets = Unresolved(expression, "module output")
    two_zones = _module(
        "aws-ia/network-hubandspoke/aws", central_vpcs={"shared": {"az_count": 2}}
    )
    hub = res("module", "module.hub", two_zones.attributes)

    spread = only(aws_network_patterns.endpoint_zones_spread, hub, _endpoint(subnets))
    unknown = only(aws_network_patterns.endpoint_zones_spread, _endpoint(subnets))

    assert (spread.status, unknown.status) == (Status.PASS, Status.UNRESOLVED)


KB_TF = """resource "aws_bedrockagent_knowledge_base" "kb" {
  name = "kb"
}

resource "aws_cloudwatch_log_delivery_source" "kb" {
  name         = "kb"
  log_type     = "APPLICATION_LOGS"
  resource_arn = aws_bedrockagent_knowledge_base.kb.arn
}
"""
DELIVERY_TF = """
resource "aws_cloudwatch_log_delivery" "kb" {
  delivery_source_name     = aws_cloudwatch_log_delivery_source.kb.name
  delivery_destination_arn = "arn:aws:logs:eu-west-2:1:delivery-destination:x"
}
"""


def test_knowledge_base_logs_delivered_pass_at_the_source(tmp_path: Path) -> None:
    context = _hub(tmp_path, KB_TF + DELIVERY_TF)

    assert _seen(aws_kb_logs.knowledge_base_logs(context)) == [
        ("pass", "aws_cloudwatch_log_delivery_source.kb", 5)
    ]


def test_knowledge_base_log_source_without_a_delivery_fails(tmp_path: Path) -> None:
    context = _hub(tmp_path, KB_TF)

    assert _seen(aws_kb_logs.knowledge_base_logs(context)) == [
        ("fail", "aws_cloudwatch_log_delivery_source.kb", 5)
    ]


def test_knowledge_base_without_a_log_source_fails(tmp_path: Path) -> None:
    context = _hub(tmp_path, KB_TF.split('resource "aws_cloudwatch')[0])

    assert _seen(aws_kb_logs.knowledge_base_logs(context)) == [
        ("fail", "aws_bedrockagent_knowledge_base.kb", 1)
    ]
