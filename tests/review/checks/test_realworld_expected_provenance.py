"""EXPECTED.md findings whose evidence is where a value was set, not only where
it is used.

EXPECTED.md writes ``A → B`` when an input at A flows into the attribute at B,
and sometimes only A (the variable default, the local, the caller's argument).
Each row gives B (the finding's location) when EXPECTED.md names it, and A (the
finding's origin, one of several ranges when EXPECTED.md lists several). The
review, the file naming and the case constants are those of
``test_realworld_expected``.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from test_realworld_expected import (
    FAIL,
    HUB,
    PASS,
    QS,
    TAO,
    TAO_A,
    TAO_B,
    UNRESOLVED,
    Q,
    _review,
    _where,
)

from lockgate.review.engine import ReviewResult
from lockgate.review.model import Finding, Location, Status


class Span(NamedTuple):
    file: str  # relative to the case folder
    first: int
    last: int


class Cited(NamedTuple):
    case: str
    entry: str
    check: str
    status: Status
    at: Span | None  # the finding's location; None: EXPECTED.md names only A
    origins: tuple[Span, ...]  # the finding's origin lies in one of these


def _s(file: str, first: int, last: int | None = None) -> Span:
    return Span(file, first, first if last is None else last)


V = "variables.tf"
EX_A = f"{TAO_A}/main.tf"
EX_B = f"{TAO_B}/main.tf"

CITED: tuple[Cited, ...] = (
    # aws-hub-and-spoke: the endpoint list is a local
    Cited(HUB, ".", "LG-CONN-001", FAIL, None, (_s("locals.tf", 113, 141),)),
    # terraform-azurerm-openai A: public endpoint
    Cited(TAO, TAO_A, "LG-CONN-007", FAIL, _s("main.tf", 26), (_s(EX_A, 5),)),
    Cited(TAO, TAO_A, "LG-CONN-008", FAIL, _s("main.tf", 54, 70), (_s(V, 174, 194),)),
    Cited(TAO, TAO_A, "LG-IAM-008", FAIL, _s("main.tf", 24), (_s(V, 168, 172),)),
    Cited(TAO, TAO_A, "LG-IAM-009", FAIL, _s("main.tf", 46, 53), (_s(V, 154, 166),)),
    Cited(
        TAO,
        TAO_A,
        "LG-DATA-006",
        FAIL,
        _s("main.tf", 25),
        (_s(V, 148, 152), _s(V, 196, 200)),
    ),
    Cited(TAO, TAO_A, "LG-DATA-007", FAIL, _s("main.tf", 38, 45), (_s(V, 29, 41),)),
    Cited(
        TAO,
        TAO_A,
        "LG-COST-006",
        FAIL,
        _s("main.tf", 27, 36),
        (_s(V, 43, 48), _s(V, 264, 277)),
    ),
    Cited(TAO, TAO_A, "LG-COST-010", PASS, _s("main.tf", 86, 89), (_s(EX_A, 6, 14),)),
    # terraform-azurerm-openai A: controls declared with zero instances
    Cited(
        TAO,
        TAO_A,
        "LG-CONN-009",
        FAIL,
        _s("private_endpoint.tf", 7, 8),
        (_s(V, 223, 250),),
    ),
    Cited(
        TAO,
        TAO_A,
        "LG-OBS-006",
        FAIL,
        _s("diagnostic_setting.tf", 1, 2),
        (_s(V, 82, 134),),
    ),
    # terraform-azurerm-openai B: private endpoints
    Cited(TAO, TAO_B, "LG-OBS-006", FAIL, None, (_s(V, 82, 134),)),
    Cited(TAO, TAO_B, "LG-CONN-007", PASS, _s("main.tf", 26), (_s(V, 252, 256),)),
    Cited(TAO, TAO_B, "LG-CONN-008", PASS, None, (_s(V, 174, 194),)),
    Cited(TAO, TAO_B, "LG-IAM-008", FAIL, _s("main.tf", 24), (_s(V, 168, 172),)),
    Cited(TAO, TAO_B, "LG-IAM-009", FAIL, None, (_s(V, 154, 166),)),
    Cited(TAO, TAO_B, "LG-DATA-006", FAIL, _s("main.tf", 25), (_s(V, 196, 200),)),
    Cited(TAO, TAO_B, "LG-DATA-007", FAIL, None, (_s(V, 29, 41),)),
    Cited(TAO, TAO_B, "LG-COST-006", FAIL, None, (_s(V, 43, 48), _s(V, 264, 277))),
    Cited(TAO, TAO_B, "LG-COST-010", PASS, _s("main.tf", 88), (_s(EX_B, 17, 25),)),
)


def _inside(
    result: ReviewResult, case: str, where: Location | None, span: Span
) -> bool:
    return (
        where is not None
        and _where(result, case, where.file) == span.file
        and span.first <= where.line <= span.last
    )


def _matches(result: ReviewResult, row: Cited, finding: Finding) -> bool:
    if finding.check.id != row.check or finding.status is not row.status:
        return False
    if row.at is not None and not _inside(result, row.case, finding.location, row.at):
        return False
    return any(_inside(result, row.case, finding.origin, s) for s in row.origins)


def _label(row: Cited) -> str:
    at = f" at {row.at.file}:{row.at.first}-{row.at.last}" if row.at else ""
    origins = ",".join(f"{s.file}:{s.first}-{s.last}" for s in row.origins)
    return f"{row.case}[{row.entry}] {row.check} {row.status.value}{at} from {origins}"


@pytest.mark.parametrize("row", CITED, ids=_label)
def test_review_cites_where_the_value_was_set(row: Cited) -> None:
    result = _review(row.case, row.entry)

    matching = [f for f in result.findings if _matches(result, row, f)]

    seen = [
        (f.status.value, str(f.location), str(f.origin))
        for f in result.findings
        if f.check.id == row.check
    ]
    assert matching, f"{_label(row)} not reported; {row.check} gave {seen}"
    for finding in matching:
        assert finding.origin is not None
        assert f"value set at {finding.origin}" in finding.evidence


class Placed(NamedTuple):
    """A finding EXPECTED.md places at a location (None: no location)."""

    case: str
    entry: str
    check: str
    status: Status
    at: Span | None


PLACED: tuple[Placed, ...] = (
    # terraform-azurerm-openai: access keys exported as module outputs
    Placed(TAO, TAO_A, "LG-IAM-016", FAIL, _s("outputs.tf", 16, 26)),
    Placed(TAO, TAO_B, "LG-IAM-016", FAIL, _s("outputs.tf", 16, 26)),
    # quickstart: the capacity PASS, UNRESOLVED as the parser notes allow (the
    # Bicep loop and the ARM copy loop are not expanded)
    Placed(QS, ".", "LG-COST-010", UNRESOLVED, _s(f"{Q}/main.bicep", 171, 182)),
    Placed(QS, ".", "LG-COST-010", UNRESOLVED, _s(f"{Q}/azuredeploy.json", 253, 271)),
)


def _placed_label(row: Placed) -> str:
    at = f"{row.at.file}:{row.at.first}-{row.at.last}" if row.at else "-"
    return f"{row.case}[{row.entry}] {row.check} {row.status.value} {at}"


@pytest.mark.parametrize("row", PLACED, ids=_placed_label)
def test_review_reports_the_finding_where_expected_md_places_it(row: Placed) -> None:
    result = _review(row.case, row.entry)

    matching = [
        f
        for f in result.findings
        if f.check.id == row.check
        and f.status is row.status
        and (
            f.location is None
            if row.at is None
            else _inside(result, row.case, f.location, row.at)
        )
    ]

    seen = [(f.status.value, str(f.location)) for f in result.findings]
    assert matching, f"{_placed_label(row)} not reported; {row.check} gave {seen}"


@pytest.mark.parametrize("entry", [TAO_A, TAO_B])
def test_both_exported_keys_fail_and_nothing_else(entry: str) -> None:
    result = _review(TAO, entry)

    found = [
        (f.status, f.resource, _where(result, TAO, f.location.file), f.location.line)
        for f in result.findings
        if f.check.id == "LG-IAM-016" and f.location is not None
    ]

    assert found == [
        (FAIL, "module.openai.output.openai_primary_key", "outputs.tf", 19),
        (FAIL, "module.openai.output.openai_secondary_key", "outputs.tf", 25),
    ]
    assert [f for f in result.findings if f.check.id == "LG-IAM-016"] == [
        f for f in result.findings if f.check.id == "LG-IAM-016" and f.location
    ]


def test_quickstart_capacity_is_never_failed() -> None:
    result = _review(QS, ".")

    statuses = [f.status for f in result.findings if f.check.id == "LG-COST-010"]

    assert statuses == [UNRESOLVED, UNRESOLVED]


@pytest.mark.parametrize("entry", [TAO_A, TAO_B])
def test_findings_on_outputs_and_unmade_declarations_carry_the_terraform_fix(
    entry: str,
) -> None:
    result = _review(TAO, entry)
    inventory = result.inventory
    apart = {r.address for r in [*inventory.outputs, *inventory.not_created]}

    on_apart = [f for f in result.findings if f.resource in apart]

    assert sorted({f.check.id for f in on_apart}) == (
        ["LG-CONN-009", "LG-IAM-016", "LG-OBS-006"]
        if entry == TAO_A
        else ["LG-IAM-016", "LG-OBS-006"]
    )
    for finding in on_apart:
        assert finding.fix == finding.check.fix["terraform"]
        assert finding.location is not None
        assert finding.location.file in inventory.files
