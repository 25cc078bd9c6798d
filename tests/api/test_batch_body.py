"""Cutting a batch body into its elements' texts: msgspec's way and the structural scan agree."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkhub.api.batch_body import BatchBodyError, _scan, message_id_of, split_batch

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8")),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.lists(_JSON, max_size=6), st.sampled_from([", ", ",", " ,\n ", ",\t"]))
def test_both_cuts_give_each_element_back(elements: list[object], comma: str) -> None:
    """Any JSON array, however spaced and escaped: each text reads back as its element."""
    body = ("[ " + comma.join(json.dumps(e, ensure_ascii=False) for e in elements) + " ]").encode()
    for texts in (split_batch(body), _scan(body)):
        assert [json.loads(t) for t in texts] == elements


@pytest.mark.parametrize(
    ("body", "texts"),
    [
        (b"[1,,2]", [b"1", b"", b"2"]),  # the empty element is there, to be refused alone
        (b'[{"a": "],\\""}, 2]', [b'{"a": "],\\""}', b"2"]),
        (b"[" + b"[" * 3000 + b"]" * 3000 + b"]", [b"[" * 3000 + b"]" * 3000]),
        (b'[{"x": NaN}, "\\\\"]', [b'{"x": NaN}', b'"\\\\"']),
        (b"\xef\xbb\xbf[1, 2]", [b"1", b"2"]),  # a UTF-8 byte-order mark, as json.loads skips
    ],
)
def test_the_scan_cuts_what_msgspec_refuses(body: bytes, texts: list[bytes]) -> None:
    """Empty elements, brackets in strings, deep nesting, NaN, escapes, a byte-order mark."""
    assert split_batch(body) == texts


def test_a_body_that_is_not_utf8_is_refused_whole() -> None:
    """In GBK the second byte of 乗 is a backslash: the strings' ends cannot be told."""
    body = '[{"buyer_name": "乗"}, {"type": "order"}]'.encode("gbk")
    assert b"\\" in body
    with pytest.raises(BatchBodyError, match="not UTF-8 text"):
        split_batch(body)


def test_the_scan_stops_past_the_most_the_caller_takes() -> None:
    """A million-element body that msgspec refuses is not read to its end."""
    body = b"[" + b"1," * 1_000_000 + b"NaN]"
    assert len(split_batch(body, most=1000)) == 1001
    with pytest.raises(BatchBodyError, match="not closed"):
        split_batch(b'[{"a": "open]')


def test_a_message_id_is_read_where_python_can() -> None:
    """An element that is JSON but no message keeps its id; a broken one has none."""
    assert message_id_of(b'{"message_id": "X1", "goods_value": NaN}') == "X1"
    assert message_id_of(b'{"message_id": "\\ud800"}') is None
    assert message_id_of(b"[1]") is None
    assert message_id_of(b'{"message_id": 7}') is None
    with pytest.raises(BatchBodyError, match="must be a JSON array"):
        split_batch(b'"text"')
