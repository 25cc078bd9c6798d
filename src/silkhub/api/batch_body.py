"""A customs batch's body cut into its messages' own JSON texts, before anything parses them.

FastAPI would parse the whole body with Python's ``json`` first, and refuse all of it for one
message that parser cannot take (a byte that is not UTF-8, nesting past about 990 levels, an
integer of more than 4,300 digits), where a file loses only that line. It would also turn
every number into a binary float. So the endpoint takes the body as bytes and this module
cuts the top-level array into its elements' byte texts: by msgspec (``list[Raw]``, which
validates and delimits without converting), or, when msgspec refuses the body, by a scan of
its strings and brackets that parses nothing. Each text is then read on its own, exactly as
a line of a file, so only the bad element is refused.
"""

from __future__ import annotations

import json
import re

import msgspec

__all__ = ["BatchBodyError", "message_id_of", "split_batch"]

#: The bytes that matter to a scan of JSON structure: quotes, escapes, brackets, commas.
_STRUCTURE = re.compile(rb'["\\\[\]{},]')
_SPACE = b" \t\n\r"


class BatchBodyError(ValueError):
    """The body is no JSON array at all (its elements cannot even be told apart)."""


def split_batch(body: bytes) -> list[bytes]:
    """The byte texts of the top-level array's elements; ``BatchBodyError`` if it is none."""
    try:
        return [bytes(item) for item in msgspec.json.decode(body, type=list[msgspec.Raw])]
    except msgspec.ValidationError as exc:  # valid JSON, but not an array
        raise BatchBodyError("must be a JSON array of messages") from exc
    except (msgspec.DecodeError, RecursionError):  # not UTF-8, or nested past msgspec's depth
        return _scan(body)


def _scan(body: bytes) -> list[bytes]:
    """Cut an array by its structure alone: strings (with escapes), brackets and commas."""
    start = len(body) - len(body.lstrip(_SPACE))
    if not body.startswith(b"[", start):
        raise BatchBodyError("invalid JSON: a batch must be a JSON array of messages")
    elements: list[bytes] = []
    depth = 0
    element_start = start + 1
    in_string = False
    escaped_until = -1
    for found in _STRUCTURE.finditer(body, start + 1):
        at = found.start()
        char = body[at : at + 1]
        if at <= escaped_until:
            continue
        if in_string:
            if char == b"\\":
                escaped_until = at + 1
            elif char == b'"':
                in_string = False
            continue
        if char == b'"':
            in_string = True
        elif char in b"[{":
            depth += 1
        elif char in b"]}" and depth > 0:
            depth -= 1
        elif depth == 0 and char in b",]":
            text = body[element_start:at].strip(_SPACE)
            if text or char == b"," or elements:  # "[1,]" has an empty (bad) second element
                elements.append(text)
            if char == b"]":
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
