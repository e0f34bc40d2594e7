"""Network hygiene that holds for any AWS deployment: who may connect in,
how instances are hardened, and whether traffic and requests leave a record.

Security group ingress from anywhere, EC2 instance settings (public IP, IMDSv2,
root volume encryption), load balancer access logs and VPC flow logs.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Finding, Resource, Status

from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    block_path,
    first_block,
    holds_unresolved,
    judge_each,
    judged,
    mentions,
    show,
    truthy,
)

ANYWHERE = ("0.0.0.0/0", "::/0")
SG_TYPES = ("aws_security_group", "AWS::EC2::SecurityGroup")
RULE_TYPES = (
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "AWS::EC2::SecurityGroupIngress",
)
LB_TYPES = ("aws_lb", "aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer")
VPC_TYPES = ("aws_vpc", "AWS::EC2::VPC")
FLOW_LOG_TYPES = ("aws_flow_log", "AWS::EC2::FlowLog")
Path = tuple[str | int, ...]


def open_ingress(context: CheckContext) -> list[Finding]:
    """LG-DATA-101: security groups admit no caller from 0.0.0.0/0."""
    findings = judge_each("LG-DATA-101", context.declared(*SG_TYPES), _judge_group)
    findings += judge_each("LG-DATA-101", context.declared(*RULE_TYPES), _judge_rule)
    return findings


def _judge_group(group: Resource) -> Verdict | None:
    key = "ingress" if group.get("ingress") is not None else "SecurityGroupIngress"
    rules = as_list(group.get(key))
    if not rules:
        return None
    for index, rule in enumerate(rules):
        if isinstance(rule, dict) and _sources(rule) & set(ANYWHERE):
            return Verdict(
                Status.FAIL,
                f"allows ingress from anywhere ({_ports(rule)})",
                (key, index),
            )
    if holds_unresolved(group.get(key)):
        return Verdict(
            Status.UNRESOLVED, "ingress sources cannot be worked out", (key,)
        )
    return Verdict(Status.PASS, "admits only named sources", (key,))


def _judge_rule(rule: Resource) -> Verdict | None:
    kind = rule.get("type")
    if rule.type == "aws_security_group_rule" and kind != "ingress":
        return None
    if _sources(rule.attributes) & set(ANYWHERE):
        return Verdict(
            Status.FAIL, f"allows ingress from anywhere ({_ports(rule.attributes)})"
        )
    return Verdict(Status.PASS, "admits only named sources")


def _sources(rule: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key in ("cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"):
        found.update(v for v in as_list(rule.get(key)) if isinstance(v, str))
    for key in ("CidrIp", "CidrIpv6"):
        value = rule.get(key)
        if isinstance(value, str):
            found.add(value)
    return found


def _ports(rule: dict[str, Any]) -> str:
    protocol = rule.get("protocol") or rule.get("IpProtocol")
    low = rule.get("from_port")
    low = rule.get("FromPort") if low is None else low
    high = rule.get("to_port")
    high = rule.get("ToPort") if high is None else high
    return f"protocol {show(protocol)}, ports {show(low)}-{show(high)}"


def instance_hardening(context: CheckContext) -> list[Finding]:
    """LG-DATA-102: no public IP, IMDSv2 required, root volume encrypted."""
    findings = []
    for instance in context.declared("aws_instance"):
        for verdict in _instance_verdicts(instance):
            findings.append(judged("LG-DATA-102", instance, verdict))
    return findings


def _instance_verdicts(instance: Resource) -> list[Verdict]:
    public = truthy(instance.get("associate_public_ip_address"))
    tokens = instance.get(*block_path(instance, "metadata_options"), "http_tokens")
    root = block_path(instance, "root_block_device")
    encrypted = truthy(instance.get(*root, "encrypted"))
    return [
        _aspect(
            public is False,
            public is None,
            "no public IP",
            "may get a public IP (associate_public_ip_address is not false)",
            ("associate_public_ip_address",),
        ),
        _aspect(
            tokens == "required",
            tokens is None or holds_unresolved(tokens),
            "IMDSv2 required",
            f"IMDSv1 allowed (http_tokens = {show(tokens)})",
            block_path(instance, "metadata_options"),
        ),
        _aspect(
            encrypted is True,
            encrypted is None and instance.get(*root) is not None,
            "root volume encrypted",
            "root volume not encrypted",
            root,
        ),
    ]


def _aspect(good: bool, unknown: bool, passed: str, failed: str, path: Path) -> Verdict:
    if good:
        return Verdict(Status.PASS, passed, path)
    if unknown:
        return Verdict(Status.UNRESOLVED, f"{failed}: cannot be worked out", path)
    return Verdict(Status.FAIL, failed, path)


def load_balancer_logs(context: CheckContext) -> list[Finding]:
    """LG-OBS-102: load balancers write access logs."""
    return judge_each("LG-OBS-102", context.declared(*LB_TYPES), _judge_lb)


def _judge_lb(balancer: Resource) -> Verdict:
    if balancer.type.startswith("AWS::"):
        enabled, path = _cfn_access_logs(balancer)
    else:
        block = first_block(balancer.get("access_logs"))
        enabled = (
            truthy(block.get("enabled", True)) if isinstance(block, dict) else False
        )
        path = block_path(balancer, "access_logs")

    if enabled:
        return Verdict(Status.PASS, "writes access logs", path)
    if enabled is None:
        return Verdict(Status.UNRESOLVED, "access logging cannot be worked out", path)
    return Verdict(Status.FAIL, "writes no access logs", path)


def _cfn_access_logs(balancer: Resource) -> tuple[bool | None, Path]:
    """``access_logs.s3.enabled`` among the attributes; absent means off."""
    attributes = {
        a.get("Key"): a.get("Value")
        for a in as_list(balancer.get("LoadBalancerAttributes"))
        if isinstance(a, dict)
    }
    value = attributes.get("access_logs.s3.enabled", "false")
    return truthy(value), ("LoadBalancerAttributes",)


def vpc_flow_logs(context: CheckContext) -> list[Finding]:
    """LG-OBS-101: every VPC, declared or built by a registry module, logs flows."""
    flow_logs = context.declared(*FLOW_LOG_TYPES)
    findings = judge_each(
        "LG-OBS-101",
        context.declared(*VPC_TYPES),
        lambda vpc: _judge_vpc(vpc, flow_logs),
    )
    for module in context.declared("module"):
        for verdict in _module_flow_logs(module):
            findings.append(judged("LG-OBS-101", module, verdict))
    return findings


def _judge_vpc(vpc: Resource, flow_logs: list[Resource]) -> Verdict:
    logging = next((f for f in flow_logs if mentions(f.attributes, vpc)), None)
    if logging is not None:
        return Verdict(Status.PASS, f"flow logs by {logging.address}")
    return Verdict(Status.FAIL, "no flow log records this VPC's traffic")


def _module_flow_logs(module: Resource) -> list[Verdict]:
    """Flow-log inputs of the AWS VPC registry modules this check knows."""
    source = str(module.get("source") or "")
    if source.startswith(("aws-ia/vpc/", "terraform-aws-modules/vpc/")):
        return [_flow_input(module, ())]
    if source.startswith("aws-ia/network-hubandspoke/"):
        central = module.get("central_vpcs")
        names = list(central) if isinstance(central, dict) else []
        return [_flow_input(module, ("central_vpcs", name)) for name in names]
    return []


def _flow_input(module: Resource, prefix: Path) -> Verdict:
    for key in ("vpc_flow_logs", "enable_flow_log"):
        value = module.get(*prefix, key)
        if value is not None and truthy(value) is not False:
            return Verdict(Status.PASS, "flow logs configured", (*prefix, key))
    what = f"{prefix[-1]} " if prefix else ""
    return Verdict(
        Status.FAIL, f"the {what}VPC this module builds has no flow logs", prefix
    )


CHECKS: tuple[Check, ...] = (
    open_ingress,
    instance_hardening,
    load_balancer_logs,
    vpc_flow_logs,
)
