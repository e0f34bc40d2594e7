"""Deliverable 4, observability and cost baseline.

What the code declares (invocation logging, diagnostic settings, OpenTelemetry
wiring, cost tags, inference profiles, budgets, anomaly monitors) and, when a
gateway store is given, what was measured: spend per day per app and tokens per
request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from lockgate.review.model import Area, Finding, Inventory, Resource

from . import catalog as types
from .facts import Baseline, ObservabilityCost
from .gateway import GatewayView
from .values import (
    blocks,
    finding_ref,
    identity,
    of_types,
    open_findings,
    tags_of,
    text,
)

_OTEL_KEYS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "APPLICATIONINSIGHTS_CONNECTION_STRING")
_LOGGING_API = "PutModelInvocationLoggingConfiguration"


class UsageHistory(Protocol):
    """Measured usage from the gateway's store."""

    def spend_per_day(self) -> list[tuple[str, str, float]]:
        """(day, app, USD) rows."""
        ...

    def tokens_per_request(self) -> list[tuple[str, float]]:
        """(app, mean tokens per request) rows."""
        ...


def build_observability(
    inventory: Inventory,
    findings: Iterable[Finding],
    gateway: GatewayView,
    history: UsageHistory | None = None,
) -> ObservabilityCost:
    areas = (Area.OBSERVABILITY, Area.COST)
    gaps = [finding_ref(f) for f in open_findings(findings) if f.check.area in areas]
    baseline = None
    if history is not None:
        baseline = Baseline(
            spend_per_day=tuple(sorted(history.spend_per_day())),
            tokens_per_request=tuple(sorted(history.tokens_per_request())),
        )
    return ObservabilityCost(
        invocation_logging=_invocation_logging(inventory),
        diagnostic_settings=_diagnostics(inventory),
        otel=gateway.telemetry() + _otel_wiring(inventory),
        cost_tags=_cost_tags(inventory),
        inference_profiles=_listing(inventory, types.INFERENCE_PROFILES, _profile),
        budgets=_listing(inventory, types.BUDGETS, _budget),
        anomaly_monitors=_listing(inventory, types.ANOMALY_MONITORS, lambda r: r.type),
        gaps=tuple(sorted(gaps, key=lambda g: (g.check_id, g.resource))),
        baseline=baseline,
    )


def _listing(
    inventory: Inventory, kinds: tuple[str, ...], describe: Callable[[Resource], str]
) -> tuple[str, ...]:
    return tuple(
        sorted(f"{r.address}: {describe(r)}" for r in of_types(inventory, *kinds))
    )


def _invocation_logging(inventory: Inventory) -> tuple[str, ...]:
    found = []
    for config in of_types(inventory, *types.INVOCATION_LOGGING):
        found.append(f"{config.address}: {_log_destinations(config)}")
    for custom in inventory.resources:
        custom_type = custom.type.startswith("Custom::") or (
            custom.type in types.CUSTOM_RESOURCES
        )
        if custom_type and _LOGGING_API in str(custom.attributes):
            found.append(f"{custom.address}: set by a custom resource")
    return tuple(sorted(found))


def _log_destinations(config: Resource) -> str:
    destinations = []
    for logging in blocks(config.get("logging_config")):
        for s3 in blocks(logging.get("s3_config")):
            destinations.append(f"S3 {identity(s3.get('bucket_name'))}")
        for cw in blocks(logging.get("cloudwatch_config")):
            destinations.append(f"CloudWatch {identity(cw.get('log_group_name'))}")
    return ", ".join(destinations) or "no destination"


def _diagnostics(inventory: Inventory) -> tuple[str, ...]:
    found = []
    for setting in of_types(inventory, *types.DIAGNOSTICS):
        target = identity(setting.get("target_resource_id") or setting.get("scope"))
        categories = [
            text(
                log.get("category")
                or log.get("category_group")
                or log.get("categoryGroup")
            )
            for key in ("enabled_log", "log", "logs")
            for log in blocks(setting.get(key))
        ]
        found.append(
            f"{setting.address} -> {target}: {', '.join(categories) or 'no logs'}"
        )
    return tuple(sorted(found))


def _otel_wiring(inventory: Inventory) -> tuple[str, ...]:
    found = [
        f"{r.address}: Application Insights"
        for r in of_types(inventory, *types.APP_INSIGHTS)
    ]
    for resource in inventory.resources:
        body = str(resource.attributes)
        for key in _OTEL_KEYS:
            if key in body:
                found.append(f"{resource.address}: sets {key}")
    return tuple(sorted(set(found)))


def _cost_tags(inventory: Inventory) -> tuple[str, ...]:
    found = [
        f"{tag.address}: activates {text(tag.get('tag_key'))}"
        for tag in of_types(inventory, *types.COST_TAGS)
    ]
    ai_kinds = (*types.AI_ACCOUNTS, *types.AZURE_DEPLOYMENTS, *types.INFERENCE_PROFILES)
    for resource in of_types(inventory, *ai_kinds):
        keys = sorted(str(k) for k in tags_of(resource))
        found.append(f"{resource.address}: {', '.join(keys) if keys else 'no tags'}")
    return tuple(sorted(found))


def _profile(resource: Resource) -> str:
    source = resource.get("model_source", 0, "copy_from") or resource.get(
        "ModelSource", "CopyFrom"
    )
    return f"copies {identity(source)}"


def _budget(resource: Resource) -> str:
    limit = (
        resource.get("limit_amount")
        or resource.get("amount")
        or resource.get("Budget", "BudgetLimit", "Amount")
    )
    filters = [text(f.get("name")) for f in blocks(resource.get("cost_filter"))]
    scope = f" filtered by {', '.join(filters)}" if filters else ""
    return f"limit {text(limit) or 'unresolved'}{scope}"
