"""Content filtering of Azure OpenAI model deployments.

A deployment names its Responsible AI policy (``raiPolicyName``). Left unset, the
platform's default filter applies; ``Microsoft.Nil`` turns filtering off; a custom
policy is judged by its filters when the reviewed code declares it.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Finding, Resource, Status

from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    holds_unresolved,
    judge_each,
    text,
    truthy,
)

DEPLOYMENTS = (
    "Microsoft.CognitiveServices/accounts/deployments",
    "azurerm_cognitive_deployment",
)
POLICIES = (
    "Microsoft.CognitiveServices/accounts/raiPolicies",
    "azurerm_cognitive_account_rai_policy",
)
DEFAULTS = ("microsoft.default", "microsoft.defaultv2")
NO_FILTER = "microsoft.nil"

Path = tuple[str | int, ...]


def content_filters(context: CheckContext) -> list[Finding]:
    """LG-DATA-041: model deployments keep a content filter."""
    policies = {
        (text(p.get("name")) or "").lower(): p for p in context.declared(*POLICIES)
    }
    return judge_each(
        "LG-DATA-041",
        context.declared(*DEPLOYMENTS),
        lambda deployment: _filter_verdict(deployment, policies),
    )


def _filter_verdict(deployment: Resource, policies: dict[str, Resource]) -> Verdict:
    native = deployment.type.lower().startswith("azurerm_")
    path: Path = ("rai_policy_name",) if native else ("properties", "raiPolicyName")
    name = deployment.get(*path)

    if holds_unresolved(name) or (name is not None and not isinstance(name, str)):
        return Verdict(Status.UNRESOLVED, "content filter cannot be worked out", path)
    if name is None or name.lower() in DEFAULTS:
        shown = name or "the platform default filter"
        return Verdict(Status.PASS, f"filters content with {shown}", path)
    if name.lower() == NO_FILTER:
        return Verdict(Status.FAIL, "turns content filtering off (Microsoft.Nil)", path)

    policy = policies.get(name.lower())
    if policy is None:
        message = f"uses custom filter {name!r}, which is not in the reviewed code"
        return Verdict(Status.UNRESOLVED, message, path)
    weak = _weak_filters(policy)
    if weak:
        message = f"uses custom filter {name!r}, which does not block {', '.join(weak)}"
        return Verdict(Status.FAIL, message, path)
    return Verdict(Status.PASS, f"filters content with custom filter {name!r}", path)


def _weak_filters(policy: Resource) -> list[str]:
    """Names of the policy's filters that are off or that only annotate."""
    filters = as_list(policy.get("properties", "contentFilters"))
    filters += as_list(policy.get("content_filter"))
    weak = []
    for entry in filters:
        if not isinstance(entry, dict):
            continue
        enabled = _flag(entry, "enabled", "filter_enabled")
        blocking = _flag(entry, "blocking", "block_enabled")
        if enabled is False or blocking is False:
            weak.append(str(entry.get("name", "?")))
    return weak


def _flag(entry: dict[str, Any], *keys: str) -> bool | None:
    for key in keys:
        if key in entry:
            return truthy(entry[key])
    return None


CHECKS: tuple[Check, ...] = (content_filters,)
