"""Content filtering of Azure OpenAI model deployments (LG-DATA-041)."""

from __future__ import annotations

from typing import Any

from check_helpers import BICEP, TF, only, res

from lockgate.review.checks import azure_models as m
from lockgate.review.model import Resource, Status, Unresolved


def _deployment(name: Any = None) -> Resource:
    properties = {} if name is None else {"raiPolicyName": name}
    return res(
        "Microsoft.CognitiveServices/accounts/deployments",
        "acct::chat",
        {"properties": properties},
        BICEP,
    )


def _policy(*filters: dict[str, Any]) -> Resource:
    return res(
        "Microsoft.CognitiveServices/accounts/raiPolicies",
        "acct::strict",
        {"name": "strict", "properties": {"contentFilters": list(filters)}},
        BICEP,
    )


def test_default_filters_pass_and_the_named_one_is_located() -> None:
    named = only(m.content_filters, _deployment("Microsoft.DefaultV2"))
    unset = only(m.content_filters, _deployment())

    assert named.message == "acct::chat: filters content with Microsoft.DefaultV2"
    assert named.location is not None and named.location.line == 3
    assert unset.status is Status.PASS
    assert unset.message.endswith("the platform default filter")


def test_no_filter_fails_and_unresolved_name_stays_unresolved() -> None:
    nil = only(m.content_filters, _deployment("Microsoft.Nil"))
    unknown = only(m.content_filters, _deployment(Unresolved("d.rai", "loop item")))

    assert (nil.status, nil.message) == (
        Status.FAIL,
        "acct::chat: turns content filtering off (Microsoft.Nil)",
    )
    assert unknown.status is Status.UNRESOLVED


def test_custom_policy_is_judged_by_its_filters() -> None:
    blocking = _policy({"name": "Hate", "enabled": True, "blocking": True})
    annotating = _policy({"name": "Violence", "enabled": True, "blocking": False})

    assert only(m.content_filters, _deployment("strict"), blocking).status is (
        Status.PASS
    )
    weak = only(m.content_filters, _deployment("strict"), annotating)
    assert (weak.status, weak.message) == (
        Status.FAIL,
        "acct::chat: uses custom filter 'strict', which does not block Violence",
    )
    missing = only(m.content_filters, _deployment("elsewhere"))
    assert missing.status is Status.UNRESOLVED


def test_terraform_deployment_reads_rai_policy_name() -> None:
    deployment = res(
        "azurerm_cognitive_deployment",
        "azurerm_cognitive_deployment.chat",
        {"rai_policy_name": "Microsoft.Nil"},
        TF,
    )

    assert only(m.content_filters, deployment).status is Status.FAIL
