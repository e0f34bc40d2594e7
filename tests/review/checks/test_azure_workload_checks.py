"""The Azure checks on what calls the AI account: App Service apps, role
assignments on the account and client virtual machines."""

from __future__ import annotations

from typing import Any

from check_helpers import ARM, BICEP, TF, account, only, res, run

from lockgate.review.checks import azure_workload as w
from lockgate.review.model import Ref, Resource, Status, Unresolved

ACCOUNT = account("acct", {"disableLocalAuth": True}, BICEP, kind="OpenAI")
KEYED = account("keyed", {}, ARM, kind="OpenAI")


def _site(**properties: Any) -> Resource:
    return res("Microsoft.Web/sites", "app", {"properties": properties}, BICEP)


def test_private_app_routing_all_traffic_through_its_vnet_passes() -> None:
    app = _site(
        publicNetworkAccess="Disabled",
        virtualNetworkSubnetId=Ref("subnet", "id"),
        vnetRouteAllEnabled=True,
    )
    endpoint = res(
        "Microsoft.Network/privateEndpoints",
        "pe-app",
        {"privateLinkServiceConnections": [{"privateLinkServiceId": Ref("app")}]},
        BICEP,
    )

    found = only(w.app_private_access, ACCOUNT, app, endpoint)

    assert found.status is Status.PASS
    assert found.message == (
        "app: takes no public traffic behind pe-app and routes all traffic "
        "through its VNet"
    )
    assert found.location is not None and found.location.line == 3


def test_app_public_by_default_fails() -> None:
    found = only(w.app_private_access, ACCOUNT, _site(vnetRouteAllEnabled=True))

    assert (found.status, found.message) == (Status.FAIL, "app: accepts public traffic")


def test_private_app_without_route_all_fails_at_the_route_setting() -> None:
    app = _site(publicNetworkAccess="Disabled", virtualNetworkSubnetId="/sub/x")

    found = only(w.app_private_access, ACCOUNT, app)

    assert found.status is Status.FAIL
    assert found.message == (
        "app: sends only part of its traffic through its virtual network"
    )


def test_terraform_app_reads_site_config_and_unresolved_stays_unresolved() -> None:
    good = res(
        "azurerm_linux_web_app",
        "azurerm_linux_web_app.chat",
        {
            "public_network_access_enabled": False,
            "virtual_network_subnet_id": Ref("azurerm_subnet.app", "id"),
            "site_config": [{"vnet_route_all_enabled": True}],
        },
        TF,
    )
    unknown = res(
        "azurerm_linux_web_app",
        "azurerm_linux_web_app.other",
        {"public_network_access_enabled": Unresolved("var.public", "no value")},
        TF,
    )
    tf_account = res("azurerm_cognitive_account", "azurerm_cognitive_account.a", {})

    found = run(w.app_private_access, tf_account, good, unknown)

    assert [f.status for f in found] == [Status.PASS, Status.UNRESOLVED]


def test_apps_are_judged_only_next_to_an_ai_account() -> None:
    assert run(w.app_private_access, _site(publicNetworkAccess="Enabled")) == []


def test_role_assignment_on_the_account_passes() -> None:
    grant = res(
        "Microsoft.Authorization/roleAssignments",
        "grant",
        {"scope": Ref("acct"), "properties": {"roleDefinitionId": Ref("role", "id")}},
        BICEP,
    )

    found = only(w.caller_roles, ACCOUNT, grant)

    assert (found.status, found.message) == (
        Status.PASS,
        "acct: callers are granted roles by grant",
    )


def test_grant_on_an_existing_declaration_of_the_only_account_passes() -> None:
    existing = account(
        "web/acct", {}, BICEP, kind="OpenAI", __meta__={"existing": True}
    )
    grant = res(
        "Microsoft.Authorization/roleAssignments",
        "web/grant",
        {"scope": Ref("web/acct")},
        BICEP,
    )

    assert only(w.caller_roles, ACCOUNT, existing, grant).status is Status.PASS


def test_no_role_assignment_is_unresolved_and_names_the_key_path() -> None:
    keyed = only(w.caller_roles, KEYED)
    keyless = only(w.caller_roles, ACCOUNT)

    assert keyed.status is Status.UNRESOLVED
    assert keyed.message == (
        "keyed: no role assignment in the reviewed code; callers are left with its keys"
    )
    assert keyless.message == (
        "acct: no role assignment in the reviewed code; the grant must be made "
        "outside the reviewed code"
    )
    assert keyed.location is not None and keyed.location.line == 1


def _vm(profile: dict[str, Any] | None) -> Resource:
    properties = {} if profile is None else {"diagnosticsProfile": profile}
    return res(
        "Microsoft.Compute/virtualMachines", "vm", {"properties": properties}, ARM
    )


def test_boot_diagnostics_of_arm_vms() -> None:
    on = _vm({"bootDiagnostics": {"enabled": True}})
    off = _vm({"bootDiagnostics": {"enabled": False}})
    unknown = _vm({"bootDiagnostics": {"enabled": Unresolved("[x]", "unknown")}})

    assert only(w.boot_diagnostics, KEYED, on).status is Status.PASS
    assert only(w.boot_diagnostics, KEYED, off).message == (
        "vm: has boot diagnostics disabled"
    )
    assert only(w.boot_diagnostics, KEYED, _vm(None)).status is Status.FAIL
    assert only(w.boot_diagnostics, KEYED, unknown).status is Status.UNRESOLVED


def test_boot_diagnostics_of_terraform_vms_is_the_block() -> None:
    def vm(name: str, **attributes: Any) -> Resource:
        return res("azurerm_windows_virtual_machine", name, attributes, TF)

    found = run(w.boot_diagnostics, KEYED, vm("with", boot_diagnostics=[{}]), vm("no"))

    assert [(f.resource, f.status) for f in found] == [
        ("with", Status.PASS),
        ("no", Status.FAIL),
    ]


def test_vms_are_judged_only_next_to_an_ai_account() -> None:
    assert run(w.boot_diagnostics, _vm(None)) == []
