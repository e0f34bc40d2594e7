from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from lockgate.review.deliverables.baseline import LedgerHistory

PLAIN_COLUMNS = (
    "recorded_at REAL, model_alias TEXT, input_tokens INTEGER, output_tokens INTEGER"
)


def day(text: str, hour: int) -> float:
    return (
        datetime.fromisoformat(f"{text}T{hour:02d}:00:00")
        .replace(tzinfo=UTC)
        .timestamp()
    )


def ledger(path: Path, columns: str, rows: list[tuple[object, ...]]) -> Path:
    with sqlite3.connect(path) as db:
        db.execute(f"CREATE TABLE ledger ({columns})")
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO ledger VALUES ({marks})", rows)
    db.close()
    return path


def test_spend_per_day_per_app_when_the_ledger_records_cost_and_app(tmp_path):
    path = ledger(
        tmp_path / "l.sqlite3",
        "recorded_at REAL, app TEXT, model_alias TEXT, input_tokens INTEGER, "
        "output_tokens INTEGER, cost_usd REAL",
        [
            (day("2026-12-01", 9), "chat", "m", 100, 50, 0.25),
            (day("2026-12-01", 23), "chat", "m", 10, 10, 0.5),
            (day("2026-12-02", 1), "chat", "m", 40, 0, 1.0),
            (day("2026-12-02", 2), "search", "m", 7, 1, 0.125),
        ],
    )
    history = LedgerHistory(path)

    assert history.spend_per_day() == [
        ("2026-12-01", "chat", 0.75),
        ("2026-12-02", "chat", 1.0),
        ("2026-12-02", "search", 0.125),
    ]
    assert history.tokens_per_request() == [("chat", 70.0), ("search", 8.0)]


def test_ledger_without_cost_gives_no_spend_and_groups_by_model(tmp_path):
    path = ledger(
        tmp_path / "l.sqlite3",
        PLAIN_COLUMNS,
        [(day("2026-12-01", 9), "gpt", 10, 5), (day("2026-12-01", 10), "gpt", 20, 0)],
    )
    history = LedgerHistory(path)

    assert history.spend_per_day() == []
    assert history.tokens_per_request() == [("gpt", 17.5)]


def test_the_store_is_opened_read_only(tmp_path):
    path = ledger(
        tmp_path / "l.sqlite3",
        PLAIN_COLUMNS,
        [(1.0, "gpt", 1, 1)],
    )
    before = path.read_bytes()
    LedgerHistory(path).tokens_per_request()

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.sqlite3"]
