"""The usage ledger: one record per call, whatever its outcome.

Records are appended from the event loop without waiting: a writer thread takes them
from a queue and commits them to SQLite in batches of up to 50 ms. ``close()`` drains
the queue before it returns, so a clean shutdown loses nothing. If a batch cannot be
written, the writer logs it, keeps the records and tries again on the next batch.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

from lockgate.errors import ConfigError

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger (
    request_id TEXT PRIMARY KEY,
    recorded_at REAL NOT NULL,
    wire TEXT NOT NULL,
    operation TEXT NOT NULL,
    model_alias TEXT NOT NULL,
    upstream TEXT NOT NULL,
    upstream_model TEXT NOT NULL,
    stream INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER NOT NULL,
    error_code TEXT,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    usage_estimated INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    upstream_request_id TEXT
)
"""
_BATCH = 512
_BATCH_WINDOW_S = 0.05
_STOP = object()


class LedgerRecord(NamedTuple):
    """One call's row; a tuple, so it goes to SQLite without conversion."""

    request_id: str
    recorded_at: float
    wire: str
    operation: str
    model_alias: str
    upstream: str
    upstream_model: str
    stream: bool
    outcome: str
    status: int
    error_code: str | None
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    cache_write_tokens: int
    reasoning_tokens: int
    usage_estimated: bool
    duration_ms: float
    upstream_request_id: str | None


_COLUMNS = LedgerRecord._fields
_INSERT = (
    f"INSERT OR REPLACE INTO ledger ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS)})"
)


class Ledger:
    """Appends usage records to a SQLite file from a background thread."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._written = threading.Condition()
        self._pending = 0
        try:
            _connect(path).close()
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"cannot open the ledger at {path}: {error}; set server.ledger_path "
                "to a writable file that is a SQLite database or does not exist yet"
            ) from None
        self._thread = threading.Thread(
            target=self._write_forever, name="lockgate-ledger", daemon=True
        )
        self._thread.start()

    def record(self, record: LedgerRecord) -> None:
        """Queue a record; it reaches the file within a moment."""
        with self._written:
            self._pending += 1
        self._queue.put(record)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued record is committed; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._written:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._written.wait(remaining)
        return True

    def close(self) -> None:
        """Write every queued record, then stop the writer."""
        self._queue.put(_STOP)
        self._thread.join()

    def _write_forever(self) -> None:
        connection = _connect(self._path)
        unwritten: list[LedgerRecord] = []
        try:
            while True:
                stop = self._take_batch(unwritten)
                self._commit(connection, unwritten)
                if stop:
                    if unwritten:
                        logger.warning(
                            "ledger writer stopped with %d records it could not write "
                            "to %s",
                            len(unwritten),
                            self._path,
                        )
                    return
        finally:
            connection.close()

    def _take_batch(self, batch: list[LedgerRecord]) -> bool:
        """Collect records for one commit; True when the ledger is closing.

        A batch waits at most ``_BATCH_WINDOW_S`` after its first record, so under
        load each commit carries many records instead of one.
        """
        item = self._queue.get()
        deadline = time.monotonic() + _BATCH_WINDOW_S
        while True:
            if item is _STOP:
                return True
            batch.append(item)
            remaining = deadline - time.monotonic()
            if len(batch) >= _BATCH or remaining <= 0:
                return False
            try:
                item = self._queue.get(timeout=remaining)
            except queue.Empty:
                return False

    @property
    def alive(self) -> bool:
        """Whether the writer is running; readiness reports false otherwise."""
        return self._thread.is_alive()

    def _commit(
        self, connection: sqlite3.Connection, batch: list[LedgerRecord]
    ) -> None:
        """Write a batch; on failure keep it for the next try, one bad row aside."""
        if not batch:
            return
        try:
            with connection:
                connection.executemany(_INSERT, batch)
        except sqlite3.OperationalError:
            logger.exception(
                "could not write %d ledger records to %s; will retry",
                len(batch),
                self._path,
            )
            return
        except Exception:
            self._commit_one_by_one(connection, batch)
        self._done(len(batch))
        batch.clear()

    def _commit_one_by_one(
        self, connection: sqlite3.Connection, batch: list[LedgerRecord]
    ) -> None:
        """Write each record alone, so one the database refuses cannot stop the rest."""
        for record in batch:
            try:
                with connection:
                    connection.execute(_INSERT, record)
            except Exception:
                logger.exception(
                    "dropped ledger record %s: the database refused its values",
                    record.request_id,
                )

    def _done(self, count: int) -> None:
        with self._written:
            self._pending -= count
            self._written.notify_all()


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL survives a crash of the process; only a power loss can undo
    # the last commits. It spares an fsync per commit.
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA cache_size=-256")  # KiB: a fixed, small footprint
    connection.execute(_SCHEMA)
    connection.commit()
    return connection


def read_records(path: Path, *, last: int = 20) -> list[dict[str, Any]]:
    """The most recent records of a ledger file, newest first."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute(
            "SELECT * FROM ledger ORDER BY recorded_at DESC LIMIT ?", (last,)
        ).fetchall()
    finally:
        connection.close()
    return [dict(row) for row in rows]
