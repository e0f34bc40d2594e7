"""The four deliverables of the readiness review, computed from what was found.

:func:`build_deliverables` is the one entry point: it takes the loaders'
:class:`~lockgate.review.model.Inventory`, the checks' findings and, optionally, the
gateway settings and a usage history, and returns plain facts every renderer reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lockgate.review.model import Finding, Inventory

from .access import build_access_model
from .endpoints import find_workloads
from .facts import Deliverables, Principal
from .gateway import GatewayView
from .network import build_network_design
from .observability import UsageHistory, build_observability
from .perimeter import build_perimeter

__all__ = ["Deliverables", "GatewayView", "UsageHistory", "build_deliverables"]


def build_deliverables(
    inventory: Inventory,
    findings: Iterable[Finding],
    settings: Any | None = None,
    history: UsageHistory | None = None,
) -> Deliverables:
    findings = list(findings)
    gateway = GatewayView(settings)
    access = build_access_model(inventory, findings, gateway)
    grants = any(p.platform == "aws" and _grants_bedrock(p) for p in access.principals)
    workloads = find_workloads(inventory, gateway.upstream_kinds(), grants)

    network = build_network_design(inventory, workloads)
    return Deliverables(
        network=network,
        access=access,
        perimeter=build_perimeter(inventory, findings, network.networks, gateway),
        observability=build_observability(inventory, findings, gateway, history),
    )


def _grants_bedrock(principal: Principal) -> bool:
    return any(p.lower().startswith(("bedrock", "*")) for p in principal.permissions)
