"""The Azure checks on the estate around the AI account: default routes, log
workspace retention and Azure Policy assignments."""

from __future__ import annotations

from typing import Any

from check_helpers import ARM, BICEP, TF, account, only, res, run

from lockgate.review.checks import azure_governance as g
from lockgate.review.model import Ref, Resource, Status, Unresolved

ACCOUNT = account("acct", {}, BICEP, kind="OpenAI")
KEYS = "71ef260a-8f18-47b7-abcb-62d0673d94dc"


def _route(prefix: Any, hop: Any) -> Resource:
    return res(
        "Microsoft.Network/routeTables/routes",
        "rt::default",
        {"properties": {"addressPrefix": prefix, "nextHopType": hop}},
        BICEP,
    )


def test_default_route_to_a_virtual_appliance_passes_to_internet_fails() -> None:
    firewall = only(g.default_routes, ACCOUNT, _route("0.0.0.0/0", "VirtualAppliance"))
    internet = only(g.default_routes, ACCOUNT, _route("0.0.0.0/0", "Internet"))

    assert firewall.status is Status.PASS
    assert firewall.message == (
        "rt::default: the default route 0.0.0.0/0 leads to VirtualAppliance"
    )
    assert firewall.location is not None and firewall.location.line == 4
    assert internet.status is Status.FAIL


def test_other_prefixes_are_not_default_routes_unresolved_ones_may_be() -> None:
    unknown = _route(Unresolved("prefix", "no value"), "Internet")

    assert run(g.default_routes, ACCOUNT, _route("10.0.0.0/8", "Internet")) == []
    assert only(g.default_routes, ACCOUNT, unknown).status is Status.UNRESOLVED


def test_terraform_route_table_blocks_are_read() -> None:
    table = res(
        "azurerm_route_table",
        "azurerm_route_table.egress",
        {
            "route": [
                {"address_prefix": "0.0.0.0/0", "next_hop_type": "Internet"},
                {"address_prefix": "10.0.0.0/8", "next_hop_type": "VnetLocal"},
            ]
        },
        TF,
    )

    found = only(g.default_routes, ACCOUNT, table)

    assert found.status is Status.FAIL
    assert found.message.endswith("leads to Internet, not to a firewall")


def test_routes_are_judged_only_next_to_an_ai_account() -> None:
    assert run(g.default_routes, _route("0.0.0.0/0", "Internet")) == []


def _workspace(**properties: Any) -> Resource:
    return res(
        "Microsoft.OperationalInsights/workspaces",
        "log",
        {"properties": properties},
        ARM,
    )


def test_workspace_retention() -> None:
    capped = _workspace(retentionInDays=30, workspaceCapping={"dailyQuotaGb": 10})

    assert only(g.workspace_retention, ACCOUNT, capped).message == (
        "log: keeps logs 30 days; its daily cap of 10 GB can drop logs once reached"
    )
    assert only(g.workspace_retention, ACCOUNT, _workspace()).message == (
        "log: keeps logs 30 days (platform default)"
    )
    short = only(g.workspace_retention, ACCOUNT, _workspace(retentionInDays=7))
    assert (short.status, short.message) == (
        Status.FAIL,
        "log: keeps logs 7 day(s), under 30",
    )
    unknown = _workspace(retentionInDays=Unresolved("[parameters('d')]", "no value"))
    assert only(g.workspace_retention, ACCOUNT, unknown).status is Status.UNRESOLVED


def test_terraform_workspace_retention() -> None:
    workspace = res(
        "azurerm_log_analytics_workspace", "w", {"retention_in_days": 90}, TF
    )

    assert only(g.workspace_retention, ACCOUNT, workspace).status is Status.PASS


def _assignment(definition: Any, effect: str = "Audit") -> Resource:
    properties = {
        "policyDefinitionId": definition,
        "parameters": {"effect": {"value": effect}},
    }
    return res(
        "Microsoft.Authorization/policyAssignments",
        "assign",
        {"properties": properties},
        BICEP,
    )


def test_assignment_of_an_existing_ai_definition_passes() -> None:
    definition = res(
        "Microsoft.Authorization/policyDefinitions",
        "keysPolicy",
        {"name": KEYS, "__meta__": {"existing": True}},
        BICEP,
    )

    found = only(
        g.policy_assignments, ACCOUNT, definition, _assignment(Ref("keysPolicy", "id"))
    )

    assert found.status is Status.PASS
    assert found.message == (
        "assign assigns the AI Services policy for key access disabled in Audit mode"
    )


def test_assignment_by_id_text_with_effect_disabled_fails() -> None:
    expression = Unresolved(
        f"[tenantResourceId('Microsoft.Authorization/policyDefinitions', '{KEYS}')]",
        "not evaluated",
    )

    found = only(g.policy_assignments, ACCOUNT, _assignment(expression, "Disabled"))

    assert found.status is Status.FAIL


def test_no_ai_policy_assignment_is_unresolved_without_a_location() -> None:
    other = _assignment("/providers/Microsoft.Authorization/policyDefinitions/abc")

    found = only(g.policy_assignments, ACCOUNT, other)

    assert found.status is Status.UNRESOLVED
    assert found.location is None
    assert found.fix is not None and "policyAssignments" in found.fix
