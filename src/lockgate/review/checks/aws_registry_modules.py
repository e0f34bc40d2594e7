"""Networks built inside Terraform registry modules the review cannot read.

A registry module (``aws-ia/vpc/aws``, ``aws-ia/network-hubandspoke/aws``) is
not in the reviewed files, so its route tables, attachments and subnets are not
evidenced. Only the inputs passed to it are judged: a spoke that asks the module
for a default route to the transit gateway has declared that route.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Finding, Resource, Status

from .support import (
    Check,
    CheckContext,
    Verdict,
    is_set_by_reference,
    judge_each,
)

ANYWHERE = ("0.0.0.0/0", "::/0")


def registry_modules(context: CheckContext) -> list[Resource]:
    """Module calls whose source is a registry address (namespace/name/provider)."""
    return [m for m in context.declared("module") if _is_registry(m.get("source"))]


def _is_registry(source: Any) -> bool:
    if not isinstance(source, str) or source.startswith((".", "/")):
        return False
    return source.count("/") == 2 and "::" not in source and "//" not in source


def transit_routing(context: CheckContext) -> list[Finding]:
    """LG-CONN-104: transit gateway routing passed to or built by registry modules."""
    return judge_each("LG-CONN-104", registry_modules(context), _judge_transit)


def _judge_transit(module: Resource) -> Verdict | None:
    keys = [k for k in module.attributes if k.startswith("transit_gateway")]
    if not keys:
        return None
    routes = module.get("transit_gateway_routes")
    gateway = module.get("transit_gateway_id")
    defaults = (
        [k for k, v in routes.items() if v in ANYWHERE]
        if isinstance(routes, dict)
        else []
    )
    if defaults and (isinstance(gateway, str) or is_set_by_reference(gateway)):
        return Verdict(
            Status.PASS,
            f"the {', '.join(defaults)} subnets route 0.0.0.0/0 to the transit gateway",
            ("transit_gateway_routes",),
        )
    return Verdict(
        Status.UNRESOLVED,
        f"transit gateway route tables and attachments are built inside "
        f"{module.get('source')}, which is not in the reviewed files",
    )


def module_egress(context: CheckContext) -> list[Finding]:
    """LG-DATA-103: internet egress of subnets a registry module builds."""
    return judge_each("LG-DATA-103", registry_modules(context), _judge_egress)


def _judge_egress(module: Resource) -> Verdict | None:
    for path in (("subnets",), ("central_vpcs",)):
        if module.get(*path) is not None:
            return Verdict(
                Status.UNRESOLVED,
                "whether these subnets reach the internet is decided by route "
                f"tables inside {module.get('source')}, which is not in the "
                "reviewed files",
                path,
            )
    return None


CHECKS: tuple[Check, ...] = (transit_routing, module_egress)
