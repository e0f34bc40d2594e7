"""Measured baselines from the gateway's SQLite ledger, opened read-only.

The ledger keeps one row per call. Spend per day needs a cost column and apps an
app column; the ledger has neither yet, so until it does spend per day is left
empty and tokens per request are grouped by model alias instead of by app.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from lockgate.errors import UsageError

_COST_COLUMNS = ("cost_usd", "cost")
_APP_COLUMNS = ("app", "app_id")


class LedgerHistory:
    """Read the ``ledger`` table of a gateway store."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise UsageError(
                f"gateway store '{path}' does not exist; pass the ledger file the "
                "gateway writes (server.ledger_path)"
            )
        self._path = path

    def _columns(self, db: sqlite3.Connection) -> set[str]:
        return {row[1] for row in db.execute("PRAGMA table_info(ledger)")}

    def _open(self) -> sqlite3.Connection:
        uri = f"{self._path.resolve().as_uri()}?mode=ro"
        try:
            return sqlite3.connect(uri, uri=True, timeout=5)
        except sqlite3.Error as error:
            raise UsageError(
                f"cannot open gateway store '{self._path}': {error}"
            ) from error

    def _app(self, columns: set[str]) -> str:
        return next((c for c in _APP_COLUMNS if c in columns), "model_alias")

    def spend_per_day(self) -> list[tuple[str, str, float]]:
        with closing(self._open()) as db:
            columns = self._columns(db)
            cost = next((c for c in _COST_COLUMNS if c in columns), None)
            if cost is None:
                return []
            rows = db.execute(
                f"SELECT date(recorded_at, 'unixepoch'), {self._app(columns)}, "
                f"SUM({cost}) FROM ledger GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
        return [(str(d), str(a), float(s or 0.0)) for d, a, s in rows]

    def tokens_per_request(self) -> list[tuple[str, float]]:
        with closing(self._open()) as db:
            columns = self._columns(db)
            if not {"input_tokens", "output_tokens"} <= columns:
                return []
            rows = db.execute(
                f"SELECT {self._app(columns)}, AVG(input_tokens + output_tokens) "
                "FROM ledger GROUP BY 1 ORDER BY 1"
            ).fetchall()
        return [(str(a), round(float(t or 0.0), 1)) for a, t in rows]
