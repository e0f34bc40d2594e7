"""The usage ledger: one record per call, whatever its outcome.

``record`` appends to a list; the event loop commits the list to SQLite at most
``commit_every_s`` later, in one transaction. The write itself is quick (pages go to
SQLite's write-ahead log, which is not synced on every commit), so it runs on the
event loop; the slow part, copying the log into the database and syncing it
(a checkpoint), runs on a background thread.

Why not write from a thread: Python's sqlite3 gives up the GIL around every row it
inserts, and a thread competing with a busy event loop waits for the GIL once per
row; measured under load, such a writer fell behind and its queue grew without
bound. ``close()`` commits what is left, so a clean shutdown loses nothing. A batch
that cannot be written is kept and tried again on the next commit.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
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
_BATCH = 2048
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
_CHECKPOINT_EVERY_S = 1.0


class Ledger:
    """Commits usage records to a SQLite file in small batches."""

    def __init__(self, path: Path, *, commit_every_s: float = 0.05) -> None:
        self._path = path
        self._commit_every_s = commit_every_s
        self._buffer: list[LedgerRecord] = []
        self._commit_scheduled = False
        try:
            self._connection = _connect(path)
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"cannot open the ledger at {path}: {error}; set server.ledger_path "
                "to a writable file that is a SQLite database or does not exist yet"
            ) from None
        self._stop = threading.Event()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_forever, name="lockgate-ledger", daemon=True
        )
        self._checkpointer.start()

    @property
    def alive(self) -> bool:
        """Whether the ledger can still write; readiness reports false otherwise."""
        return self._checkpointer.is_alive() and not self._stop.is_set()

    def record(self, record: LedgerRecord) -> None:
        """Keep a record; it is committed within ``commit_every_s``."""
        self._buffer.append(record)
        if self._commit_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()  # called outside the event loop: commit at once
            return
        self._commit_scheduled = True
        loop.call_later(self._commit_every_s, self.flush)

    def flush(self) -> bool:
        """Commit every record kept so far; False if some could not be written."""
        self._commit_scheduled = False
        if self._buffer:
            self._commit()
        return not self._buffer

    def close(self) -> None:
        """Commit what is left, checkpoint, and close the file."""
        self.flush()
        if self._buffer:
            logger.warning(
                "ledger closed with %d records it could not write to %s",
                len(self._buffer),
                self._path,
            )
        self._stop.set()
        self._checkpointer.join()
        self._connection.close()

    def _commit(self) -> None:
        """Write the buffer in one transaction; on failure keep it for the next try."""
        batch = self._buffer
        try:
            with self._connection:
                self._connection.executemany(_INSERT, batch)
        except sqlite3.OperationalError:
            logger.exception(
                "could not write %d ledger records to %s; will retry",
                len(batch),
                self._path,
            )
            return
        except Exception:
            self._commit_one_by_one(batch)
        self._buffer = []

    def _commit_one_by_one(self, batch: list[LedgerRecord]) -> None:
        """Write each record alone, so one the database refuses cannot stop the rest."""
        for record in batch:
            try:
                with self._connection:
                    self._connection.execute(_INSERT, record)
            except Exception:
                logger.exception(
                    "dropped ledger record %s: the database refused its values",
                    record.request_id,
                )

    def _checkpoint_forever(self) -> None:
        """Copy the write-ahead log into the database file, once a second."""
        connection = sqlite3.connect(self._path, check_same_thread=False)
        try:
            while not self._stop.wait(_CHECKPOINT_EVERY_S):
                _checkpoint(connection)
            _checkpoint(connection)
        finally:
            connection.close()


def _checkpoint(connection: sqlite3.Connection) -> None:
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        logger.exception("ledger checkpoint failed; the write-ahead log keeps growing")


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL survives a crash of the process; only a power loss can undo
    # the last commits. It spares an fsync per commit.
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")  # the checkpointer thread does it
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
