"""Terraform declarations that make no instance are kept apart, as NONE."""

from __future__ import annotations

from pathlib import Path

from lockgate.review.engine import run_checks
from lockgate.review.loaders import load_paths
from lockgate.review.model import Location, Multiplicity, Status

MODULE = {
    "variables.tf": (
        'variable "private_endpoint" {\n'  # 1
        "  default = {}\n"
        "}\n"
        'variable "diagnostics" {\n'  # 4
        "  default = false\n"
        "}\n"
    ),
    "main.tf": (
        'resource "azurerm_cognitive_account" "this" {\n'  # 1
        '  kind = "OpenAI"\n'
        "}\n"
        'resource "azurerm_private_endpoint" "this" {\n'  # 4
        "  for_each = var.private_endpoint\n"  # 5
        "  private_service_connection {\n"
        "    private_connection_resource_id = azurerm_cognitive_account.this.id\n"
        '    subresource_names              = ["account"]\n'
        "  }\n"
        "}\n"
        'resource "azurerm_monitor_diagnostic_setting" "this" {\n'  # 11
        "  count              = var.diagnostics ? 1 : 0\n"  # 12
        "  target_resource_id = azurerm_cognitive_account.this.id\n"
        "}\n"
    ),
}


def _write(folder: Path) -> None:
    for name, text in MODULE.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_zero_instance_resources_are_kept_apart_as_none(tmp_path: Path) -> None:
    _write(tmp_path)

    inventory = load_paths([tmp_path])

    assert [r.address for r in inventory.resources] == [
        "azurerm_cognitive_account.this"
    ]
    assert [(r.address, r.multiplicity, r.location) for r in inventory.not_created] == [
        (
            "azurerm_private_endpoint.this",
            Multiplicity.NONE,
            Location("main.tf", 4),
        ),
        (
            "azurerm_monitor_diagnostic_setting.this",
            Multiplicity.NONE,
            Location("main.tf", 11),
        ),
    ]
    assert inventory.by_address("azurerm_private_endpoint.this") is None


def test_a_zero_instance_resource_knows_what_switched_it_off(tmp_path: Path) -> None:
    _write(tmp_path)

    endpoint, setting = load_paths([tmp_path]).not_created

    assert endpoint.origin_of("for_each") == Location("variables.tf", 1)
    assert setting.origin_of("count") == Location("variables.tf", 4)


def test_missing_endpoint_and_diagnostics_point_at_the_switched_off_declarations(
    tmp_path: Path,
) -> None:
    _write(tmp_path)

    result = run_checks(load_paths([tmp_path]))
    by_check = {
        f.check.id: (f.status, f.resource, f.location, f.origin)
        for f in result.findings
        if f.check.id in ("LG-CONN-009", "LG-OBS-006")
    }

    assert by_check == {
        "LG-CONN-009": (
            Status.FAIL,
            "azurerm_private_endpoint.this",
            Location("main.tf", 4),
            Location("variables.tf", 1),
        ),
        "LG-OBS-006": (
            Status.FAIL,
            "azurerm_monitor_diagnostic_setting.this",
            Location("main.tf", 11),
            Location("variables.tf", 4),
        ),
    }


def test_without_a_switched_off_declaration_the_account_is_blamed(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "azurerm_cognitive_account" "this" {\n  kind = "OpenAI"\n}\n',
        encoding="utf-8",
    )

    result = run_checks(load_paths([tmp_path]))
    found = {
        f.check.id: (f.status, f.resource, f.location, f.origin)
        for f in result.findings
        if f.check.id in ("LG-CONN-009", "LG-OBS-006")
    }

    account = ("azurerm_cognitive_account.this", Location("main.tf", 1), None)
    assert found == {
        "LG-CONN-009": (Status.FAIL, *account),
        "LG-OBS-006": (Status.FAIL, *account),
    }
