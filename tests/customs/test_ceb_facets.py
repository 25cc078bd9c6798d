"""The XSD facets silkhub carries for CEB writing: the same as GACC's XSDs, measured as XSD does."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from silkhub.customs._ceb_facets import BASE_TRANSFER, FACETS, MAX_ITEMS, Facet
from silkhub.customs.ceb import CEB_ROOTS

_XS = "http://www.w3.org/2001/XMLSchema"
_NS = {"xs": _XS}


@pytest.fixture(scope="module")
def xsd_trees(standards_dir: Path) -> dict[str, etree._ElementTree]:
    """The official 2022-05 XSDs as plain XML trees, by direction."""
    folder = standards_dir / "china-customs" / "xsd"
    return {d: etree.parse(str(folder / f"{d}-202205.xsd")) for d in ("export", "import")}


def _container(tree: etree._ElementTree, root: str, name: str) -> etree._Element:
    """The declaration of ``name``: global, or (Order, Payment... of the import XSD) in ``root``."""
    found = tree.xpath(f"/xs:schema/xs:element[@name='{name}']", namespaces=_NS) or tree.xpath(
        f"/xs:schema/xs:element[@name='{root}']//xs:element[@name='{name}']", namespaces=_NS
    )
    assert len(found) == 1, (root, name)
    return found[0]


def _xsd_facet(declaration: etree._Element) -> Facet:
    """The facet of a child element as the XSD declares it, read independently of silkhub."""
    fixed = declaration.get("fixed")
    if declaration.get("type") == "xs:int":
        assert fixed is None
        return Facet("int")
    (restriction,) = declaration.iterfind(f"{{{_XS}}}simpleType/{{{_XS}}}restriction")
    values = {etree.QName(f).localname: f.get("value") for f in restriction}
    base = restriction.get("base")
    if base != "xs:string":
        assert fixed is None  # silkhub checks a fixed value of text only
    if base == "xs:decimal":
        return Facet(
            "decimal",
            total_digits=int(values["totalDigits"]),
            fraction_digits=int(values["fractionDigits"]),
        )
    if base == "xs:int":
        digits = values.get("totalDigits")
        return Facet("int", total_digits=int(digits) if digits else None)
    assert base == "xs:string"
    exact = values.get("length")
    return Facet(
        min_length=int(exact or values.get("minLength", 0)),
        max_length=int(exact or values["maxLength"]),
        collapse=values.get("whiteSpace") == "collapse",
        fixed=fixed,
    )


def test_every_written_element_carries_the_facets_of_its_xsd(
    xsd_trees: dict[str, etree._ElementTree],
) -> None:
    """Each element of the writer's tables has the facet its XSD gives it, and no other."""
    checked: set[str] = set()
    for (_, direction), layout in CEB_ROOTS.items():
        tree = xsd_trees[direction.value]
        parts = [(layout.head or layout.record, layout.head_elements)]
        if layout.item is not None:
            parts.append((layout.item, layout.item_elements))
        for container, elements in parts:
            key = f"{layout.root}/{container}"
            declaration = _container(tree, layout.root, container)
            children = {
                c.get("name"): c
                for c in declaration.iterfind(
                    f"{{{_XS}}}complexType/{{{_XS}}}sequence/{{{_XS}}}element"
                )
            }
            expected = {el.name: _xsd_facet(children[el.name]) for el in elements}
            assert FACETS[key] == expected, key
            checked.add(key)
    assert checked == set(FACETS)


def test_item_and_sender_limits_are_the_xsds(xsd_trees: dict[str, etree._ElementTree]) -> None:
    """The most items of an order or list (maxOccurs), and BaseTransfer's lengths."""
    for (_, direction), layout in CEB_ROOTS.items():
        if layout.item is None:
            continue
        tree = xsd_trees[direction.value]
        (ref,) = tree.xpath(
            f"//xs:element[@name='{layout.record}']//xs:element[@ref='ceb:{layout.item}']",
            namespaces=_NS,
        )
        assert MAX_ITEMS[layout.root] == int(ref.get("maxOccurs")), layout.root
    for tree in xsd_trees.values():
        transfer = _container(tree, "", "BaseTransfer")
        for name, facet in BASE_TRANSFER.items():
            (child,) = transfer.xpath(f".//xs:element[@name='{name}']", namespaces=_NS)
            xsd = _xsd_facet(child)
            assert facet.max_length == xsd.max_length
            assert facet.min_length >= xsd.min_length


