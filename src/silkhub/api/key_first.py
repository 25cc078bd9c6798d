"""Routes that check the caller's key and role before they say anything about the body.

FastAPI parses a JSON body before it resolves any dependency, so a body that is not JSON at
all would be answered 422 whatever the key: a caller without a valid key would learn how the
API reads bodies, and the documented order of errors (401, 403, then the body) would have an
exception. On these routes a body FastAPI cannot parse is remembered, the request is run
again without a body, so that the dependencies (the key, the role) run and answer 401 or 403
if they must, and only a caller they let through gets the 422 naming the bad JSON.

The second run cannot reach the endpoint: only routes whose body is required use this
class, and a missing required body fails validation after the dependencies.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from silkhub.api.problems import body_parse_problem

__all__ = ["KeyBeforeBodyRoute"]

#: What the second run reads as the body: JSON, so FastAPI goes on to the dependencies.
_NO_BODY = b"null"

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class KeyBeforeBodyRoute(APIRoute):
    """An ``APIRoute`` whose unparseable body is reported after the key and role checks."""

    def get_route_handler(self) -> Handler:
        """FastAPI's handler, wrapped so that a bad body waits for the key and role checks."""
        handler = super().get_route_handler()
        if self.body_field is None or not self.body_field.field_info.is_required():
            return handler  # nothing to parse, or a body whose absence the endpoint accepts

        async def key_before_body(request: Request) -> Response:
            try:
                return await handler(request)
            except (RequestValidationError, StarletteHTTPException) as exc:
                problem = await body_parse_problem(request, exc)
                if problem is None:
                    raise
            request._body = _NO_BODY  # Starlette's cache of the body, read by FastAPI
            # 401 or 403 come out of the second run as ProblemError; if the key and role pass,
            # it refuses the missing body, as it must
            with contextlib.suppress(RequestValidationError):
                await handler(request)
            raise problem

        return key_before_body
