"""Provider-wide tags for Terraform's AWS provider.

``default_tags`` on the provider tags every taggable resource it creates; without
it each resource carries only what is written on it, which is usually just Name.
"""

from __future__ import annotations

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


CHECKS: tuple[Check, ...] = (provider_default_tags,)
