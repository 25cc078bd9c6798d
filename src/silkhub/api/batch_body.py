"""A customs batch's body cut into its messages' own JSON texts, before anything parses them.

FastAPI would parse the whole body with Python's ``json`` first, and refuse all of it for one
message that parser cannot take (nesting past about 990 levels, an integer of more than
4,300 digits, a NaN msgspec refuses), where a file loses only that line. It would also turn
every number into a binary float. So the endpoint takes the body as bytes and this module
cuts the top-level array into its elements' byte texts: by msgspec (``list[Raw]``, which
validates and delimits without converting), or, when msgspec refuses the body, by a scan of
its strings and brackets that parses nothing. Each text is then read on its own, exactly as
a line of a file, so only the bad element is refused. A body that is not UTF-8 is refused
whole: where its strings end cannot be told.
"""

from __future__ import annotations

import json
import re

import msgspec

__all__ = ["BatchBodyError", "message_id_of", "split_batch"]

#: The tokens of JSON structure: a whole string (escapes included), a lone quote (a string
#: left open), or a bracket or comma. Strings go by in one match, so the scan is quick.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|"|[\[\]{},]', re.DOTALL)
_SPACE = b" \t\n\r"
_BOM = b"\xef\xbb\xbf"


class BatchBodyError(ValueError):
    """The body is no JSON array at all (its elements cannot even be told apart)."""


def split_batch(body: bytes, most: int | None = None) -> list[bytes]:
    """The byte texts of the top-level array's elements; ``BatchBodyError`` if it is none.

    A body that is not UTF-8 is refused whole: in GBK or Shift_JIS the second byte of a
    character can be a backslash, so where its strings end cannot be told. A UTF-8 byte-order
    mark is skipped, as ``json.loads`` does. ``most`` stops the scan past that many elements.
    """
    body = body.removeprefix(_BOM)
    try:
        return [bytes(item) for item in msgspec.json.decode(body, type=list[msgspec.Raw])]
    except msgspec.ValidationError as exc:  # valid JSON, but not an array
        raise BatchBodyError("must be a JSON array of messages") from exc
    except (msgspec.DecodeError, RecursionError):  # nested past msgspec's depth, or bad JSON
        pass
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BatchBodyError(
            f"invalid JSON: the body is not UTF-8 text (byte {exc.start})"
        ) from None
    return _scan(body, most)


def _scan(body: bytes, most: int | None = None) -> list[bytes]:
    """Cut a UTF-8 array by its structure alone: strings, brackets and commas."""
    start = len(body) - len(body.lstrip(_SPACE))
    if not body.startswith(b"[", start):
        raise BatchBodyError("invalid JSON: a batch must be a JSON array of messages")
    elements: list[bytes] = []
    depth = 0
    element_start = start + 1
    for found in _TOKENS.finditer(body, start + 1):
        token = found.group()
        if token == b'"':
            break  # a string that never ends
        if token.startswith(b'"'):
            continue
        if token in b"[{":
            depth += 1
        elif token in b"]}" and depth > 0:
            depth -= 1
        elif depth == 0:  # a comma or the closing bracket of the batch
            at = found.start()
            text = body[element_start:at].strip(_SPACE)
            if text or token == b"," or elements:  # "[1,]" has an empty (bad) second element
                elements.append(text)
            if most is not None and len(elements) > most:
                return elements  # more than the caller takes: no need to read on
            if token == b"]":
                if body[at + 1 :].strip(_SPACE):
                    raise BatchBodyError("invalid JSON: there is text after the batch's array")
                return elements
            element_start = at + 1
    raise BatchBodyError("invalid JSON: the batch's array is not closed")


def message_id_of(text: bytes) -> str | None:
    """The ``message_id`` of an element that failed to parse as a message, if one can be read."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    message_id = value.get("message_id")
    if not isinstance(message_id, str):
        return None
    try:
        message_id.encode("utf-8")  # a lone surrogate cannot be written back
    except UnicodeEncodeError:
        return None
    return message_id