_TEXT = Facet(min_length=1, max_length=3)
_COLLAPSED = Facet(max_length=3, collapse=True)
_AMOUNT = Facet("decimal", total_digits=19, fraction_digits=5)
_PIECES = Facet("int", total_digits=9)


@pytest.mark.parametrize(
    ("facet", "text", "fits"),
    [
        (_TEXT, "abc", True),
        (_TEXT, "abcd", False),
        (_TEXT, "\U0001f600" * 3, True),  # characters, not UTF-8 bytes or UTF-16 units
        (_TEXT, "e\u0301" * 2, False),  # a combining accent is a character of its own
        (_TEXT, " ab ", False),  # no collapse: white space counts
        (_COLLAPSED, "  abc  ", True),
        (_COLLAPSED, "a  bc", False),  # collapsed to "a bc": 4
        (_AMOUNT, "12345678901234.12345", True),
        (_AMOUNT, "123456789012345.12345", False),  # 20 digits
        (_AMOUNT, "12345678901234.123450", True),  # a trailing zero of the fraction is no digit
        (_AMOUNT, "0001234567890123456789", True),  # nor are leading zeros
        (_AMOUNT, "0.000001", False),
        (_AMOUNT, "1.", True),
        (_AMOUNT, ".5", True),
        (_AMOUNT, " 1.5 ", True),  # xs:decimal collapses white space
        (_AMOUNT, "1e3", False),
        (_AMOUNT, "\u0661", False),  # an Arabic-Indic one is no XSD digit
        (_AMOUNT, "", False),
        (_PIECES, "999999999", True),
        (_PIECES, "1000000000", False),
        (_PIECES, "1.0", False),
        (Facet("int"), "2147483647", True),
        (Facet("int"), "2147483648", False),
        (Facet("int"), "-2147483648", True),
        (Facet("int"), "9" * 5000, False),  # measured, not handed to int()
        (Facet(min_length=3, max_length=3, fixed="142"), "142", True),
        (Facet(min_length=3, max_length=3, fixed="142"), "502", False),
    ],
)
def test_misfit_measures_as_xsd_does(facet: Facet, text: str, fits: bool) -> None:
    """Lengths in characters after the white-space rule; digits of the value, not the text.

    Each case is also put to lxml's own XSD validation (libxml2) with the same facets.
    """
    assert (facet.misfit("x", text) is None) is fits
    assert _libxml2_accepts(facet, text) is fits


def _libxml2_accepts(facet: Facet, text: str) -> bool:
    """Whether an element ``x`` restricted by ``facet`` may hold ``text``, by lxml's XSD check."""
    if facet.base == "string":
        rules = ['<xs:whiteSpace value="collapse"/>'] if facet.collapse else []
        rules += [
            f'<xs:minLength value="{facet.min_length}"/>',
            f'<xs:maxLength value="{facet.max_length}"/>',
        ]
    else:
        rules = [f'<xs:totalDigits value="{facet.total_digits}"/>'] if facet.total_digits else []
        if facet.fraction_digits is not None:
            rules.append(f'<xs:fractionDigits value="{facet.fraction_digits}"/>')
    fixed = f' fixed="{facet.fixed}"' if facet.fixed is not None else ""
    schema = etree.XMLSchema(
        etree.fromstring(
            f'<xs:schema xmlns:xs="{_XS}"><xs:element name="x"{fixed}><xs:simpleType>'
            f'<xs:restriction base="xs:{facet.base}">{"".join(rules)}</xs:restriction>'
            "</xs:simpleType></xs:element></xs:schema>"
        )
    )
    element = etree.Element("x")
    element.text = text
    return bool(schema.validate(etree.fromstring(etree.tostring(element))))


def test_misfit_names_the_element_and_its_limit() -> None:
    """The reason reads after a field name, as write_ceb reports it."""
    assert Facet(max_length=60).misfit("orderNo", "N" * 61) == (
        "61 characters, the CEB element orderNo holds at most 60"
    )
    assert Facet(min_length=4, max_length=4).misfit("portCode", "46040") == (
        "5 characters, the CEB element portCode holds exactly 4"
    )
    assert _AMOUNT.misfit("grossWeight", "123456789012345.12345") == (
        "20 digits, the CEB element grossWeight holds at most 19"
    )
