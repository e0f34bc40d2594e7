"""The ledger keeps every record: batched on the loop, drained on close."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from lockgate.store.ledger import Ledger, LedgerRecord, read_records


def record(request_id: str, input_tokens: int = 5) -> LedgerRecord:
    return LedgerRecord(
        request_id=request_id,
        recorded_at=time.time(),
        wire="openai",
        operation="chat",
        model_alias="m",
        upstream="u",
        upstream_model="m",
        stream=False,
        outcome="ok",
        status=200,
        error_code=None,
        input_tokens=input_tokens,
        output_tokens=1,
        cached_input_tokens=0,
        cache_write_tokens=0,
        reasoning_tokens=0,
        usage_estimated=False,
        duration_ms=1.0,
        upstream_request_id=None,
    )


async def test_records_kept_on_the_loop_are_committed_shortly_after(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path, commit_every_s=0.01)

    for index in range(500):
        ledger.record(record(f"r{index}"))
    assert read_records(path, last=1000) == []
    await asyncio.sleep(0.1)

    assert len(read_records(path, last=1000)) == 500
    ledger.close()


async def test_close_commits_what_is_left(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path, commit_every_s=60)

    ledger.record(record("last-one"))
    ledger.close()

    assert [r["request_id"] for r in read_records(path)] == ["last-one"]


def test_a_record_the_database_refuses_does_not_take_the_others_with_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path)

    ledger.record(record("fine-1"))
    ledger.record(record("too-big", input_tokens=2**70))
    ledger.record(record("fine-2"))
    ledger.close()

    assert sorted(r["request_id"] for r in read_records(path)) == ["fine-1", "fine-2"]
