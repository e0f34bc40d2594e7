from __future__ import annotations

import pytest

from lockgate.review.checks.catalog import CATALOG
from lockgate.review.checks.support import CheckContext
from lockgate.review.engine import compute_gates, run_checks
from lockgate.review.model import Area, Finding, GateStatus, Inventory, Status


def _finding(check_id: str, status: Status) -> Finding:
    return Finding(check=CATALOG[check_id], status=status, message="m")


def test_gates_come_in_dependency_order() -> None:
    gates = compute_gates([])

    assert [g.area for g in gates] == [
        Area.CONNECTIVITY,
        Area.IDENTITY,
        Area.DATA_PERIMETER,
        Area.OBSERVABILITY,
        Area.COST,
    ]
    assert all(g.status is GateStatus.PASS for g in gates)


def test_failed_connectivity_blocks_the_later_gates_but_not_identity() -> None:
    gates = compute_gates(
        [_finding("LG-CONN-007", Status.FAIL), _finding("LG-COST-006", Status.FAIL)]
    )

    by_area = {g.area: g for g in gates}
    assert by_area[Area.CONNECTIVITY].status is GateStatus.FAIL
    assert by_area[Area.CONNECTIVITY].failed == 1
    assert by_area[Area.IDENTITY].status is GateStatus.PASS
    for area in (Area.DATA_PERIMETER, Area.OBSERVABILITY, Area.COST):
        assert by_area[area].status is GateStatus.BLOCKED
        assert by_area[area].blocked_by == [Area.CONNECTIVITY]
    assert by_area[Area.COST].failed == 1


def test_both_foundations_failing_are_both_named_in_blocked_by() -> None:
    gates = compute_gates(
        [_finding("LG-CONN-007", Status.FAIL), _finding("LG-IAM-008", Status.FAIL)]
    )

    assert gates[2].blocked_by == [Area.CONNECTIVITY, Area.IDENTITY]
    assert gates[1].blocked_by == []


def test_unresolved_finding_keeps_its_gate_from_passing() -> None:
    gates = compute_gates([_finding("LG-IAM-008", Status.UNRESOLVED)])

    assert gates[1].status is GateStatus.FAIL
    assert gates[1].unresolved == 1
    assert gates[1].failed == 0
    assert gates[3].status is GateStatus.BLOCKED
    assert gates[3].blocked_by == [Area.IDENTITY]


def test_later_gate_failure_does_not_block_anything() -> None:
    gates = compute_gates([_finding("LG-OBS-006", Status.FAIL)])

    assert [g.status for g in gates] == [
        GateStatus.PASS,
        GateStatus.PASS,
        GateStatus.PASS,
        GateStatus.FAIL,
        GateStatus.PASS,
    ]


def test_not_applicable_and_pass_findings_do_not_fail_a_gate() -> None:
    gates = compute_gates(
        [
            _finding("LG-CONN-007", Status.PASS),
            _finding("LG-CONN-008", Status.NOT_APPLICABLE),
        ]
    )

    assert gates[0].status is GateStatus.PASS


def test_run_checks_returns_the_whole_catalog_and_the_inventory() -> None:
    inventory = Inventory(root=".")

    result = run_checks(inventory)

    assert result.inventory is inventory
    assert {c.id for c in result.catalog} == set(CATALOG)
    assert len(result.gates) == 5


def test_every_catalog_id_is_stable_in_form_and_has_a_fix() -> None:
    for check_id, spec in CATALOG.items():
        assert spec.id == check_id
        prefix = check_id.rsplit("-", 1)[0]
        assert prefix in {"LG-CONN", "LG-IAM", "LG-DATA", "LG-OBS", "LG-COST", "LG-GW"}
        assert spec.fix, check_id


def test_gateway_settings_are_reviewed_with_the_code() -> None:
    from lockgate.config.settings import Settings

    settings = Settings.model_validate(
        {
            "server": {"auth": "none"},
            "upstreams": [
                {"name": "br", "kind": "bedrock_converse", "region": "us-east-1"}
            ],
            "models": [{"alias": "m", "upstream": "br", "upstream_model": "x"}],
        }
    )

    result = run_checks(Inventory(root="."), settings)

    gateway = {
        (f.check.id, f.status)
        for f in result.findings
        if f.check.id.startswith("LG-GW")
    }
    assert gateway == {
        ("LG-GW-002", Status.FAIL),
        ("LG-GW-005", Status.FAIL),
        ("LG-GW-006", Status.PASS),
    }
    assert result.gates[0].status is GateStatus.FAIL
    assert result.gates[2].blocked_by == [Area.CONNECTIVITY, Area.IDENTITY]


def test_a_broken_check_becomes_a_note_and_the_review_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(context: CheckContext) -> list[Finding]:
        raise KeyError("boom")

    def fine(context: CheckContext) -> list[Finding]:
        return [_finding("LG-CONN-007", Status.PASS)]

    result = run_checks(Inventory(root="."), checks=(broken, fine))

    assert [f.check.id for f in result.findings] == ["LG-CONN-007"]
    assert result.notes == [
        "check broken could not run (KeyError); its findings are missing from this "
        "review"
    ]
    assert "check broken failed" in caplog.text


def test_findings_come_sorted_by_gate_then_check_id() -> None:
    def unordered(context: CheckContext) -> list[Finding]:
        return [
            _finding("LG-COST-006", Status.FAIL),
            _finding("LG-IAM-008", Status.FAIL),
            _finding("LG-CONN-009", Status.FAIL),
            _finding("LG-CONN-007", Status.FAIL),
        ]

    result = run_checks(Inventory(root="."), checks=(unordered,))

    assert [f.check.id for f in result.findings] == [
        "LG-CONN-007",
        "LG-CONN-009",
        "LG-IAM-008",
        "LG-COST-006",
    ]
