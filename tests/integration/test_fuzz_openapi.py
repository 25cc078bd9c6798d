"""Property-based fuzzing of the whole OpenAPI with schemathesis: no input makes a 5xx.

Every operation of the app's own /openapi.json gets a bounded number of generated requests,
valid ones (positive mode) and invalid ones (negative mode), sent with a valid admin key so
they reach the handlers instead of stopping at authentication, on SQLite and on PostgreSQL
(where text with NUL bytes or out-of-range integers would fail). The operations are driven
with Hypothesis directly rather than through schemathesis' pytest plugin, whose lazy-schema
loader does not run on the pytest in use.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy import update

from apihub import Hub
from silkhub.store.tables import ApiKeyRow

#: Examples per operation and mode. PostgreSQL-only failures (NUL bytes in text, integer
#: overflow) come from simple inputs the generator tries early, so fewer examples suffice
#: there; this keeps the whole fuzz run well under two minutes as stages add operations.
EXAMPLES_PER_OPERATION = {"sqlite": 25, "postgresql": 10}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_a_server_error(hub: Hub, mode: GenerationMode) -> None:
    """Whatever schemathesis sends to any operation, the answer is never a 5xx."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", hub.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15  # every stage adds its own; all of them are fuzzed
    headers = hub.headers()
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION[hub.backend],
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])
            if case.method.upper() == "DELETE":  # keep the fuzzing key alive
                with hub.store.session() as session:
                    session.execute(update(ApiKeyRow).values(revoked_at=None))

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid: the operation takes no input
            assert mode is GenerationMode.NEGATIVE
        except Exception as exc:  # collect every operation's failure, not just the first
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
