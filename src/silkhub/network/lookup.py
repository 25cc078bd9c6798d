"""What to suggest when a user names a place the network does not have.

Users type what they know, not always the network's key. They may give a city ("Madrid"),
or a UN/LOCODE ("CNYIW") where the network keys the airport by its IATA code ("YIW"). They
may give an id in lower case. The error then names the places they probably meant, so the
next try works. Nothing is resolved silently: the place ids stay the contract.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from silkhub.model import Network

__all__ = ["did_you_mean", "similar_places", "unknown_place_message"]

#: token_set_ratio from which a place's name counts as meant ("Liège" for "Liège rail
#: terminal (Belgium)" scores 100, "Madrid" for "Ted Stevens Anchorage ..." far below).
_NAME_SCORE = 90


def similar_places(network: Network, text: str, limit: int = 3) -> list[str]:
    """The ids of up to ``limit`` places ``text`` probably means, best first; [] if none.

    The tests run in this order, and the first that finds a place wins:

    1. the id, IATA code or UN/LOCODE, in any case;
    2. for a UN/LOCODE-shaped text (two letters of country, three of location), a place whose
       id or IATA code is the location part;
    3. the words of the place names.
    """
    key = text.strip().upper()
    if not key:
        return []
    places = sorted(network.places.values(), key=lambda p: p.place_id)
    exact = [p.place_id for p in places if key in {p.place_id.upper(), p.iata, p.unlocode}]
    if exact:
        return exact[:limit]
    if len(key) == 5 and key.isalpha():
        location = [p.place_id for p in places if key[2:] in {p.place_id, p.iata}]
        if location:
            return location[:limit]
    if len(key) < 3:
        return []
    names = {p.place_id: p.name for p in places}
    found = process.extract(
        text,
        names,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=_NAME_SCORE,
    )
    return [place_id for _name, _score, place_id in found]


def did_you_mean(network: Network, text: str) -> str:
    """``"; did you mean 'A' (its name) or 'B' (its name)?"``, or ``""`` if nothing is near.

    The one wording of the suggestions, for every message that names an unknown place.
    """
    meant = similar_places(network, text)
    if not meant:
        return ""
    named = [f"{p!r} ({network.places[p].name})" for p in meant]
    options = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
    return f"; did you mean {options}?"


def unknown_place_message(network: Network, text: str) -> str:
    """``unknown place 'X'``, with the places ``text`` probably means if there are any."""
    return f"unknown place {text!r}{did_you_mean(network, text)}"
