"""LG-IAM-016: Terraform outputs that export an AI account's access key."""

from __future__ import annotations

from pathlib import Path

from lockgate.review.engine import run_checks
from lockgate.review.loaders import load_paths
from lockgate.review.model import Location, Ref, Status

ACCOUNT = 'resource "azurerm_cognitive_account" "ai" {\n  kind = "OpenAI"\n}\n'


def _review(folder: Path, outputs: str) -> list[tuple[Status, str | None, int]]:
    (folder / "main.tf").write_text(ACCOUNT, encoding="utf-8")
    (folder / "outputs.tf").write_text(outputs, encoding="utf-8")
    result = run_checks(load_paths([folder]))
    return [
        (f.status, f.resource, f.location.line if f.location else 0)
        for f in result.findings
        if f.check.id == "LG-IAM-016"
    ]


def test_outputs_are_loaded_apart_with_value_and_sensitive(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(ACCOUNT, encoding="utf-8")
    (tmp_path / "outputs.tf").write_text(
        'output "key" {\n'
        "  sensitive = true\n"
        "  value     = azurerm_cognitive_account.ai.primary_access_key\n"
        "}\n",
        encoding="utf-8",
    )

    inventory = load_paths([tmp_path])

    assert [r.address for r in inventory.resources] == ["azurerm_cognitive_account.ai"]
    (output,) = inventory.outputs
    assert (output.type, output.address, output.location) == (
        "output",
        "output.key",
        Location("outputs.tf", 1),
    )
    assert output.attributes == {
        "sensitive": True,
        "value": Ref("azurerm_cognitive_account.ai", "primary_access_key"),
    }


def test_a_sensitive_key_output_still_fails(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        'output "key" {\n'
        "  sensitive = true\n"
        "  value     = azurerm_cognitive_account.ai.secondary_access_key\n"
        "}\n",
    )

    assert found == [(Status.FAIL, "output.key", 3)]


def test_a_key_read_through_try_fails(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        'output "key" {\n'
        '  value = try(azurerm_cognitive_account.ai.primary_access_key, "")\n'
        "}\n",
    )

    assert found == [(Status.FAIL, "output.key", 2)]


def test_outputs_without_keys_pass_at_the_account(tmp_path: Path) -> None:
    found = _review(
        tmp_path,
        'output "endpoint" {\n  value = azurerm_cognitive_account.ai.endpoint\n}\n',
    )

    assert found == [(Status.PASS, "azurerm_cognitive_account.ai", 1)]


def test_no_outputs_no_finding(tmp_path: Path) -> None:
    found = _review(tmp_path, "")

    assert found == []
