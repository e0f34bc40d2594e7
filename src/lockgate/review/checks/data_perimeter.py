"""Checks of the data perimeter: endpoint policies, egress paths, Azure DLP.

Encryption at rest (customer-managed keys) lives in ``encryption.py``.
"""

from __future__ import annotations

import re

from lockgate.review.model import Finding, Resource, Status

from . import aws
from .azure import accounts, outbound_restriction
from .policies import Document, Statement, action_matches, is_wildcard_action
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    evidence_of,
    finding,
    holds_unresolved,
    judge_each,
    mentions,
    reference_targets,
    show,
    strings_in,
    text,
    truthy,
    unresolved_expressions,
)

ANYWHERE = ("0.0.0.0/0", "::/0")
_ORG_KEYS = {
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:principalorgpaths",
}


def _endpoint_documents(context: CheckContext, endpoint: Resource) -> list[Document]:
    """Policies on the endpoint itself or attached by aws_vpc_endpoint_policy."""
    found = []
    for document in aws.all_documents(context):
        owner = document.owner
        attached = owner.type.lower() == "aws_vpc_endpoint_policy"
        if owner is endpoint or (
            attached and mentions(owner.get("vpc_endpoint_id"), endpoint)
        ):
            found.append(document)
    return found


def endpoint_policy_present(context: CheckContext) -> list[Finding]:
    """LG-DATA-001: every interface endpoint carries an endpoint policy."""
    findings = []
    for endpoint in aws.endpoints(context):
        resource = endpoint.resource
        documents = _endpoint_documents(context, resource)
        evidence = [evidence_of(resource, "policy")]
        if documents and all(d.unresolved for d in documents):
            status, message = Status.UNRESOLVED, "its endpoint policy cannot be read"
        elif documents:
            status, message = Status.PASS, "carries an endpoint policy"
        else:
            status = Status.FAIL
            message = "has no endpoint policy, so it allows full access to the service"
        findings.append(
            finding(
                "LG-DATA-001",
                status,
                f"{resource.address} ({endpoint.suffix or 'service unknown'}) "
                + message,
                resource,
                ("policy",) if documents else (),
                evidence,
            )
        )
    return findings


def endpoint_policy_scope(context: CheckContext) -> list[Finding]:
    """LG-DATA-002: Bedrock endpoint policies are scoped."""
    findings = []
    for endpoint in aws.bedrock_endpoints(context):
        for document in _endpoint_documents(context, endpoint.resource):
            if document.unresolved:
                continue
            problems = [p for s in document.statements for p in _broad(s)]
            findings.append(
                finding(
                    "LG-DATA-002",
                    Status.FAIL if problems else Status.PASS,
                    f"{endpoint.resource.address}: "
                    + (
                        "; ".join(problems) if problems else "endpoint policy is scoped"
                    ),
                    document.owner,
                    document.path,
                    [evidence_of(document.owner, *document.path)],
                )
            )
    return findings


def _broad(statement: Statement) -> list[str]:
    if statement.effect.lower() != "allow":
        return []
    problems = []
    principals = strings_in(statement.principals)
    if "*" in principals and not (_ORG_KEYS & statement.condition_keys):
        problems.append("Principal '*' without an organisation or account condition")
    if any(is_wildcard_action(a, "bedrock") for a in statement.actions):
        problems.append(f"actions {show(statement.actions)}")
    if "*" in statement.resources:
        problems.append("Resource '*'")
    return problems


def mantle_policy(context: CheckContext) -> list[Finding]:
    """LG-DATA-003: a bedrock-mantle endpoint policy names bedrock-mantle: actions."""
    findings = []
    for endpoint in aws.bedrock_endpoints(context):
        if endpoint.suffix != "bedrock-mantle":
            continue
        for document in _endpoint_documents(context, endpoint.resource):
            if document.unresolved:
                status, message = Status.UNRESOLVED, "policy cannot be read"
            elif any(
                action_matches(a, "bedrock-mantle") and a != "*"
                for s in document.statements
                for a in s.actions
            ):
                status, message = Status.PASS, "policy names bedrock-mantle: actions"
            else:
                status = Status.FAIL
                message = (
                    "policy names no bedrock-mantle: action; rules written for "
                    "bedrock: do not govern mantle"
                )
            findings.append(
                finding(
                    "LG-DATA-003",
                    status,
                    f"{endpoint.resource.address}: {message}",
                    document.owner,
                    document.path,
                    [evidence_of(document.owner, *document.path)],
                )
            )
    return findings


