"""Azure findings of the realworld EXPECTED.md files that the checks in
``azure_workload``, ``azure_governance``, ``azure_topology``,
``azure_operations`` and ``azure_models`` report, asserted like the main table
(and one Azure finding a generic check reports: a registry-module network).

Rows follow the format of ``test_realworld_expected`` (read its docstring); each
is judged by that module's own assertion, so both tables mean the same thing.
"""

from __future__ import annotations

import pytest
import test_realworld_expected as table
from test_realworld_expected import (
    CKV,
    CKV_TF,
    E2E,
    E2E_DIR,
    FAIL,
    PASS,
    QS,
    TAO,
    TAO_B,
    UNRESOLVED,
    Expected,
    Q,
    _e,
    _label,
    _whole,
)

from lockgate.review.model import Unresolved

AZURE_GENERIC: tuple[Expected, ...] = (
    # azure-openai-e2e-baseline
    _e(E2E, ".", "LG-CONN-040", PASS, f"{E2E_DIR}/web-app.bicep", 192),
    _e(E2E, ".", "LG-CONN-041", UNRESOLVED, f"{E2E_DIR}/network.bicep", 39, 221),
    _e(E2E, ".", "LG-CONN-042", PASS, f"{E2E_DIR}/ai-agent-blob-storage.bicep", 57),
    _e(E2E, ".", "LG-CONN-042", PASS, f"{E2E_DIR}/ai-search.bicep", 58),
    _e(E2E, ".", "LG-CONN-042", PASS, f"{E2E_DIR}/cosmos-db.bicep", 56),
    _e(E2E, ".", "LG-CONN-042", PASS, f"{E2E_DIR}/key-vault.bicep", 67),
    _e(E2E, ".", "LG-DATA-040", PASS, f"{E2E_DIR}/azure-firewall.bicep", 249, 256),
    _e(E2E, ".", "LG-DATA-041", PASS, f"{E2E_DIR}/ai-foundry.bicep", 107),
    _e(E2E, ".", "LG-OBS-040", PASS, f"{E2E_DIR}/main.bicep", 54, 69),
    _e(E2E, ".", "LG-OBS-041", PASS, f"{E2E_DIR}/azure-policies.bicep", 85, 116),
    _e(E2E, ".", "LG-OBS-043", PASS, f"{E2E_DIR}/azure-firewall.bicep", 261, 390),
    _e(E2E, ".", "LG-OBS-044", PASS, f"{E2E_DIR}/ai-foundry-project.bicep", 213, 232),
    # azure-openai-private-endpoint-quickstart (Bicep and its compiled ARM)
    _e(QS, ".", "LG-CONN-041", UNRESOLVED, f"{Q}/main.bicep", 103, 152),
    _whole(QS, ".", "LG-IAM-040", UNRESOLVED, f"{Q}/main.bicep"),
    _e(QS, ".", "LG-OBS-042", FAIL, f"{Q}/main.bicep", 299, 303),
    _e(QS, ".", "LG-OBS-042", FAIL, f"{Q}/azuredeploy.json", 407, 411),
    # terraform-azurerm-openai B: the VNet comes from a registry module
    _e(TAO, TAO_B, "LG-DATA-103", UNRESOLVED, f"{TAO_B}/network.tf", 1, 15),
)


@pytest.mark.parametrize("expected", AZURE_GENERIC, ids=_label)
def test_review_reports_the_azure_findings_expected_md_says(
    expected: Expected,
) -> None:
    table.test_review_reports_what_expected_md_says(expected)


def test_checkov_accounts_keep_their_undefined_resource_group_unresolved() -> None:
    """checkov-known-answers, Terraform CKV_AZURE_236: ``azurerm_resource_group.
    example`` is not defined, so location and resource-group name are unresolved
    references at main.tf:3-4, 16-17 and 30-31, and the file reads without error.
    """
    result = table._review(CKV, ".")
    accounts = {
        r.address: r
        for r in result.inventory.resources
        if r.type == "azurerm_cognitive_account"
    }

    lines = {}
    for address, resource in sorted(accounts.items()):
        for key in ("location", "resource_group_name"):
            value = resource.get(key)
            assert isinstance(value, Unresolved), (address, key, value)
            assert value.expression.startswith("azurerm_resource_group.example.")
        where = (
            resource.location_of("location"),
            resource.location_of("resource_group_name"),
        )
        assert {table._where(result, CKV, w.file) for w in where} == {CKV_TF}
        lines[address] = tuple(w.line for w in where)

    assert lines == {
        "azurerm_cognitive_account.fail": (3, 4),
        "azurerm_cognitive_account.fail2": (16, 17),
        "azurerm_cognitive_account.pass": (30, 31),
    }
    assert not [
        p
        for p in result.inventory.problems
        if table._where(result, CKV, p.file) == CKV_TF
    ]
