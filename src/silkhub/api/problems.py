"""Every error as RFC 9457 ``application/problem+json``, naming the field and the reason.

Clients of a logistics API are often other programs; one error shape for every failure
(validation, auth, not found, too large, our own bugs) lets them handle all of it in one
place. Validation problems list each bad field as ``body.weight_kg`` / ``query.limit`` with
pydantic's reason. An unexpected exception is logged with its traceback and answered with a
bare 500 that leaks nothing of the internals.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "CatchAllMiddleware",
    "FieldProblem",
    "ProblemError",
    "ProblemOut",
    "body_parse_problem",
    "install_problem_handlers",
    "problem_response",
    "problem_responses",
]

log = logging.getLogger("silkhub.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldProblem(BaseModel):
    """One bad input: where it is and why it was refused."""

    field: str = Field(description="Where: `body.weight_kg`, `query.limit`, `path.place_id`.")
    reason: str


class ProblemOut(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[FieldProblem] = Field(default_factory=list)


class ProblemError(Exception):
    """Raise to answer with a problem; ``errors`` names the fields at fault."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Sequence[FieldProblem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})

    @classmethod
    def invalid(cls, field: str, reason: str) -> ProblemError:
        """A 422 about one field."""
        return cls.invalid_fields([FieldProblem(field=field, reason=reason)])

    @classmethod
    def invalid_fields(cls, errors: Sequence[FieldProblem]) -> ProblemError:
        """A 422 about every field of ``errors`` at once."""
        return cls(422, "; ".join(f"{e.field}: {e.reason}" for e in errors), errors)


def problem_response(
    status: int,
    detail: str,
    instance: str = "",
    errors: Iterable[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = ProblemOut(
        title=title, status=status, detail=detail, instance=instance, errors=list(errors)
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem+json answers for ``statuses``."""
    return {
        status: {
            "model": ProblemOut,
            "description": HTTPStatus(status).phrase,
            "content": {
                PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}
            },
        }
        for status in statuses
    }


def _field(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc) or "request"


#: What each pattern the API's fields use means, said in words (pydantic quotes the regex).
_PATTERN_REASONS = {
    r"^[^\x00-\x1f\x7f]{1,100}$": "must be 1 to 100 characters, without control characters",
    r"^[^\x00-\x1f\x7f]*$": "must not hold control characters",
    r"^[^\x00]*[^\x00\s][^\x00]*$": "must not be blank, nor hold a NUL character",
    r"^[^\x00-\x1f\x7f]{1,100}@\d{4}-\d{2}-\d{2}$": (
        "must be SERVICE@YYYY-MM-DD (a service id of 1 to 100 characters, no control characters)"
    ),
    r"^[A-Z]{2}$": "must be two capital letters (ISO 3166-1 alpha-2)",
    r"^[A-Z]{3}$": "must be three capital letters (ISO 4217)",
    r"^\d{2}:\d{2}:\d{2}(\.\d+)?$": "must be a local time HH:MM:SS",
    r"^\d{4}-\d{2}-\d{2}": "must be an ISO 8601 date-time, e.g. 2026-12-03T08:00+08:00",
}


def _reason(error: Mapping[str, Any]) -> str:
    if error.get("type") == "string_pattern_mismatch":
        said = _PATTERN_REASONS.get(str((error.get("ctx") or {}).get("pattern", "")))
        if said is not None:
            return said
    message = str(error.get("msg", "is invalid"))
    # pydantic prefixes errors raised in validators with "Value error, "
    return message.removeprefix("Value error, ")


def _problem(error: Mapping[str, Any]) -> FieldProblem:
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":  # loc is ("body", character offset)
        where = f" at character {loc[1]}" if len(loc) > 1 else ""
        cause = (error.get("ctx") or {}).get("error", "")
        return FieldProblem(field="body", reason=f"invalid JSON{where}: {cause}".rstrip(": "))
    return FieldProblem(field=_field(loc), reason=_reason(error))


async def _validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_problem(e) for e in exc.errors()]
    detail = "; ".join(f"{e.field}: {e.reason}" for e in errors[:5])
    if len(errors) > 5:
        detail += f"; and {len(errors) - 5} more"
    return problem_response(422, detail, request.url.path, errors)


#: What FastAPI says (as a 400) when Python's JSON parser itself gives up on a body: nested
#: too deeply, or an integer of more than 4,300 digits. It is bad JSON like any other.
_UNPARSEABLE_BODY = "There was an error parsing the body"


async def _unparseable_reason(request: Request) -> str:
    """Why Python's parser gave up on the body: not UTF-8, or too deep or too long a number."""
    try:
        (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"invalid JSON: the body is not UTF-8 text (byte {exc.start})"
    return "invalid JSON: it cannot be parsed (nested too deeply, or a number too long)"


async def body_parse_problem(request: Request, exc: Exception) -> ProblemError | None:
    """The 422 for a body FastAPI could not parse as JSON, if that is what ``exc`` is.

    For ``KeyBeforeBodyRoute``, which must know it before the body is swapped out, and for
    the handlers below. Reads the body, so call it while it is still the client's.
    """
    if isinstance(exc, RequestValidationError):
        broken = [e for e in exc.errors() if e.get("type") == "json_invalid"]
        return ProblemError.invalid_fields([_problem(broken[0])]) if broken else None
    if isinstance(exc, StarletteHTTPException) and (
        exc.status_code == 400 and exc.detail == _UNPARSEABLE_BODY
    ):
        return ProblemError.invalid("body", await _unparseable_reason(request))
    return None


async def _http_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if (unparseable := await body_parse_problem(request, exc)) is not None:
        return await _problem_handler(request, unparseable)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = exc.headers
    if exc.status_code == 405 and (allowed := _allowed_methods(request)):
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    return problem_response(exc.status_code, detail, request.url.path, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI document declares at this path (RFC 9110 §15.5.6).

    Starlette names only the methods of the first route whose path matched, and the API
    declares a path's GET and POST as two routes (``/v1/quotes``, ``/v1/admin/keys``).
    """
    methods: set[str] = set()
    paths: Mapping[str, Mapping[str, Any]] = request.app.openapi().get("paths", {})
    for template, operations in paths.items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            methods.update(method.upper() for method in operations)
    return sorted(methods)


async def _problem_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.status, exc.detail, request.url.path, exc.errors, exc.headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer validation, HTTP and ``ProblemError`` exceptions with problem+json."""
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(ProblemError, _problem_handler)


class CatchAllMiddleware:
    """Turn any exception that escapes the app into a logged, opaque 500 problem.

    A pure ASGI middleware rather than an ``Exception`` handler, because Starlette re-raises
    after calling such a handler, which would log every failure twice.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; answer 500 problem+json if it raises before responding."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = problem_response(
                500, "an internal error occurred; it has been logged", scope.get("path", "")
            )
            await response(scope, receive, send)