def security_group_egress(context: CheckContext) -> list[Finding]:
    """LG-DATA-005: security groups do not allow egress to 0.0.0.0/0."""
    # Every security group is judged, not only those attached to compute that
    # calls Bedrock: that join is not made yet, so an unrelated group with open
    # egress in the same code is reported too.
    findings = []
    for group in context.declared("aws_security_group", "AWS::EC2::SecurityGroup"):
        findings.extend(_group_egress(group))
    for rule in context.declared(
        "aws_vpc_security_group_egress_rule", "AWS::EC2::SecurityGroupEgress"
    ):
        cidr = rule.get("cidr_ipv4") or rule.get("CidrIp")
        if cidr in ANYWHERE:
            findings.append(_open_egress(rule, ("cidr_ipv4",)))
    for rule in context.declared("aws_security_group_rule"):
        if rule.get("type") == "egress" and set(ANYWHERE) & set(
            strings_in(rule.get("cidr_blocks"))
        ):
            findings.append(_open_egress(rule, ("cidr_blocks",)))
    return findings


def _group_egress(group: Resource) -> list[Finding]:
    is_cfn = group.source.value == "cloudformation"
    rules = group.get("SecurityGroupEgress") if is_cfn else group.get("egress")
    if rules is None:
        if not is_cfn:
            return []
        return [
            finding(
                "LG-DATA-005",
                Status.FAIL,
                f"{group.address} sets no SecurityGroupEgress, so CloudFormation "
                "allows all egress to 0.0.0.0/0",
                group,
                evidence=[evidence_of(group, "SecurityGroupEgress")],
            )
        ]
    if holds_unresolved(rules):
        return [
            finding(
                "LG-DATA-005",
                Status.UNRESOLVED,
                f"{group.address}: egress rules cannot be worked out",
                group,
                ("egress",),
                [evidence_of(group, "egress")],
            )
        ]
    for index, rule in enumerate(as_list(rules)):
        if not isinstance(rule, dict):
            continue
        cidrs = strings_in(
            [
                rule.get(k)
                for k in rule
                if k.lower()
                in ("cidr_blocks", "cidrip", "ipv6_cidr_blocks", "cidripv6")
            ]
        )
        if set(ANYWHERE) & set(cidrs):
            key = "SecurityGroupEgress" if is_cfn else "egress"
            return [_open_egress(group, (key, index))]
    return [
        finding(
            "LG-DATA-005",
            Status.PASS,
            f"{group.address} limits its egress",
            group,
            evidence=[evidence_of(group, "egress")],
        )
    ]


def _open_egress(resource: Resource, path: tuple[str | int, ...]) -> Finding:
    return finding(
        "LG-DATA-005",
        Status.FAIL,
        f"{resource.address} allows egress to 0.0.0.0/0",
        resource,
        path,
        [evidence_of(resource, *path)],
    )


def azure_outbound(context: CheckContext) -> list[Finding]:
    """LG-DATA-006: AI accounts restrict outbound access to an FQDN list."""
    return judge_each("LG-DATA-006", accounts(context), _outbound_verdict)


def _outbound_verdict(account: Resource) -> Verdict:
    flag, fqdns = outbound_restriction(account)
    evidence = [evidence_of(account, *flag.path), evidence_of(account, *fqdns.path)]
    restricted = truthy(flag.value)

    if flag.unresolved or (restricted and fqdns.unresolved):
        message = "outbound restriction cannot be worked out"
        return Verdict(Status.UNRESOLVED, message, flag.path, evidence)
    if restricted and as_list(fqdns.value):
        message = "outbound access is limited to an FQDN list"
        return Verdict(Status.PASS, message, flag.path, evidence)
    if restricted:
        message = "outbound access is restricted with no FQDNs"
        return Verdict(Status.FAIL, message, flag.path, evidence)

    message = (
        "outbound access is not restricted"
        if flag.present
        else "outbound access is not restricted (not set; default unrestricted)"
    )
    return Verdict(Status.FAIL, message, flag.path, evidence)


