"""Tags that allocate cost, on any AWS deployment.

``default_tags`` on Terraform's AWS provider tags every taggable resource it
creates; without it each resource carries only what is written on it, which is
usually just Name. A resource's own tags allocate cost only when one of their
keys names who pays (a cost centre, project, application, owner or team).
"""

from __future__ import annotations

import re
from typing import Any

from lockgate.review.model import Finding, Resource, Status

from .support import Check, CheckContext, Verdict, block_path, judge_each


def provider_default_tags(context: CheckContext) -> list[Finding]:
    """LG-COST-101: every AWS provider configuration sets default_tags."""
    return judge_each("LG-COST-101", context.declared("provider.aws"), _judge_provider)


def _judge_provider(provider: Resource) -> Verdict:
    path = block_path(provider, "default_tags")
    tags = provider.get(*path, "tags")
    if tags:
        return Verdict(Status.PASS, "default_tags apply to every resource", path)
    return Verdict(
        Status.FAIL,
        "no default_tags: resources carry only the tags written on each one",
    )


# Keys that say who pays; Name, Environment and tool tags (aws-cdk:*) do not.
_COST_KEY = re.compile(
    r"cost|project|application|app$|owner|team|billing|department|product|"
    r"workload|service|repo|workspace",
    re.IGNORECASE,
)


def cost_keys(context: CheckContext) -> list[Finding]:
    """LG-COST-102: tags written on a resource include a cost-allocation key."""
    defaults = any(
        _judge_provider(p).status is Status.PASS
        for p in context.declared("provider.aws")
    )
    tagged = [
        r
        for r in context.inventory.resources
        if r.platform == "aws"
        and not (defaults and r.source.value.startswith("terraform"))
        and _tag_keys(r) is not None
    ]
    return judge_each("LG-COST-102", tagged, _judge_keys)


def _judge_keys(resource: Resource) -> Verdict | None:
    keys = _tag_keys(resource) or []
    path = ("tags",) if resource.get("tags") is not None else ("Tags",)
    if any(_COST_KEY.search(k) for k in keys):
        return Verdict(Status.PASS, f"tagged for cost allocation ({keys})", path)
    return Verdict(
        Status.FAIL, f"its tags {keys} name no cost centre, project or owner", path
    )


def _tag_keys(resource: Resource) -> list[str] | None:
    """The tag keys written on ``resource``; None when it has no readable tags."""
    value: Any = resource.get("tags")
    if value is None:
        value = resource.get("Tags")
    if isinstance(value, dict) and value:
        return [str(k) for k in value]
    if isinstance(value, list) and value and all(isinstance(t, dict) for t in value):
        return [str(t.get("Key")) for t in value]
    return None


CHECKS: tuple[Check, ...] = (provider_default_tags, cost_keys)
