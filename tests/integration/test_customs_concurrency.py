"""Concurrent customs writes of one organisation, on SQLite and on a real PostgreSQL.

Clearance reads, then writes. On PostgreSQL two officers could decide one held list at once
(both answered 200, the audit trail forked) and two batches filing the same order raced to
a 500; a per-organisation advisory lock makes such writes run one after the other.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from pathlib import Path
from typing import Any

from apihub import Hub
from silkhub.store import Role

MIXED_DAY = Path(__file__).parents[1] / "data" / "customs" / "mixed_day.jsonl"
TRIALS = 4


def _e4(trial: int) -> list[dict[str, Any]]:
    """The mixed day's battery export (held at risk), renamed for one trial."""
    chosen: dict[str, dict[str, Any]] = {}
    for line in MIXED_DAY.read_text(encoding="utf-8").splitlines():
        if line.endswith("}") and (m := json.loads(line))["order_no"] == "E4":
            chosen.setdefault(m["message_id"], m)
    renamed = (
        json.dumps(list(chosen.values()))
        .replace('"E4', f'"T{trial}E4')
        .replace('"CGOE4"', f'"CGOT{trial}E4"')
    )
    return list(json.loads(renamed))


def _together(*calls: Any) -> list[Any]:
    """Run the calls in threads released at the same moment; their answers, in order."""
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        answers[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_two_officers_deciding_one_list_at_once_get_one_decision(hub: Hub) -> None:
    """Release and reject at the same moment: one wins, the other is told it is too late."""
    for trial in range(TRIALS):
        hub.post("/v1/customs/messages", _e4(trial), role=Role.FORWARDER)
        url = f"/v1/customs/inventories/T{trial}E4-I/decision"
        release = {"decision": "released", "reason": "paperwork checked"}
        reject = {"decision": "rejected", "reason": "no UN 3481 paperwork"}
        answers = _together(
            partial(hub.post, url, release, role=Role.CUSTOMS_OFFICER),
            partial(hub.post, url, reject, role=Role.CUSTOMS_OFFICER),
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        trail = hub.get(
            f"/v1/customs/inventories/T{trial}E4-I/audit", role=Role.CUSTOMS_OFFICER
        ).json()
        assert [e["from_state"] for e in trail].count("held") == 1


def test_the_same_batch_twice_at_once_files_it_once(hub: Hub) -> None:
    """Each message is filed once; the other copy is answered duplicate.message_id, not 500."""
    for trial in range(TRIALS):
        batch = _e4(trial)
        submit = partial(hub.post, "/v1/customs/messages", batch, role=Role.FORWARDER)
        answers = _together(submit, submit)
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        accepted = sorted(a.json()["accepted"] for a in answers)
        assert accepted == [0, len(batch)]


def test_many_batches_of_one_organisation_at_once_are_all_filed(hub: Hub) -> None:
    """Twenty batches at once: none waits for a connection held by its own authentication.

    Each request used to keep the connection that checked its key while it waited for a
    write connection; with more writers than the pool holds, they all waited and answered
    500 after the pool's timeout.
    """
    batches = [_e4(trial) for trial in range(TRIALS, TRIALS + 20)]
    answers = _together(
        *(partial(hub.post, "/v1/customs/messages", b, role=Role.FORWARDER) for b in batches)
    )
    assert [a.status_code for a in answers] == [200] * len(batches), [
        a.text[:200] for a in answers if a.status_code != 200
    ]
    assert [a.json()["accepted"] for a in answers] == [len(b) for b in batches]
