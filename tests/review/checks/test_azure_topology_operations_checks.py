"""The Azure checks on spoke DNS links, private dependency stores, firewall logs
and Foundry project tracing."""

from __future__ import annotations

from typing import Any

from check_helpers import BICEP, TF, account, only, res, run

from lockgate.review.checks import azure_operations as o
from lockgate.review.checks import azure_topology as t
from lockgate.review.model import Ref, Resource, Status, Unresolved

ACCOUNT = account("acct", {}, BICEP, kind="OpenAI")
ZONE_NAME = "privatelink.openai.azure.com"


def _vnet(address: str, peerings: list[Any] | None = None) -> Resource:
    properties: dict[str, Any] = {"addressSpace": {}}
    if peerings is not None:
        properties["virtualNetworkPeerings"] = peerings
    return res("Microsoft.Network/virtualNetworks", address, {"properties": properties})


def _zone() -> Resource:
    return res("Microsoft.Network/privateDnsZones", "zone", {"name": ZONE_NAME}, BICEP)


def _link(address: str, vnet: str) -> Resource:
    return res(
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        address,
        {"parent": Ref("zone"), "properties": {"virtualNetwork": {"id": Ref(vnet)}}},
        BICEP,
    )


def test_a_single_unpeered_vnet_is_not_hub_and_spoke() -> None:
    found = only(t.spoke_zone_links, ACCOUNT, _vnet("vnet", []))

    assert found.status is Status.UNRESOLVED
    assert found.message == (
        "vnet: has no peering: the deployment is not hub-and-spoke, so linking "
        "zones to spokes does not apply"
    )


def test_peered_vnets_pass_when_linked_and_fail_when_not() -> None:
    hub = _vnet("hub", [{"name": "to-spoke"}])
    spoke = _vnet("spoke")
    peering = res(
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "spoke::to-hub",
        {"properties": {"remoteVirtualNetwork": {"id": Ref("hub")}}},
    )

    found = run(
        t.spoke_zone_links, ACCOUNT, hub, spoke, peering, _zone(), _link("l1", "hub")
    )

    assert [(f.resource, f.status) for f in found] == [
        ("hub", Status.PASS),
        ("spoke", Status.FAIL),
    ]
    assert found[1].message == f"spoke: is peered but not linked to {ZONE_NAME}"


def test_peered_vnet_without_ai_zones_in_the_code_is_unresolved() -> None:
    found = only(t.spoke_zone_links, ACCOUNT, _vnet("hub", [{"name": "p"}]))

    assert found.status is Status.UNRESOLVED


def _store(type_: str, **properties: Any) -> Resource:
    return res(type_, "store", {"properties": properties}, BICEP)


def test_private_store_passes_public_or_default_fails() -> None:
    private = _store("Microsoft.Search/searchServices", publicNetworkAccess="disabled")
    endpoint = res(
        "Microsoft.Network/privateEndpoints",
        "pe",
        {"privateLinkServiceConnections": [{"privateLinkServiceId": Ref("store")}]},
        BICEP,
    )
    default = _store("Microsoft.KeyVault/vaults")

    passed = only(t.private_stores, ACCOUNT, private, endpoint)
    assert (passed.status, passed.message) == (
        Status.PASS,
        "store: accepts no public traffic, reached through pe",
    )
    assert passed.location is not None and passed.location.line == 3
    assert only(t.private_stores, ACCOUNT, default).status is Status.FAIL


def test_terraform_store_and_unresolved_access() -> None:
    open_store = res(
        "azurerm_storage_account",
        "azurerm_storage_account.s",
        {"public_network_access_enabled": True},
        TF,
    )
    unknown = res(
        "azurerm_key_vault",
        "azurerm_key_vault.k",
        {"public_network_access_enabled": Unresolved("var.x", "no value")},
        TF,
    )

    found = run(t.private_stores, ACCOUNT, open_store, unknown)

    assert [f.status for f in found] == [Status.FAIL, Status.UNRESOLVED]


def test_stores_and_vnets_are_judged_only_next_to_an_ai_account() -> None:
    assert run(t.private_stores, _store("Microsoft.KeyVault/vaults")) == []
    assert run(t.spoke_zone_links, _vnet("vnet")) == []


def _firewall() -> Resource:
    return res("Microsoft.Network/azureFirewalls", "fw", {"name": "fw"}, BICEP)


def _diagnostics(logs: list[Any]) -> Resource:
    return res(
        "Microsoft.Insights/diagnosticSettings",
        "fwdiag",
        {"scope": Ref("fw"), "properties": {"logs": logs}},
        BICEP,
    )


def test_firewall_logs_pass_with_enabled_logs_and_fail_without() -> None:
    logging = _diagnostics([{"category": "AZFWApplicationRule", "enabled": True}])
    silent = _diagnostics([{"category": "AZFWApplicationRule", "enabled": False}])

    passed = only(o.firewall_logs, ACCOUNT, _firewall(), logging)
    assert (passed.status, passed.resource) == (Status.PASS, "fwdiag")
    failed = only(o.firewall_logs, ACCOUNT, _firewall(), silent)
    assert failed.message == "fw keeps no log of the traffic it allows or denies"
    assert only(o.firewall_logs, ACCOUNT, _firewall()).status is Status.FAIL


def _project() -> Resource:
    return res("Microsoft.CognitiveServices/accounts/projects", "acct::proj", {}, BICEP)


def _connection(name: str, category: Any) -> Resource:
    return res(
        "Microsoft.CognitiveServices/accounts/projects/connections",
        f"acct::proj::{name}",
        {"properties": {"category": category}},
        BICEP,
        line=20,
    )


def test_project_tracing_is_shown_at_its_app_insights_connection() -> None:
    found = only(
        o.project_tracing,
        ACCOUNT,
        _project(),
        _connection("search", "CognitiveSearch"),
        _connection("insights", "AppInsights"),
    )

    assert (found.status, found.resource) == (Status.PASS, "acct::proj::insights")
    assert found.message == (
        "acct::proj::insights connects acct::proj to Application Insights"
    )
    assert found.location is not None and found.location.line == 20


def test_project_without_tracing_fails_unknown_category_is_unresolved() -> None:
    lonely = only(o.project_tracing, ACCOUNT, _project())
    unknown = _connection("x", Unresolved("category", "no value"))

    assert lonely.message == (
        "acct::proj has no Application Insights connection: agent runs are not traced"
    )
    assert only(o.project_tracing, ACCOUNT, _project(), unknown).status is (
        Status.UNRESOLVED
    )
