"""Egress from the subnets where AI compute runs (facts gap 6).

A default route to an internet or NAT gateway matters when the compute calling
Bedrock sits in a subnet that uses it. The route is followed to its route table,
the table to its subnet associations, and those subnets are compared with the
subnets of the AI compute (Lambda ``vpc_config``, ECS service networking, EC2
instances, AgentCore runtimes).
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from . import aws
from .support import (
    Check,
    CheckContext,
    as_list,
    evidence_of,
    finding,
    reference_targets,
)

ANYWHERE = ("0.0.0.0/0", "::/0")
ASSOCIATIONS = ("aws_route_table_association", "AWS::EC2::SubnetRouteTableAssociation")
Path = tuple[str | int, ...]


def internet_routes(context: CheckContext) -> list[Finding]:
    """LG-DATA-004: subnets running AI compute have no route to the internet."""
    if not aws.has_ai_workload(context):
        return []
    findings = []
    for route, path in _default_routes(context):
        target = _route_target(context, route, path)
        if target is not None:
            findings.append(_route_finding(context, route, path, target))
    return findings


def _route_finding(
    context: CheckContext, route: Resource, path: Path, target: str
) -> Finding:
    table = _table_of(route, path)
    subnets = _table_subnets(context, table) if table else []
    placed = ai_subnets(context)
    users = sorted({placed[s].address for s in subnets if s in placed})
    evidence = [
        evidence_of(route, *path),
        f"route table {table or '?'} serves subnets {subnets or 'unknown'}",
    ]

    if target not in ("internet gateway", "NAT gateway"):
        status = Status.UNRESOLVED if target == "unknown" else Status.PASS
        message = f"0.0.0.0/0 goes to {target}"
    elif users:
        status = Status.FAIL
        message = (
            f"0.0.0.0/0 goes to an {target} from subnets running {', '.join(users)}"
        )
    elif subnets and placed:
        status = Status.PASS
        message = f"0.0.0.0/0 goes to the {target}, but no AI compute uses its subnets"
    else:
        # Without subnet placement for the AI compute the route cannot be tied
        # to it, so it is neither a pass nor a failure.
        status = Status.UNRESOLVED
        message = (
            f"0.0.0.0/0 goes to the {target}; whether AI compute uses these "
            "subnets cannot be worked out"
        )
    return finding(
        "LG-DATA-004", status, f"{route.address}: {message}", route, path, evidence
    )


def _table_of(route: Resource, path: Path) -> str | None:
    if path:
        return route.address
    targets = reference_targets(route.get("route_table_id"))
    return targets[0] if targets else None


def _default_routes(
    context: CheckContext,
) -> list[tuple[Resource, tuple[str | int, ...]]]:
    found: list[tuple[Resource, tuple[str | int, ...]]] = []
    for route in context.declared("aws_route", "AWS::EC2::Route"):
        if route.get("destination_cidr_block") in ANYWHERE:
            found.append((route, ()))
    for table in context.declared("aws_route_table"):
        for index, block in enumerate(as_list(table.get("route"))):
            if isinstance(block, dict) and block.get("cidr_block") in ANYWHERE:
                found.append((table, ("route", index)))
    return found


def _route_target(
    context: CheckContext, route: Resource, path: tuple[str | int, ...]
) -> str | None:
    nat = route.get(*path, "nat_gateway_id")
    gateway = route.get(*path, "gateway_id")
    if nat is not None:
        return "NAT gateway"
    if gateway is None:
        for key in ("transit_gateway_id", "network_interface_id", "vpc_endpoint_id"):
            if route.get(*path, key) is not None:
                return key.removesuffix("_id").replace("_", " ")
        return None
    for target in reference_targets(gateway):
        found = context.inventory.by_address(target)
        if found is not None and "internetgateway" in found.type.lower().replace(
            "_", ""
        ):
            return "internet gateway"
    if isinstance(gateway, str) and gateway.startswith("igw-"):
        return "internet gateway"
    return "unknown"


def ai_subnets(context: CheckContext) -> dict[str, Resource]:
    """Subnet address -> the AI compute placed in it."""

    def find() -> dict[str, Resource]:
        placed: dict[str, Resource] = {}
        compute = aws.ai_compute(context)
        for resource in compute + _services_of(context, compute):
            for subnet in _subnets_of(resource):
                placed.setdefault(subnet, resource)
        return placed

    result: dict[str, Resource] = context.remember("aws.ai_subnets", find)
    return result


def _services_of(context: CheckContext, compute: list[Resource]) -> list[Resource]:
    """ECS services that run an AI task definition."""
    tasks = {c.address for c in compute}
    return [
        service
        for service in context.declared("aws_ecs_service", "AWS::ECS::Service")
        if set(reference_targets(service.get("task_definition"))) & tasks
    ]


def _subnets_of(resource: Resource) -> list[str]:
    paths: tuple[Path, ...] = (
        ("vpc_config",),
        ("network_configuration",),
        ("NetworkConfiguration", "AwsvpcConfiguration", "Subnets"),
        ("subnet_id",),
    )
    found: list[str] = []
    for path in paths:
        found.extend(reference_targets(resource.get(*path)))
    return [t for t in found if "subnet" in t.lower()]


def _table_subnets(context: CheckContext, table: str) -> list[str]:
    subnets: list[str] = []
    for association in context.declared(*ASSOCIATIONS):
        if table in reference_targets(association.get("route_table_id")):
            subnets.extend(reference_targets(association.get("subnet_id")))
    return subnets


def ai_vpcs(context: CheckContext) -> list[Resource]:
    """Declared VPCs that hold AI compute or a Bedrock endpoint.

    When nothing ties compute to a VPC, every declared VPC is returned: the
    review cannot tell which one runs the workload.
    """
    declared = context.declared(*aws.VPC_TYPES)
    linked: set[str] = set()
    for subnet_address in ai_subnets(context):
        subnet = context.inventory.by_address(subnet_address)
        if subnet is not None:
            linked.update(reference_targets(subnet.get("vpc_id")))
    for endpoint in aws.bedrock_endpoints(context):
        linked.update(reference_targets(endpoint.resource.get("vpc_id")))
    chosen = [v for v in declared if v.address in linked]
    return chosen or declared


CHECKS: tuple[Check, ...] = (internet_routes,)
