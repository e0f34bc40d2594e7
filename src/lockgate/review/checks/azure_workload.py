"""Azure checks on what calls the AI account: the App Service app in front of it,
the role assignments that let callers in, and the client virtual machines.

Each check looks only at deployments that create an AI account; an app or VM
elsewhere is outside the review.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Finding, Resource, Status

from .azure import ACCOUNT_TYPES, accounts, local_auth
from .azure_network import ENDPOINT_TYPES
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    evidence_of,
    first_block,
    holds_unresolved,
    is_existing,
    judge_each,
    mentions,
    text,
    truthy,
)

WEB_APPS = (
    "Microsoft.Web/sites",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
)
ROLE_ASSIGNMENTS = (
    "azurerm_role_assignment",
    "Microsoft.Authorization/roleAssignments",
)
VIRTUAL_MACHINES = (
    "Microsoft.Compute/virtualMachines",
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
)

Path = tuple[str | int, ...]


def app_private_access(context: CheckContext) -> list[Finding]:
    """LG-CONN-040: apps of an AI deployment take no public traffic and send all
    of theirs through their virtual network."""
    if not accounts(context):
        return []
    return judge_each(
        "LG-CONN-040",
        context.declared(*WEB_APPS),
        lambda app: _app_verdict(context, app),
    )


def _app_verdict(context: CheckContext, app: Resource) -> Verdict:
    public_path, public = _app_public_access(app)
    route_path, route_all = _app_route_all(app)
    subnet_path = _arm(app, "virtualNetworkSubnetId", "virtual_network_subnet_id")
    endpoint = _app_endpoint(context, app)

    evidence = [
        evidence_of(app, *public_path),
        evidence_of(app, *route_path),
        evidence_of(app, *subnet_path),
        f"private endpoint: {endpoint.address if endpoint else 'none'}",
    ]
    if public is None or route_all is None or holds_unresolved(app.get(*subnet_path)):
        return Verdict(
            Status.UNRESOLVED,
            "private access cannot be worked out",
            public_path,
            evidence,
        )
    if public:
        return Verdict(Status.FAIL, "accepts public traffic", public_path, evidence)
    if app.get(*subnet_path) is None or not route_all:
        message = "sends only part of its traffic through its virtual network"
        return Verdict(Status.FAIL, message, route_path, evidence)
    via = f" behind {endpoint.address}" if endpoint else ""
    message = f"takes no public traffic{via} and routes all traffic through its VNet"
    return Verdict(Status.PASS, message, public_path, evidence)


def _arm(app: Resource, arm_name: str, terraform_name: str) -> Path:
    if app.type.lower().startswith("azurerm_"):
        return (terraform_name,)
    return ("properties", arm_name)


def _app_public_access(app: Resource) -> tuple[Path, bool | None]:
    """Whether the app accepts public traffic; the platform default is yes."""
    path = _arm(app, "publicNetworkAccess", "public_network_access_enabled")
    value = app.get(*path)
    if value is None:
        return path, True
    if app.type.lower().startswith("azurerm_"):
        return path, truthy(value)
    shown = text(value)
    return path, None if shown is None else shown.lower() != "disabled"


def _app_route_all(app: Resource) -> tuple[Path, bool | None]:
    """Whether all outbound traffic goes through the VNet (off by default)."""
    if app.type.lower().startswith("azurerm_"):
        block = first_block(app.get("site_config"))
        value = block.get("vnet_route_all_enabled") if isinstance(block, dict) else None
        index: Path = (0,) if isinstance(app.get("site_config"), list) else ()
        path: Path = ("site_config", *index, "vnet_route_all_enabled")
    else:
        path = ("properties", "vnetRouteAllEnabled")
        value = app.get(*path)
        if value is None:
            path = ("properties", "siteConfig", "vnetRouteAllEnabled")
            value = app.get(*path)
    if value is None:
        return path, False
    return path, truthy(value)


def _app_endpoint(context: CheckContext, app: Resource) -> Resource | None:
    for endpoint in context.declared(*ENDPOINT_TYPES):
        if mentions(endpoint.attributes, app):
            return endpoint
    return None


def caller_roles(context: CheckContext) -> list[Finding]:
    """LG-IAM-040: callers reach each AI account through an Entra role."""
    ai_accounts = accounts(context)
    return judge_each(
        "LG-IAM-040",
        ai_accounts,
        lambda account: _caller_verdict(context, account, len(ai_accounts) == 1),
    )


def _caller_verdict(
    context: CheckContext, account: Resource, only_account: bool
) -> Verdict:
    grants = [
        a
        for a in context.declared(*ROLE_ASSIGNMENTS)
        if _scoped_to(context, a.get("scope"), account, only_account)
    ]
    if grants:
        names = ", ".join(g.address for g in grants)
        evidence = [f"{g.address} ({g.location})" for g in grants]
        message = f"callers are granted roles by {names}"
        return Verdict(Status.PASS, message, (), evidence)

    _, keys_on = local_auth(account)
    implied = (
        "callers are left with its keys"
        if keys_on
        else "the grant must be made outside the reviewed code"
    )
    evidence = [f"no role assignment is scoped to {account.address}"]
    message = f"no role assignment in the reviewed code; {implied}"
    return Verdict(Status.UNRESOLVED, message, (), evidence)


def _scoped_to(
    context: CheckContext, scope: Any, account: Resource, only_account: bool
) -> bool:
    """Whether ``scope`` is the account, or an ``existing`` declaration of it."""
    if scope is None:
        return False
    if mentions(scope, account):
        return True
    if not only_account:
        return False
    existing = [
        r
        for r in context.inventory.of_type(*ACCOUNT_TYPES)
        if is_existing(r) and r.address != account.address
    ]
    return any(mentions(scope, r) for r in existing)


def boot_diagnostics(context: CheckContext) -> list[Finding]:
    """LG-OBS-042: virtual machines of an AI deployment keep boot diagnostics."""
    if not accounts(context):
        return []
    return judge_each("LG-OBS-042", context.declared(*VIRTUAL_MACHINES), _boot_verdict)


def _boot_verdict(vm: Resource) -> Verdict:
    if vm.type.lower().startswith("azurerm_"):
        blocks = as_list(vm.get("boot_diagnostics"))
        if holds_unresolved(vm.get("boot_diagnostics")):
            return Verdict(
                Status.UNRESOLVED,
                "boot diagnostics cannot be worked out",
                ("boot_diagnostics",),
            )
        if blocks:
            return Verdict(Status.PASS, "keeps boot diagnostics", ("boot_diagnostics",))
        return Verdict(Status.FAIL, "has no boot diagnostics", ("boot_diagnostics",))

    path: Path = ("properties", "diagnosticsProfile", "bootDiagnostics", "enabled")
    value = vm.get(*path)
    if holds_unresolved(value):
        return Verdict(Status.UNRESOLVED, "boot diagnostics cannot be worked out", path)
    if truthy(value):
        return Verdict(Status.PASS, "keeps boot diagnostics", path)
    if value is None:
        return Verdict(Status.FAIL, "has no boot diagnostics (not set)", path)
    return Verdict(Status.FAIL, "has boot diagnostics disabled", path)


CHECKS: tuple[Check, ...] = (app_private_access, caller_roles, boot_diagnostics)
