"""A cap on request bodies, checked before the application reads a byte of them.

FastAPI would happily buffer a gigabyte of JSON into memory; a hub API facing the internet
must refuse it early. Bodies are read here up to the limit (a declared ``Content-Length``
above it is refused at once) and replayed to the application, so the limit holds for chunked
uploads too.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from silkhub.api.problems import problem_response

__all__ = ["BodySizeLimitMiddleware"]


class BodySizeLimitMiddleware:
    """Answer 413 problem+json to bodies larger than ``max_bytes`` (400 to a bad length)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, read the body up to the limit, then run the app."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        declared = [v for k, v in scope.get("headers", []) if k.lower() == b"content-length"]
        if declared:
            try:
                length = int(declared[0])
            except ValueError:
                length = -1
            if length < 0:
                await problem_response(400, "Content-Length is not a number", path)(
                    scope, receive, send
                )
                return
            if length > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        replay_done: Message | None = None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # the client went away: let the application see the disconnect
                replay_done = message
                break
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                if replay_done is not None:
                    return replay_done
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body is larger than {self.max_bytes} bytes"
        await problem_response(413, detail, scope.get("path", ""))(scope, receive, send)