def perimeter_condition(context: CheckContext) -> list[Finding]:
    """LG-DATA-011: with Bedrock endpoints, invoke grants require the endpoint."""
    if not aws.bedrock_endpoints(context):
        return []
    findings = []
    for document in aws.all_documents(context):
        if document.trust or document.owner.type.lower() in (
            "aws_vpc_endpoint",
            "aws_vpc_endpoint_policy",
            "aws::ec2::vpcendpoint",
        ):
            continue
        for statement in document.statements:
            invokes = [
                a
                for a in statement.actions
                if isinstance(a, str)
                and (
                    a.lower().startswith("bedrock:invoke")
                    or a.lower() in ("*", "bedrock:*")
                )
            ]
            if not invokes or statement.effect.lower() != "allow":
                continue
            scoped = {"aws:sourcevpce", "aws:sourcevpc"} & statement.condition_keys
            findings.append(
                finding(
                    "LG-DATA-011",
                    Status.PASS if scoped else Status.FAIL,
                    f"{document.owner.address} grants {', '.join(invokes)} "
                    + ("only through the endpoint" if scoped else "from anywhere"),
                    document.owner,
                    location=statement.location,
                    evidence=[f"condition keys {sorted(statement.condition_keys)}"],
                )
            )
    return findings


_SPECIAL_SUBNETS = {
    "azurebastionsubnet",
    "azurefirewallsubnet",
    "azurefirewallmanagementsubnet",
    "gatewaysubnet",
    "routeserversubnet",
}


def azure_subnet_egress(context: CheckContext) -> list[Finding]:
    """LG-DATA-012: subnets of an AI deployment have no default outbound access."""
    if not accounts(context):
        return []
    findings = []
    infrastructure = _infrastructure_subnets(context)
    for owner, path, body in _azure_subnets(context):
        name = text(owner.get(*path, "name")) if path else text(owner.get("name"))
        if name and name.lower() in _SPECIAL_SUBNETS:
            continue
        result = _subnet_finding(owner, path, body, name)
        if result.status is Status.FAIL and name in infrastructure:
            continue  # a subnet of private endpoints or a gateway runs no workload
        findings.append(result)
    return findings


_INFRASTRUCTURE = (
    "Microsoft.Network/privateEndpoints",
    "azurerm_private_endpoint",
    "Microsoft.Network/applicationGateways",
    "azurerm_application_gateway",
)
_SUBNET_IN_ID = re.compile(r"/subnets/([A-Za-z0-9_.-]+)")


def _infrastructure_subnets(context: CheckContext) -> set[str]:
    """Names of subnets that hold private endpoints or an application gateway.

    They run no workload, so their outbound access is not AI egress.
    """
    names: set[str] = set()
    for holder in context.declared(*_INFRASTRUCTURE):
        for key in (
            "subnet",
            "subnet_id",
            "gatewayIPConfigurations",
            "gateway_ip_configuration",
        ):
            names.update(_subnet_names(context, holder.get(key)))
    return names


def _subnet_names(context: CheckContext, value: object) -> set[str]:
    names: set[str] = set()
    for target in reference_targets(value):
        subnet = context.inventory.by_address(target)
        name = text(subnet.get("name")) if subnet is not None else None
        names.add(name or target.rsplit("/", 1)[-1])
    for expression in strings_in(value) + unresolved_expressions(value):
        names.update(_SUBNET_IN_ID.findall(expression))
    return names


def _azure_subnets(
    context: CheckContext,
) -> list[tuple[Resource, tuple[str | int, ...], dict[str, object]]]:
    found: list[tuple[Resource, tuple[str | int, ...], dict[str, object]]] = []
    for subnet in context.declared(
        "azurerm_subnet", "Microsoft.Network/virtualNetworks/subnets"
    ):
        found.append((subnet, (), subnet.attributes))
    for vnet in context.declared("Microsoft.Network/virtualNetworks"):
        for index, subnet in enumerate(as_list(vnet.get("subnets"))):
            if isinstance(subnet, dict):
                found.append((vnet, ("subnets", index), subnet))
    return found


def _subnet_finding(
    owner: Resource,
    path: tuple[str | int, ...],
    body: dict[str, object],
    name: str | None,
) -> Finding:
    """LG-DATA-012 for one subnet, located at the setting that decided it."""
    props: tuple[str | int, ...] = ("properties",) if path else ()
    terraform_flag = (*path, "default_outbound_access_enabled")
    arm_flag = (*path, *props, "defaultOutboundAccess")
    table_path = (*path, *props, "routeTable")
    flag_path = terraform_flag if owner.get(*terraform_flag) is not None else arm_flag
    default_out = owner.get(*flag_path)
    table = owner.get(*table_path)
    if table is None and not path:
        table_path = ("route_table_id",)
        table = owner.get(*table_path)

    label = f"{owner.address} subnet {name or '?'}"
    where: tuple[str | int, ...] = path
    if holds_unresolved(default_out):
        status = Status.UNRESOLVED
        message = "default outbound access cannot be worked out"
    elif truthy(default_out) is False:
        status, message, where = (
            Status.PASS,
            "has no default outbound access",
            flag_path,
        )
    elif table is not None:
        status, message, where = Status.PASS, "routes through a route table", table_path
    else:
        status = Status.FAIL
        message = (
            "keeps default outbound internet access (no defaultOutboundAccess "
            "false, no route table)"
        )
    return finding(
        "LG-DATA-012",
        status,
        f"{label} {message}",
        owner,
        where,
        [
            f"{label}: defaultOutboundAccess={show(default_out)}, "
            f"routeTable={show(table)}"
        ],
    )


def public_ips(context: CheckContext) -> list[Finding]:
    """LG-DATA-013: AI deployments put no public IP on compute."""
    if not aws.has_ai_workload(context):
        return []
    findings = []
    for subnet in context.declared("aws_subnet", "AWS::EC2::Subnet"):
        value = subnet.get("map_public_ip_on_launch")
        if truthy(value) is True:
            findings.append(
                finding(
                    "LG-DATA-013",
                    Status.FAIL,
                    f"{subnet.address} gives every instance a public IP",
                    subnet,
                    ("map_public_ip_on_launch",),
                    [evidence_of(subnet, "map_public_ip_on_launch")],
                )
            )
    for service in context.declared("aws_ecs_service", "AWS::ECS::Service"):
        value = service.get("network_configuration", 0, "assign_public_ip")
        if value is None:
            value = service.get(
                "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp"
            )
        if truthy(value) is True or value == "ENABLED":
            findings.append(
                finding(
                    "LG-DATA-013",
                    Status.FAIL,
                    f"{service.address} assigns its tasks public IPs",
                    service,
                    ("NetworkConfiguration",),
                    [f"AssignPublicIp = {show(value)}"],
                )
            )
    return findings


def compute_egress(context: CheckContext) -> list[Finding]:
    """LG-DATA-014: AI Lambda functions run where egress can be controlled."""
    functions = [
        function
        for function in aws.ai_compute(context)
        if function.type.lower() in aws.FUNCTION_TYPES
    ]
    return judge_each("LG-DATA-014", functions, _egress_verdict, " ")


def _egress_verdict(function: Resource) -> Verdict:
    status = aws.vpc_placement(function)
    message = {
        Status.UNRESOLVED: "its VPC configuration cannot be worked out",
        Status.PASS: "runs in a VPC, where egress can be controlled",
        Status.FAIL: "runs outside any VPC: its egress is unrestricted",
    }[status]
    return Verdict(status, message, evidence=[evidence_of(function, "vpc_config")])


CHECKS: tuple[Check, ...] = (
    endpoint_policy_present,
    endpoint_policy_scope,
    mantle_policy,
    security_group_egress,
    azure_outbound,
    perimeter_condition,
    azure_subnet_egress,
    public_ips,
    compute_egress,
)
