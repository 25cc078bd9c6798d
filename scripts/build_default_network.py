"""Build the embedded default network of the Zhengzhou hub (``src/silkhub/data/zhengzhou``).

Run from the repository root::

    .venv/bin/python scripts/build_default_network.py

The script rewrites ``places.csv``, ``services.csv``, ``stops.csv``, ``calendar.csv``,
``transfers.csv`` and ``links.csv`` deterministically (same input, byte-identical output).

The hand-entered facts are the tables at the top of this file; each row names its source:
a seed document (``seed:<file>``, the news reports the product is modelled on) or
``assumption: <why>`` where the documents are silent (timetables, capacities, prices).
Nothing that a package holds is typed here: airport names, coordinates and time zones come
from ``airportsdata``, country codes are checked with ``pycountry``, time zones with
``zoneinfo`` and sea distances are computed with ``searoute``. Places that no package holds
(rail terminals, border crossings, seaports, road hubs) carry typed, approximate coordinates
whose source says so. Any unknown code makes the script fail loudly.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import sys
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import airportsdata
import pycountry
import searoute

OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "silkhub" / "data" / "zhengzhou"

# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------

S000 = "seed:000_35fc394f49c45d2c.txt"  # WhereZhengzhou, Feb 2025: new routes, rail-sea, park
S001 = "seed:001_37abc650a80844a4.txt"  # HICC 2025-02-17: MAD/One Air, KGF-OSL, EMA, LGG, feeders
S002 = "seed:002_c4d0f68353a6e04c.txt"  # Henan Daily Nov 2024: China-Europe trains, destinations
S003 = "seed:003_33a5d56ad4109008.txt"  # 2025: 16 new e-commerce freighter routes planned
S004 = "seed:004_00f2346550331f73.txt"  # dahe.cn 2024-10-24: TIR centre, Almaty/Tashkent TIR

COORDS = "coordinates approximate, read from public maps"
END_OF_DATA = date(2027, 12, 31)  # every calendar runs to the end of 2027 (assumption)
CURRENCY = "CNY"

# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AirportFact:
    """An airport of the network; name, coordinates, country and zone come from airportsdata.

    ``name``, when given, replaces airportsdata's name, and the source must say where it is
    from: a user looking a place up types the city, so an airport named without it is hard to
    find.
    """

    iata: str
    source: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class PlaceFact:
    """A place no package holds: coordinates and zone are typed, and the source says so."""

    place_id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    timezone: str
    unlocode: str
    source: str


AIRPORTS: list[AirportFact] = [
    AirportFact(
        "CGO",
        f"{S001} (hub airport; 1.1 million t/yr capacity, 825,000 t in 2024; its full name as"
        " in the seed, which airportsdata shortens to 'Xinzheng Airport', so that a search for"
        " Zhengzhou finds it)",
        name="Zhengzhou Xinzheng International Airport",
    ),
    AirportFact("MAD", f"{S001} (Zhengzhou-Madrid freighter from 2025-02-16)"),
    AirportFact("DAC", f"{S000} (Zhengzhou-Dhaka freighter, 2 a week from 2025-02-17)"),
    AirportFact("OSL", f"{S000} (Zhengzhou-Oslo freighter, 4 a week from 2025-02-18)"),
    AirportFact("KGF", f"{S001} (Capital Airlines Zhengzhou-Karaganda-Oslo)"),
    AirportFact("EMA", f"{S001} (Nottingham added Feb 2025; East Midlands is its cargo airport)"),
    AirportFact("LGG", f"{S001} (flights to Liège densified)"),
    AirportFact("FRA", f"{S003} (planned 2025 e-commerce freighter destination)"),
    AirportFact("CDG", f"{S003} (planned 2025 e-commerce freighter destination Paris)"),
    AirportFact("BUD", f"{S003} (planned 2025 e-commerce freighter destination)"),
    AirportFact("IST", f"{S003} (planned 2025 e-commerce freighter destination)"),
    AirportFact(
        "ORD",
        f"assumption: {S003} plans routes to North America without naming a city; "
        "Chicago O'Hare chosen as the main US freighter gateway",
    ),
    AirportFact(
        "ANC",
        "assumption: technical stop of the China-Chicago freighter (B747-400F range with "
        "payload); Anchorage is the usual transpacific freighter stop",
    ),
    AirportFact(
        "ALA",
        f"assumption: {S003} plans routes to Central Asia without naming a city; Almaty chosen",
    ),
    AirportFact(
        "TAS",
        f"assumption: {S003} plans routes to Central Asia without naming a city; Tashkent chosen",
    ),
    AirportFact(
        "YIW",
        f"{S001} (Jin-Gang Link: Jinhua/Yiwu cargo trucked to Zhengzhou; Yiwu lacks 200,000 t/yr "
        "of air capacity); assumption: Yiwu airport stands for the Yiwu pick-up point",
    ),
]

PLACES: list[PlaceFact] = [
    # --- Zhengzhou ------------------------------------------------------------------------
    PlaceFact(
        "CNZGZ",
        "Zhengzhou International Land Port (Putian station, CR Intermodal Zhengzhou Terminal)",
        "rail_terminal",
        "CN",
        34.755,
        113.840,
        "Asia/Shanghai",
        "CNZGZ",
        f"{S000} (Putian station, core of the land port; China-Europe Railway Express "
        f"Zhengzhou); {S002} (CR Intermodal Zhengzhou Terminal); assumption: {COORDS}",
    ),
    PlaceFact(
        "CNZGZ-XZCBZ",
        "Henan TIR assembly centre, Zhengzhou Xinzheng Comprehensive Bonded Zone",
        "bonded_zone",
        "CN",
        34.555,
        113.860,
        "Asia/Shanghai",
        "",
        f"{S004} (IRU-certified TIR centre in the bonded zone, operating from 2024-09-20); "
        f"assumption: {COORDS} (north of CGO airport)",
    ),
    PlaceFact(
        "CNZGZ-HBLP",
        "Henan Bonded Logistics Park (cross-border e-commerce pilot)",
        "bonded_zone",
        "CN",
        34.715,
        113.780,
        "Asia/Shanghai",
        "",
        f"{S000} (among the first cross-border e-commerce pilots); {S003} (Q1 2025 e-commerce "
        f"trade 8.12 billion CNY); assumption: {COORDS} (Zhengzhou Economic and Technological "
        "Development Zone)",
    ),
    # --- Domestic feeder origins ----------------------------------------------------------
    PlaceFact(
        "CNJHA",
        "Jinhua road hub (Zhejiang)",
        "road_hub",
        "CN",
        29.079,
        119.647,
        "Asia/Shanghai",
        "CNJHA",
        f"{S001} (Jin-Gang Link Jinhua-Zhengzhou, May 2024); assumption: {COORDS}",
    ),
    PlaceFact(
        "CNSGH",
        "Shanghai road hub (Yangtze River Delta)",
        "road_hub",
        "CN",
        31.230,
        121.474,
        "Asia/Shanghai",
        "CNSGH",
        f"{S001} (fast-growing cargo from the Yangtze River Delta); assumption: {COORDS}",
    ),
    PlaceFact(
        "CNBJS",
        "Beijing road hub",
        "road_hub",
        "CN",
        39.904,
        116.407,
        "Asia/Shanghai",
        "CNBJS",
        f"{S001} (fast-growing cargo from Beijing-Tianjin-Hebei); assumption: {COORDS}",
    ),
    PlaceFact(
        "CNTNJ",
        "Tianjin road hub",
        "road_hub",
        "CN",
        39.125,
        117.190,
        "Asia/Shanghai",
        "CNTNJ",
        f"{S001} (fast-growing cargo from Beijing-Tianjin-Hebei); assumption: {COORDS}",
    ),
    # --- Rail-sea -------------------------------------------------------------------------
    PlaceFact(
        "CNTAO",
        "Qingdao port (Qianwan container terminal)",
        "seaport",
        "CN",
        36.010,
        120.200,
        "Asia/Shanghai",
        "CNTAO",
        f"{S000} (rail-sea train Putian-Qingdao port, ship to Felixstowe, 2025-02-06); "
        f"assumption: {COORDS}; CNTAO is the Qingdao code carriers use for the port",
    ),
    PlaceFact(
        "GBFXT",
        "Port of Felixstowe",
        "seaport",
        "GB",
        51.955,
        1.320,
        "Europe/London",
        "GBFXT",
        f"{S000} (rail-sea destination Felixstowe, UK); assumption: {COORDS}",
    ),
    # --- Chinese border crossings ---------------------------------------------------------
    PlaceFact(
        "CNAKL",
        "Alashankou border crossing (to Dostyk, Kazakhstan)",
        "border_crossing",
        "CN",
        45.170,
        82.570,
        "Asia/Shanghai",
        "CNAKL",
        f"{S002} (8 entry/exit ports, northern corridor via Kazakhstan); assumption: Alashankou "
        f"as the Kazakhstan exit of the Liège train; {COORDS}; Beijing time as used at the port",
    ),
    PlaceFact(
        "CNHRS",
        "Khorgos border crossing (to Altynkol/Nurzhol, Kazakhstan)",
        "border_crossing",
        "CN",
        44.210,
        80.420,
        "Asia/Shanghai",
        "CNHRS",
        f"{S002} (border ports, Central Asia and Middle Corridor trains); {S004} (TIR through "
        f"Kazakhstan); assumption: Khorgos as the crossing; {COORDS}",
    ),
    PlaceFact(
        "CNRLC",
        "Erenhot border crossing (to Zamyn-Uud, Mongolia)",
        "border_crossing",
        "CN",
        43.650,
        111.975,
        "Asia/Shanghai",
        "CNRLC",
        f"{S002} (northern corridor via Mongolia/Russia); assumption: Erenhot as the exit of "
        f"the Hamburg train; {COORDS}",
    ),
    PlaceFact(
        "CNMLX",
        "Manzhouli border crossing (to Zabaykalsk, Russia)",
        "border_crossing",
        "CN",
        49.597,
        117.430,
        "Asia/Shanghai",
        "CNMLX",
        f"{S002} (northern corridor via Russia); assumption: Manzhouli as the exit of the Herne "
        f"train; {COORDS}",
    ),
    # --- Northern corridor into the EU ----------------------------------------------------
    PlaceFact(
        "BY-BREST",
        "Brest border station (Belarus, to Poland)",
        "border_crossing",
        "BY",
        52.097,
        23.700,
        "Europe/Minsk",
        "",
        f"{S002} (northern corridor to Europe); assumption: Brest-Małaszewicze as the EU entry; "
        f"{COORDS}; UN/LOCODE not verified, left empty",
    ),
    PlaceFact(
        "PLMAA",
        "Małaszewicze terminal (Poland, EU entry, 1520/1435 mm transshipment)",
        "border_crossing",
        "PL",
        52.035,
        23.545,
        "Europe/Warsaw",
        "PLMAA",
        f"{S002} (northern corridor to Europe); assumption: Brest-Małaszewicze as the EU entry; "
        f"{COORDS}",
    ),
    # --- Middle Corridor ------------------------------------------------------------------
    PlaceFact(
        "KZAAU",
        "Port of Aktau (Caspian Sea, Kazakhstan)",
        "seaport",
        "KZ",
        43.610,
        51.210,
        "Asia/Aqtau",
        "KZAAU",
        f"{S002} (Southern/Middle Corridor across the Caspian Sea); assumption: Aktau as the "
        f"Caspian port; {COORDS}",
    ),
    PlaceFact(
        "AZBAK",
        "Baku International Sea Trade Port (Alat)",
        "seaport",
        "AZ",
        39.935,
        49.410,
        "Asia/Baku",
        "AZBAK",
        f"{S002} (new direct destination Baku, Azerbaijan; Caspian crossing); assumption: {COORDS}",
    ),
    PlaceFact(
        "TRKSY",
        "Kars (Türkiye entry of the Baku-Tbilisi-Kars railway)",
        "border_crossing",
        "TR",
        40.600,
        43.095,
        "Europe/Istanbul",
        "TRKSY",
        f"{S002} (Middle Corridor across the Caspian and Black Sea region to Istanbul); "
        f"assumption: Kars as the Turkish entry of the BTK line; {COORDS}",
    ),
    # --- Rail and road destinations -------------------------------------------------------
    PlaceFact(
        "BELGG",
        "Liège rail terminal (Belgium)",
        "rail_terminal",
        "BE",
        50.625,
        5.560,
        "Europe/Brussels",
        "BELGG",
        f"{S002} (train from CR Intermodal Zhengzhou Terminal to Liège, 2024-11-17); "
        f"assumption: {COORDS}",
    ),
    PlaceFact(
        "DEHAM",
        "Hamburg rail terminal (Billwerder)",
        "rail_terminal",
        "DE",
        53.520,
        10.110,
        "Europe/Berlin",
        "DEHAM",
        f"{S002} (named destination Hamburg); assumption: {COORDS}",
    ),
    PlaceFact(
        "DEHEE",
        "Herne rail terminal (Germany)",
        "rail_terminal",
        "DE",
        51.540,
        7.220,
        "Europe/Berlin",
        "DEHEE",
        f"{S002} (new destination Herne; the seed calls it Dutch, Herne is in North "
        f"Rhine-Westphalia, Germany); assumption: {COORDS}",
    ),
    PlaceFact(
        "RSBEG",
        "Belgrade rail terminal (Serbia)",
        "rail_terminal",
        "RS",
        44.860,
        20.330,
        "Europe/Belgrade",
        "RSBEG",
        f"{S002} (new direct destination Belgrade, Serbia); assumption: {COORDS}",
    ),
    PlaceFact(
        "TRIST",
        "Istanbul rail terminal (Halkalı)",
        "rail_terminal",
        "TR",
        41.030,
        28.780,
        "Europe/Istanbul",
        "TRIST",
        f"{S002} (new direct destination Istanbul via the Middle Corridor); assumption: {COORDS}",
    ),
    PlaceFact(
        "KZALA",
        "Almaty rail and TIR terminal (Almaty-1)",
        "rail_terminal",
        "KZ",
        43.340,
        76.950,
        "Asia/Almaty",
        "KZALA",
        f"{S002} (named train destination Almaty); {S004} (Zhengzhou-Almaty TIR from "
        f"2024-09-23); assumption: one terminal for train and TIR; {COORDS}",
    ),
    PlaceFact(
        "KZ-SARYAGASH",
        "Saryagash / Zhibek Zholy border crossing (Kazakhstan to Uzbekistan)",
        "border_crossing",
        "KZ",
        41.400,
        69.230,
        "Asia/Almaty",
        "",
        f"{S004} (Tashkent TIR passes through Kazakhstan and Almaty); assumption: Saryagash "
        f"area as the rail and road crossing to Uzbekistan; {COORDS}; UN/LOCODE not verified",
    ),
    PlaceFact(
        "UZTAS",
        "Tashkent rail and TIR terminal",
        "rail_terminal",
        "UZ",
        41.300,
        69.280,
        "Asia/Tashkent",
        "UZTAS",
        f"{S002} (named train destination Tashkent); {S004} (Zhengzhou-Tashkent TIR since "
        f"2023); assumption: one terminal for train and TIR; {COORDS}",
    ),
]

# --------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarFact:
    """One weekly pattern: weekdays Monday first, local start time, first and last date."""

    weekdays: str
    start_time: str
    valid_from: date
    valid_to: date
    source: str


@dataclass(frozen=True, slots=True)
class Leg:
    """A stop of a rail/road service: hours running since the previous departure, dwell."""

    place_id: str
    run_h: float  # 0 on the first stop
    dwell_h: float = 0.0  # only on intermediate stops (border, gauge change, customs)


@dataclass(frozen=True, slots=True)
class Offer:
    """The commercial side of a service: operator, vehicle, capacity and tariff."""

    operator: str
    vehicle: str
    capacity_kg: int
    capacity_m3: int
    price_per_kg: str
    min_charge: str
    capacity_teu: int | None
    cargo_classes: str
    source: str  # where operator/vehicle/capacity/tariff come from


@dataclass(frozen=True, slots=True)
class ServiceFact:
    """A scheduled service: id, mode, stops, offer and calendar, plus the way back."""

    service_id: str
    mode: str
    name: str
    route: tuple[Leg, ...] | tuple[str, ...]  # air and sea: place ids; rail/road: legs
    offer: Offer
    calendars: tuple[CalendarFact, ...]
    source: str
    return_id: str = ""  # a return service with the reversed route, when set
    return_calendars: tuple[CalendarFact, ...] = ()
    return_source: str = ""


def cal(
    weekdays: str, start: str, first: date, source: str, last: date = END_OF_DATA
) -> CalendarFact:
    """A calendar row (shorthand for the tables below)."""
    return CalendarFact(weekdays, start, first, last, source)


D = date  # shorthand in the tables

# --- Vehicles and offers (capacities and tariffs are assumptions; figures in CNY) -----------

B744F = "B747-400F"
B763F = "B767-300F"
A332F = "A330-200F"
CAP = {  # (kg, m3) per departure
    B744F: (110_000, 680),
    B763F: (52_000, 438),
    A332F: (60_000, 475),
}
AIR_TARIFF = (
    "assumption: market e-commerce air rates Zhengzhou-Europe 25-40 CNY/kg in 2025; "
    "capacity: typical payload and volume of the type"
)
UNNAMED_AIRLINE = "freighter operator (not named in the seeds)"
PLANNED_AIRLINE = "e-commerce freighter operator (planned 2025 route, not named)"


def air_offer(
    operator: str, vehicle: str, price: str, source: str, classes: str = "e-commerce;general"
) -> Offer:
    """An air freighter offer with the type's payload and volume."""
    kg, m3 = CAP[vehicle]
    return Offer(operator, vehicle, kg, m3, price, "400.00", None, classes, source)


CRE = "China-Europe Railway Express (Zhengzhou)"
TRAIN_50 = "China Railway Express 50 x 40ft"
TRAIN_41 = "China Railway Express 41 x 40ft (Caspian ferry section)"
RAIL_TARIFF = (
    "assumption: China-Europe rail about 8-15 CNY/kg equivalent, Central Asia less; "
    "capacity 50 FEU = 100 TEU, about 22 t per FEU"
)
MIDDLE_TARIFF = (
    "assumption: Middle Corridor trains limited to 41 FEU by the Caspian ferries; "
    "tariff above the northern corridor"
)


def rail_offer(price: str, source: str, classes: str = "general", feu: int = 50) -> Offer:
    """A block train offer: ``feu`` forty-foot positions."""
    vehicle = TRAIN_50 if feu == 50 else TRAIN_41
    return Offer(CRE, vehicle, feu * 22_000, feu * 67, price, "1500.00", 2 * feu, classes, source)


TIR_TRUCKS = 3  # trucks in one scheduled TIR run (assumption)
TIR_OFFER_SOURCE = (
    "assumption: a run is 3 TIR trucks of 40 t GVW (22 t, 86 m3 each); TIR road to Central "
    "Asia about 10-15 CNY/kg"
)


def tir_offer(price: str) -> Offer:
    """A TIR run of ``TIR_TRUCKS`` 40 t trucks from the Henan TIR assembly centre."""
    return Offer(
        "Henan TIR road transport (Zhengzhou Airport Economy Zone hauliers)",
        "TIR truck 40t",
        TIR_TRUCKS * 22_000,
        TIR_TRUCKS * 86,
        price,
        "2000.00",
        None,
        "general;e-commerce",
        f"{S004} (TIR vehicles from the Zhengzhou Airport Economy Zone); {TIR_OFFER_SOURCE}",
    )


# --- Air ------------------------------------------------------------------------------------

AIR_SERVICES: list[ServiceFact] = [
    ServiceFact(
        "AIR-CGO-MAD",
        "air",
        "Zhengzhou-Madrid cross-border e-commerce freighter",
        ("CGO", "MAD"),
        air_offer(
            "One Air",
            B744F,
            "32.00",
            f"{S001} (One Air, B747-400F, 87.79 t of e-commerce goods); {AIR_TARIFF}",
        ),
        (
            cal(
                "0001001",
                "18:19",
                D(2025, 2, 16),
                f"{S001} (first departure Sun 2025-02-16 18:19 local); "
                "assumption: 2 a week, Thursday and Sunday",
            ),
        ),
        f"{S001}",
        "AIR-MAD-CGO",
        (
            cal(
                "1000100",
                "20:00",
                D(2025, 2, 17),
                "assumption: return the evening after each arrival (Monday and Friday)",
            ),
        ),
        f"assumption: return leg of the {S001} Madrid freighter",
    ),
    ServiceFact(
        "AIR-CGO-DAC",
        "air",
        "Zhengzhou-Dhaka freighter",
        ("CGO", "DAC"),
        air_offer(UNNAMED_AIRLINE, B763F, "18.00", f"assumption: aircraft type; {AIR_TARIFF}"),
        (
            cal(
                "1001000",
                "01:30",
                D(2025, 2, 17),
                f"{S000} (2 a week from 2025-02-17, a Monday); assumption: Monday and Thursday "
                "01:30",
            ),
        ),
        f"{S000}",
        "AIR-DAC-CGO",
        (
            cal(
                "1001000",
                "09:30",
                D(2025, 2, 17),
                "assumption: same-day return, about 6 h after arrival",
            ),
        ),
        f"assumption: return leg of the {S000} Dhaka freighter",
    ),
    ServiceFact(
        "AIR-CGO-KGF-OSL",
        "air",
        "Zhengzhou-Karaganda-Oslo freighter",
        ("CGO", "KGF", "OSL"),
        air_offer(
            "Capital Airlines",
            A332F,
            "30.00",
            f"{S001} (Capital Airlines); assumption: A330-200F; {AIR_TARIFF}",
        ),
        (
            cal(
                "0101011",
                "23:00",
                D(2025, 2, 18),
                f"{S000} (Zhengzhou-Oslo 4 a week from 2025-02-18, a Tuesday); assumption: "
                "Tue, Thu, Sat, Sun 23:00",
            ),
        ),
        f"{S000} (Zhengzhou-Oslo, 4 a week); {S001} (Capital Airlines Zhengzhou-Karaganda-Oslo); "
        "assumption: both reports describe the same route",
        "AIR-OSL-KGF-CGO",
        (
            cal(
                "1010101",
                "14:00",
                D(2025, 2, 19),
                "assumption: return the day of each arrival, about 9 h later",
            ),
        ),
        f"assumption: return leg of the {S001} Oslo freighter",
    ),
    ServiceFact(
        "AIR-CGO-EMA",
        "air",
        "Zhengzhou-Nottingham freighter (East Midlands airport)",
        ("CGO", "EMA"),
        air_offer(UNNAMED_AIRLINE, B744F, "30.00", f"assumption: aircraft type; {AIR_TARIFF}"),
        (
            cal(
                "0100100",
                "17:00",
                D(2025, 2, 25),
                f"{S001} (Nottingham added by the end of February 2025); assumption: first "
                "flight 2025-02-25, Tuesday and Friday 17:00",
            ),
        ),
        f"{S001}",
        "AIR-EMA-CGO",
        (cal("0010010", "19:00", D(2025, 2, 26), "assumption: return the day after arrival"),),
        f"assumption: return leg of the {S001} Nottingham freighter",
    ),
    ServiceFact(
        "AIR-CGO-LGG",
        "air",
        "Zhengzhou-Liège freighter",
        ("CGO", "LGG"),
        air_offer(UNNAMED_AIRLINE, B744F, "29.00", f"assumption: aircraft type; {AIR_TARIFF}"),
        (
            cal(
                "1010100",
                "01:00",
                D(2024, 9, 1),
                f"assumption: existing route ({S001}), 3 a week before it was densified",
                D(2025, 2, 16),
            ),
            cal(
                "1111100",
                "01:00",
                D(2025, 2, 17),
                f"{S001} (flights to Liège densified in Feb 2025); assumption: 5 a week",
            ),
        ),
        f"{S001} (existing Liège route, densified in Feb 2025)",
        "AIR-LGG-CGO",
        (
            cal(
                "1010100",
                "20:00",
                D(2024, 9, 1),
                "assumption: same-day return, 3 a week before densification",
                D(2025, 2, 16),
            ),
            cal("1111100", "20:00", D(2025, 2, 17), "assumption: same-day return, 5 a week"),
        ),
        f"assumption: return leg of the {S001} Liège freighter",
    ),
]

PLANNED_START = D(2025, 7, 1)
PLANNED_WHY = (
    "assumption: the 2025 plan gives no dates; first flight 2025-07-01 (after the May 2025 "
    "cross-border e-commerce conference), 2 a week"
)


def planned(
    code: str, city: str, vehicle: str, price: str, out: str, back: str, note: str = ""
) -> ServiceFact:
    """One of the planned 2025 e-commerce freighter routes (seed 003), with its return."""
    route = ("CGO", "ANC", code) if code == "ORD" else ("CGO", code)
    source = f"{S003} (planned 2025 route){note}"
    return ServiceFact(
        f"AIR-{'-'.join(route)}",
        "air",
        f"Zhengzhou-{city} e-commerce freighter (planned 2025)",
        route,
        air_offer(PLANNED_AIRLINE, vehicle, price, f"assumption: aircraft type; {AIR_TARIFF}"),
        (cal(out, "02:00", PLANNED_START, PLANNED_WHY),),
        source,
        f"AIR-{'-'.join(reversed(route))}",
        (cal(back, "21:00", PLANNED_START, "assumption: return the day after arrival"),),
        f"assumption: return leg of a planned route; {source}",
    )


CENTRAL_ASIA = "; assumption: Central Asian city chosen (seed names the region only)"
PLANNED_SERVICES: list[ServiceFact] = [
    planned("FRA", "Frankfurt", B744F, "30.00", "0100100", "0010010"),
    planned("CDG", "Paris", B744F, "31.00", "1001000", "0100100"),
    planned("BUD", "Budapest", A332F, "29.00", "0010010", "0001001"),
    planned("IST", "Istanbul", A332F, "27.00", "0100010", "0010001"),
    planned(
        "ORD",
        "Chicago",
        B744F,
        "38.00",
        "0010001",
        "1001000",
        "; assumption: North American city chosen (seed names the region only)",
    ),
    planned("ALA", "Almaty", B763F, "20.00", "1000100", "0100010", CENTRAL_ASIA),
    planned("TAS", "Tashkent", B763F, "21.00", "0010100", "0001010", CENTRAL_ASIA),
]

# --- Rail (China-Europe Railway Express and rail-sea) --------------------------------------

FREQ = (
    "frequency scaled so that over 10 international trains a day arrive at or depart from "
    f"Zhengzhou, as {S002} reports"
)
RAIL_FROM = D(2024, 9, 1)
RAIL_TIMING = "assumption: running and border dwell times from typical China-Europe transit times"

RAIL_SERVICES: list[ServiceFact] = [
    ServiceFact(
        "CRE-ZGZ-LGG",
        "rail",
        "China-Europe Railway Express Zhengzhou-Liège",
        (
            Leg("CNZGZ", 0),
            Leg("CNAKL", 72, 36),
            Leg("BY-BREST", 150, 18),
            Leg("PLMAA", 3, 36),
            Leg("BELGG", 60),
        ),
        rail_offer("11.00", f"{S002} (operator); {RAIL_TARIFF}", "general;e-commerce"),
        (
            cal(
                "1111011",
                "12:30",
                RAIL_FROM,
                f"{S002} (a Liège train left at about 12:30 on Sun 2024-11-17); assumption: "
                f"6 a week (not Friday); {FREQ}",
            ),
        ),
        f"{S002} (Zhengzhou-Liège train; machinery, auto parts, electronics, clothing); "
        f"{RAIL_TIMING}",
        "CRE-LGG-ZGZ",
        (cal("1111110", "10:00", RAIL_FROM, f"assumption: 6 return trains a week; {FREQ}"),),
        f"assumption: return train of the {S002} Liège line",
    ),
    ServiceFact(
        "CRE-ZGZ-HAM",
        "rail",
        "China-Europe Railway Express Zhengzhou-Hamburg",
        (
            Leg("CNZGZ", 0),
            Leg("CNRLC", 40, 36),
            Leg("BY-BREST", 192, 18),
            Leg("PLMAA", 3, 36),
            Leg("DEHAM", 54),
        ),
        rail_offer("10.50", f"{S002} (operator); {RAIL_TARIFF}", "general;e-commerce"),
        (
            cal(
                "1111111",
                "10:00",
                RAIL_FROM,
                f"assumption: daily (Hamburg is the main line); {FREQ}",
            ),
        ),
        f"{S002} (named destination Hamburg); assumption: via Erenhot-Mongolia-Russia; "
        f"{RAIL_TIMING}",
        "CRE-HAM-ZGZ",
        (cal("1111111", "08:00", RAIL_FROM, f"assumption: daily return trains; {FREQ}"),),
        f"assumption: return train of the {S002} Hamburg line",
    ),
    ServiceFact(
        "CRE-ZGZ-HER",
        "rail",
        "China-Europe Railway Express Zhengzhou-Herne",
        (
            Leg("CNZGZ", 0),
            Leg("CNMLX", 62, 36),
            Leg("BY-BREST", 190, 18),
            Leg("PLMAA", 3, 36),
            Leg("DEHEE", 60),
        ),
        rail_offer("11.00", f"{S002} (operator); {RAIL_TARIFF}"),
        (cal("1001100", "16:00", RAIL_FROM, f"assumption: Monday, Thursday, Friday; {FREQ}"),),
        f"{S002} (new destination Herne, Germany; the seed wrongly says Netherlands); "
        f"assumption: via Manzhouli-Russia; {RAIL_TIMING}",
        "CRE-HER-ZGZ",
        (cal("1010100", "09:00", RAIL_FROM, f"assumption: 3 return trains a week; {FREQ}"),),
        f"assumption: return train of the {S002} Herne line",
    ),
    ServiceFact(
        "CRE-ZGZ-BEG",
        "rail",
        "China-Europe Railway Express Zhengzhou-Belgrade",
        (
            Leg("CNZGZ", 0),
            Leg("CNHRS", 80, 36),
            Leg("BY-BREST", 170, 18),
            Leg("PLMAA", 3, 36),
            Leg("RSBEG", 84),
        ),
        rail_offer("12.00", f"{S002} (operator); {RAIL_TARIFF}"),
        (cal("0100101", "15:00", RAIL_FROM, f"assumption: Tuesday, Friday, Sunday; {FREQ}"),),
        f"{S002} (new direct destination Belgrade); assumption: via Khorgos-Kazakhstan-Russia-"
        f"Belarus-Poland-Slovakia-Hungary; {RAIL_TIMING}",
        "CRE-BEG-ZGZ",
        (cal("0010110", "12:00", RAIL_FROM, f"assumption: 3 return trains a week; {FREQ}"),),
        f"assumption: return train of the {S002} Belgrade line",
    ),
    ServiceFact(
        "CRE-ZGZ-BAK",
        "rail",
        "China-Europe Railway Express Zhengzhou-Baku (Middle Corridor)",
        (
            Leg("CNZGZ", 0),
            Leg("CNHRS", 80, 36),
            Leg("KZAAU", 96, 60),
            Leg("AZBAK", 20),
        ),
        rail_offer("13.00", f"{S002} (operator); {MIDDLE_TARIFF}", feu=41),
        (cal("0101010", "14:00", RAIL_FROM, f"assumption: Tuesday, Thursday, Saturday; {FREQ}"),),
        f"{S002} (new direct destination Baku; Middle Corridor across the Caspian Sea); "
        f"assumption: Khorgos-Aktau, then Caspian ferry Aktau-Alat; {RAIL_TIMING}",
        "CRE-BAK-ZGZ",
        (cal("0010001", "10:00", RAIL_FROM, f"assumption: 2 return trains a week; {FREQ}"),),
        f"assumption: return train of the {S002} Baku line",
    ),
    ServiceFact(
        "CRE-ZGZ-IST",
        "rail",
        "China-Europe Railway Express Zhengzhou-Istanbul (Middle Corridor)",
        (
            Leg("CNZGZ", 0),
            Leg("CNHRS", 80, 36),
            Leg("KZAAU", 96, 60),
            Leg("AZBAK", 20, 24),
            Leg("TRKSY", 60, 24),
            Leg("TRIST", 66),
        ),
        rail_offer("14.00", f"{S002} (operator); {MIDDLE_TARIFF}", feu=41),
        (cal("1010100", "14:00", RAIL_FROM, f"assumption: Monday, Wednesday, Friday; {FREQ}"),),
        f"{S002} (new direct destination Istanbul; Middle Corridor); assumption: Khorgos-Aktau, "
        f"Caspian ferry to Alat, Baku-Tbilisi-Kars railway; {RAIL_TIMING}",
        "CRE-IST-ZGZ",
        (cal("0100010", "10:00", RAIL_FROM, f"assumption: 2 return trains a week; {FREQ}"),),
        f"assumption: return train of the {S002} Istanbul line",
    ),
    ServiceFact(
        "CRE-ZGZ-ALA",
        "rail",
        "China-Europe Railway Express Zhengzhou-Almaty",
        (Leg("CNZGZ", 0), Leg("CNHRS", 80, 48), Leg("KZALA", 20)),
        rail_offer("6.50", f"{S002} (operator); {RAIL_TARIFF}", "general;e-commerce"),
        (cal("1111111", "09:00", RAIL_FROM, f"assumption: daily; {FREQ}"),),
        f"{S002} (named destination Almaty); assumption: via Khorgos-Altynkol; {RAIL_TIMING}",
        "CRE-ALA-ZGZ",
        (cal("1111111", "09:00", RAIL_FROM, f"assumption: daily return trains; {FREQ}"),),
        f"assumption: return train of the {S002} Almaty line",
    ),
    ServiceFact(
        "CRE-ZGZ-TAS",
        "rail",
        "China-Europe Railway Express Zhengzhou-Tashkent",
        (
            Leg("CNZGZ", 0),
            Leg("CNHRS", 80, 48),
            Leg("KZALA", 20, 4),
            Leg("KZ-SARYAGASH", 30, 12),
            Leg("UZTAS", 4),
        ),
        rail_offer("7.50", f"{S002} (operator); {RAIL_TARIFF}"),
        (cal("1111100", "11:00", RAIL_FROM, f"assumption: Monday to Friday; {FREQ}"),),
        f"{S002} (named destination Tashkent); assumption: via Khorgos, Almaty, Saryagash; "
        f"{RAIL_TIMING}",
        "CRE-TAS-ZGZ",
        (cal("1011011", "09:00", RAIL_FROM, f"assumption: 5 return trains a week; {FREQ}"),),
        f"assumption: return train of the {S002} Tashkent line",
    ),
    ServiceFact(
        "RS-ZGZ-TAO",
        "rail",
        "Rail-sea intermodal train Zhengzhou-Qingdao (Putian to Qingdao port)",
        (Leg("CNZGZ", 0), Leg("CNTAO", 36)),
        Offer(
            "China Railway (rail-sea intermodal, Zhengzhou)",
            "China Railway rail-sea train 50 x 40ft",
            50 * 22_000,
            50 * 67,
            "0.80",
            "600.00",
            100,
            "",
            "assumption: domestic rail leg of a rail-sea through rate (4-7 CNY/kg in total); "
            "50 FEU train",
        ),
        (
            cal(
                "0101010",
                "20:00",
                RAIL_FROM,
                f"{S000} (rail-sea train left Putian on Thu 2025-02-06); assumption: Tuesday, "
                "Thursday and Saturday, 36 h to Qingdao",
            ),
        ),
        f"{S000} (rail-sea train Putian-Qingdao port, 96 SAIC sedans, 2025-02-06)",
        "RS-TAO-ZGZ",
        (cal("1010100", "20:00", RAIL_FROM, "assumption: 3 return trains a week"),),
        f"assumption: return train of the {S000} rail-sea line",
    ),
]

# --- Sea ------------------------------------------------------------------------------------

SEA_KNOTS = 14.0  # effective speed including intermediate port calls (assumption)
SEA_RESTRICTIONS = ("northwest", "babalmandab", "panama")  # Cape routing (assumption)
SEA_OFFER = Offer(
    "Asia-North Europe liner service (carrier not named)",
    "container ship 10000 TEU",
    10_000 * 10_000,
    10_000 * 33,
    "4.50",
    "1200.00",
    10_000,
    "",
    "assumption: whole-vessel capacity (10 t and 33 m3 per TEU); sea leg of a rail-sea rate "
    "of 4-7 CNY/kg",
)
SEA_TIMING = (
    "assumption: distance from searoute avoiding Bab-el-Mandeb (Cape of Good Hope routing as "
    f"in the 2024-2025 Red Sea crisis); transit at an effective {SEA_KNOTS:g} knots"
)
SEA_SERVICES: list[ServiceFact] = [
    ServiceFact(
        "SEA-TAO-FXT",
        "sea",
        "Qingdao-Felixstowe container sailing (rail-sea)",
        ("CNTAO", "GBFXT"),
        SEA_OFFER,
        (cal("0010001", "22:00", RAIL_FROM, "assumption: 2 sailings a week (Wed, Sun)"),),
        f"{S000} (cars transferred at Qingdao to a ship for Felixstowe); {SEA_TIMING}",
        "SEA-FXT-TAO",
        (cal("0100010", "22:00", RAIL_FROM, "assumption: 2 sailings a week (Tue, Sat)"),),
        f"assumption: return sailing of the {S000} rail-sea route; {SEA_TIMING}",
    ),
]

# --- Road (TIR) -----------------------------------------------------------------------------

TIR_TIMING = "assumption: team-driven trucks, 24 h at the Khorgos border for TIR/customs"
ROAD_SERVICES: list[ServiceFact] = [
    ServiceFact(
        "TIR-ZGZ-ALA",
        "road",
        "TIR road service Zhengzhou-Almaty",
        (Leg("CNZGZ-XZCBZ", 0), Leg("CNHRS", 96, 24), Leg("KZALA", 8)),
        tir_offer("11.00"),
        (
            cal(
                "1001000",
                "08:00",
                D(2024, 9, 23),
                f"{S004} (route launched Mon 2024-09-23); assumption: Monday and Thursday",
            ),
        ),
        f"{S004} (Zhengzhou-Almaty TIR route from the Henan TIR assembly centre); {TIR_TIMING}",
        "TIR-ALA-ZGZ",
        (cal("0010000", "08:00", D(2024, 9, 30), "assumption: weekly return on Wednesday"),),
        f"assumption: return run of the {S004} Almaty TIR route",
    ),
    ServiceFact(
        "TIR-ZGZ-TAS",
        "road",
        "TIR road service Zhengzhou-Tashkent",
        (
            Leg("CNZGZ-XZCBZ", 0),
            Leg("CNHRS", 96, 24),
            Leg("KZALA", 8, 2),
            Leg("KZ-SARYAGASH", 14, 8),
            Leg("UZTAS", 2),
        ),
        tir_offer("13.00"),
        (
            cal(
                "0100010",
                "08:00",
                D(2024, 9, 20),
                f"{S004} (route running since 2023, no date given); assumption: calendar from "
                "2024-09-20, when the Henan TIR assembly centre it starts from opened, Tuesday "
                "and Saturday",
            ),
        ),
        f"{S004} (Zhengzhou-Tashkent TIR since 2023, through Kazakhstan and Almaty); {TIR_TIMING}",
        "TIR-TAS-ZGZ",
        (cal("0001000", "08:00", D(2024, 9, 20), "assumption: weekly return on Thursday"),),
        f"assumption: return run of the {S004} Tashkent TIR route",
    ),
]

# --------------------------------------------------------------------------------------------
# Transfers (minimum connection / acceptance times) and unscheduled links
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TransferFact:
    """A minimum time at a place; empty ``from_mode`` also acts as the acceptance cut-off."""

    place_id: str
    minutes: int
    from_mode: str
    to_mode: str
    source: str


TRANSFERS: list[TransferFact] = [
    TransferFact(
        "CGO",
        180,
        "",
        "air",
        f"{S001} (7x24 clearance, pre-declaration, weigh-and-scan in one pass); assumption: "
        "3 h acceptance cut-off before departure",
    ),
    TransferFact(
        "CGO",
        120,
        "air",
        "air",
        f"{S001} (airside direct transfer for transit cargo); assumption: 2 h minimum connection",
    ),
    TransferFact(
        "CGO", 240, "air", "road", "assumption: 4 h break-down and import release before trucking"
    ),
    TransferFact(
        "CNZGZ",
        360,
        "",
        "rail",
        "assumption: 6 h container acceptance and customs sealing before a train departs",
    ),
    TransferFact(
        "CNZGZ", 720, "rail", "rail", "assumption: 12 h to move a container between trains"
    ),
    TransferFact(
        "CNZGZ", 240, "rail", "road", "assumption: 4 h unloading and release before trucking"
    ),
    TransferFact(
        "CNZGZ-XZCBZ",
        240,
        "",
        "road",
        f"{S004} (TIR assembly centre); assumption: 4 h for TIR carnet, customs seal, loading",
    ),
    TransferFact(
        "CNTAO",
        1440,
        "",
        "sea",
        "assumption: 24 h container yard cut-off before a sailing",
    ),
    TransferFact(
        "CNTAO",
        2880,
        "rail",
        "sea",
        f"{S000} (rail-sea transfer at Qingdao port); assumption: 48 h for rail unloading, "
        "yard stacking and export release",
    ),
    TransferFact(
        "CNTAO", 2880, "sea", "rail", "assumption: 48 h discharge, import release, rail loading"
    ),
]

#: Generic acceptance cut-offs at every other place where some service starts a run.
GENERIC_ACCEPTANCE: dict[tuple[str, str], int] = {  # (place kind, mode) -> minutes
    ("airport", "air"): 180,
    ("rail_terminal", "rail"): 720,
    ("seaport", "sea"): 1440,
    ("seaport", "rail"): 720,
    ("rail_terminal", "road"): 240,
    ("bonded_zone", "road"): 240,
}
GENERIC_ACCEPTANCE_SOURCE = (
    "assumption: generic acceptance cut-off for {mode} departures at places of kind {kind}"
)
BORDER_CHANGE_MIN = 2880
BORDER_CHANGE_SOURCE = (
    "assumption: cargo leaving a sealed train or truck at a border must be unloaded and "
    "declared again for transit; 48 h for any change of vehicle"
)


@dataclass(frozen=True, slots=True)
class LinkFact:
    """A trucking link pair (both directions) between two places."""

    a: str
    b: str
    price_per_kg: str
    min_charge: str
    source: str


ROAD_DETOUR = 1.2  # road distance / great circle (assumption, as silkhub.network.distance)
TRUNK_KMH = 70.0  # team-driven trunk trucking, door to door (assumption)
LOCAL_KMH = 35.0  # city and airport shuttles (assumption)
LOCAL_KM = 100.0  # below this a link is a local shuttle
HANDLING_MIN = 60  # loading and unloading added to every link (assumption)
DOMESTIC_TRUCK = "assumption: domestic trucking about 0.8-1.5 CNY/kg"
SHUTTLE = "assumption: local shuttle rate"
LINK_TIMING = (
    f"assumption: distance great circle x {ROAD_DETOUR:g}, {TRUNK_KMH:g} km/h trunk or "
    f"{LOCAL_KMH:g} km/h local plus {HANDLING_MIN} min handling"
)

LINKS: list[LinkFact] = [
    LinkFact("YIW", "CGO", "1.20", "200.00", f"{S001} (Jin-Gang Link Yiwu/Jinhua-Zhengzhou)"),
    LinkFact("CNJHA", "CGO", "1.20", "200.00", f"{S001} (Jin-Gang Link Jinhua-Zhengzhou)"),
    LinkFact("CNSGH", "CGO", "1.10", "200.00", f"{S001} (cargo from the Yangtze River Delta)"),
    LinkFact("CNBJS", "CGO", "1.00", "200.00", f"{S001} (cargo from Beijing-Tianjin-Hebei)"),
    LinkFact("CNTNJ", "CGO", "1.00", "200.00", f"{S001} (cargo from Beijing-Tianjin-Hebei)"),
    LinkFact("CNZGZ", "CGO", "0.30", "150.00", f"{S000} (land port and airport)"),
    LinkFact("CNZGZ", "CNZGZ-XZCBZ", "0.30", "150.00", f"{S004} (land port and TIR centre)"),
    LinkFact("CNZGZ-XZCBZ", "CGO", "0.20", "100.00", f"{S004} (bonded zone next to CGO)"),
    LinkFact("CNZGZ-HBLP", "CNZGZ", "0.20", "100.00", f"{S000} (bonded park)"),
    LinkFact("CNZGZ-HBLP", "CGO", "0.30", "150.00", f"{S000} (bonded park)"),
    LinkFact(
        "CNZGZ-HBLP",
        "CNZGZ-XZCBZ",
        "0.30",
        "150.00",
        f"{S000} (bonded park); {S004} (TIR centre)",
    ),
    LinkFact("ALA", "KZALA", "0.40", "300.00", "assumption: airport-terminal shuttle"),
    LinkFact("TAS", "UZTAS", "0.40", "300.00", "assumption: airport-terminal shuttle"),
    LinkFact("LGG", "BELGG", "0.40", "300.00", "assumption: airport-terminal shuttle"),
    LinkFact("IST", "TRIST", "0.40", "300.00", "assumption: airport-terminal shuttle"),
]

# --------------------------------------------------------------------------------------------
# Derivation
# --------------------------------------------------------------------------------------------

AIR_OVERHEAD_MIN = 40  # taxi, climb and descent (assumption)
AIR_BLOCK_KMH = 800.0  # block speed over great circle + 95 km (assumption)
AIR_GROUND_MIN = 120  # ground time at an intermediate (technical) stop (assumption)
EARTH_RADIUS_KM = 6371.0088

PLACE_COLUMNS = [
    "place_id",
    "name",
    "kind",
    "country",
    "lat",
    "lon",
    "timezone",
    "iata",
    "unlocode",
    "source",
]
SERVICE_COLUMNS = [
    "service_id",
    "mode",
    "operator",
    "vehicle",
    "capacity_kg",
    "capacity_m3",
    "price_per_kg",
    "min_charge",
    "currency",
    "name",
    "cargo_classes",
    "capacity_teu",
    "source",
]
STOP_COLUMNS = ["service_id", "seq", "place_id", "arrival_min", "departure_min", "distance_km"]
CALENDAR_COLUMNS = ["service_id", "weekdays", "start_time", "valid_from", "valid_to", "source"]
TRANSFER_COLUMNS = ["place_id", "min_minutes", "from_mode", "to_mode", "source"]
LINK_COLUMNS = [
    "from_place",
    "to_place",
    "mode",
    "duration_min",
    "distance_km",
    "price_per_kg",
    "min_charge",
    "currency",
    "source",
]

Row = dict[str, str]


class DataError(Exception):
    """A fact in the tables above is wrong (unknown code, bad timetable...)."""


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on the mean Earth sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def sea_km(a: Row, b: Row, restrictions: Sequence[str] = ("northwest",)) -> float:
    """Shortest sea-lane distance between two ports, by searoute."""
    route = searoute.searoute(
        (float(a["lon"]), float(a["lat"])),
        (float(b["lon"]), float(b["lat"])),
        units="km",
        restrictions=list(restrictions),
    )
    km = float(route["properties"]["length"])
    if not math.isfinite(km) or km <= 0:
        raise DataError(f"searoute found no sea route {a['place_id']} -> {b['place_id']}")
    return km


def check_country(code: str, what: str) -> None:
    """Fail unless ``code`` is an ISO 3166-1 alpha-2 code known to pycountry."""
    if pycountry.countries.get(alpha_2=code) is None:
        raise DataError(f"{what}: unknown country code {code!r}")


def check_timezone(name: str, what: str) -> None:
    """Fail unless ``name`` is a zone of the installed tz database."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise DataError(f"{what}: unknown time zone {name!r}") from exc


def fmt_coord(value: float) -> str:
    """Coordinates with 6 decimals."""
    return f"{value:.6f}"


def fmt_km(value: float) -> str:
    """Distances rounded to 0.1 km."""
    return f"{value:.1f}"


def build_places() -> dict[str, Row]:
    """All places: airports from airportsdata, the others from ``PLACES``."""
    airports = airportsdata.load("IATA")
    rows: dict[str, Row] = {}
    for fact in AIRPORTS:
        record = airports.get(fact.iata)
        if record is None:
            raise DataError(f"airport {fact.iata!r} is not in airportsdata")
        check_country(record["country"], fact.iata)
        check_timezone(record["tz"], fact.iata)
        rows[fact.iata] = {
            "place_id": fact.iata,
            "name": fact.name or record["name"],
            "kind": "airport",
            "country": record["country"],
            "lat": fmt_coord(float(record["lat"])),
            "lon": fmt_coord(float(record["lon"])),
            "timezone": record["tz"],
            "iata": fact.iata,
            "unlocode": "",
            "source": (
                f"{fact.source}; coordinates and time zone from airportsdata"
                if fact.name
                else f"{fact.source}; name, coordinates and time zone from airportsdata"
            ),
        }
    for place in PLACES:
        if place.place_id in rows:
            raise DataError(f"duplicate place {place.place_id}")
        check_country(place.country, place.place_id)
        check_timezone(place.timezone, place.place_id)
        if place.unlocode and (
            len(place.unlocode) != 5 or not place.unlocode.startswith(place.country)
        ):
            raise DataError(f"{place.place_id}: UN/LOCODE {place.unlocode!r} does not fit")
        if not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
            raise DataError(f"{place.place_id}: coordinates out of range")
        rows[place.place_id] = {
            "place_id": place.place_id,
            "name": place.name,
            "kind": place.kind,
            "country": place.country,
            "lat": fmt_coord(place.lat),
            "lon": fmt_coord(place.lon),
            "timezone": place.timezone,
            "iata": "",
            "unlocode": place.unlocode,
            "source": place.source,
        }
    return rows


@dataclass(frozen=True, slots=True)
class TimedStop:
    """A stop with elapsed minutes and optional distance from the previous stop."""

    place_id: str
    arrival: int | None
    departure: int | None
    distance_km: float | None


def legs_to_stops(legs: Sequence[Leg]) -> list[TimedStop]:
    """Elapsed minutes from running and dwell hours."""
    stops: list[TimedStop] = []
    clock = 0
    for i, leg in enumerate(legs):
        if i == 0:
            stops.append(TimedStop(leg.place_id, None, 0, None))
            continue
        clock += round(leg.run_h * 60)
        arrival = clock
        last = i == len(legs) - 1
        clock += round(leg.dwell_h * 60)
        stops.append(TimedStop(leg.place_id, arrival, None if last else clock, None))
    return stops


def reverse_legs(legs: Sequence[Leg]) -> list[Leg]:
    """The way back: same running times per section, same dwells at intermediate stops."""
    n = len(legs)
    out = [Leg(legs[-1].place_id, 0)]
    for i in range(n - 2, -1, -1):
        dwell = legs[i].dwell_h if i > 0 else 0.0
        out.append(Leg(legs[i].place_id, legs[i + 1].run_h, dwell))
    return out


def air_stops(route: Sequence[str], places: dict[str, Row]) -> list[TimedStop]:
    """Block times from great-circle distance: overhead + (gc + 95 km) at block speed."""
    stops = [TimedStop(route[0], None, 0, None)]
    clock = 0
    for i in range(1, len(route)):
        a, b = places[route[i - 1]], places[route[i]]
        gc = great_circle_km(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"]))
        clock += AIR_OVERHEAD_MIN + round((gc + 95.0) / AIR_BLOCK_KMH * 60)
        arrival = clock
        last = i == len(route) - 1
        if not last:
            clock += AIR_GROUND_MIN
        stops.append(TimedStop(route[i], arrival, None if last else clock, None))
    return stops


def sea_stops(route: Sequence[str], places: dict[str, Row]) -> list[TimedStop]:
    """Sailing times from the searoute distance at the effective speed."""
    if len(route) != 2:
        raise DataError("sea services here are direct sailings")
    km = sea_km(places[route[0]], places[route[1]], SEA_RESTRICTIONS)
    minutes = round(km / (SEA_KNOTS * 1.852) * 60)
    return [
        TimedStop(route[0], None, 0, None),
        TimedStop(route[1], minutes, None, km),
    ]


def with_sea_distances(stops: list[TimedStop], places: dict[str, Row]) -> list[TimedStop]:
    """Write searoute distances on port-to-port sections of land services (Caspian ferry)."""
    out = [stops[0]]
    for prev, stop in itertools.pairwise(stops):
        both_ports = (
            places[prev.place_id]["kind"] == "seaport"
            and places[stop.place_id]["kind"] == "seaport"
        )
        km = sea_km(places[prev.place_id], places[stop.place_id]) if both_ports else None
        out.append(TimedStop(stop.place_id, stop.arrival, stop.departure, km))
    return out


def check_stops(service_id: str, stops: Sequence[TimedStop], places: dict[str, Row]) -> None:
    """The format's rules on stops: known places, monotonic elapsed minutes."""
    if len(stops) < 2:
        raise DataError(f"{service_id}: needs at least two stops")
    previous_departure = -1
    for i, stop in enumerate(stops):
        if stop.place_id not in places:
            raise DataError(f"{service_id}: unknown place {stop.place_id}")
        if i == 0:
            if stop.arrival is not None or stop.departure != 0:
                raise DataError(f"{service_id}: first stop must depart at 0")
        else:
            if stop.arrival is None or stop.arrival <= previous_departure:
                raise DataError(f"{service_id}: stop {i + 1} arrival not after departure")
            if stop.departure is not None and stop.departure < stop.arrival:
                raise DataError(f"{service_id}: stop {i + 1} departs before arriving")
        if (stop.departure is None) != (i == len(stops) - 1):
            raise DataError(f"{service_id}: only the last stop has no departure")
        previous_departure = stop.departure if stop.departure is not None else previous_departure


def check_calendars(service_id: str, rows: Sequence[CalendarFact]) -> None:
    """Weekday strings, times, and no two rows of one service on the same date."""
    if not rows:
        raise DataError(f"{service_id}: no calendar")
    for row in rows:
        if len(row.weekdays) != 7 or set(row.weekdays) - {"0", "1"} or "1" not in row.weekdays:
            raise DataError(f"{service_id}: bad weekdays {row.weekdays!r}")
        hh, mm = row.start_time.split(":")
        if len(hh) != 2 or not 0 <= int(hh) <= 23 or len(mm) != 2 or not 0 <= int(mm) <= 59:
            raise DataError(f"{service_id}: bad start time {row.start_time!r}")
        if row.valid_to < row.valid_from:
            raise DataError(f"{service_id}: calendar ends before it starts")
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            start, end = max(a.valid_from, b.valid_from), min(a.valid_to, b.valid_to)
            day = start
            while day <= end and day < start + timedelta(days=7):
                if a.weekdays[day.weekday()] == "1" and b.weekdays[day.weekday()] == "1":
                    raise DataError(f"{service_id}: two calendar rows run on {day}")
                day += timedelta(days=1)


def services_of(facts: Iterable[ServiceFact]) -> Iterable[tuple[ServiceFact, bool]]:
    """Each fact once outbound and, when it has one, once as its return."""
    for fact in facts:
        yield fact, False
        if fact.return_id:
            yield fact, True


ROUTE_IN_NAME = re.compile(r"(?:Zhengzhou|Qingdao)(?:-[^\s-]+)+")


def reversed_name(name: str) -> str:
    """The name of a return service: 'Zhengzhou-Karaganda-Oslo' becomes 'Oslo-Karaganda-...'."""
    match = ROUTE_IN_NAME.search(name)
    if match is None:
        raise DataError(f"cannot reverse the route in the name {name!r}")
    reversed_route = "-".join(reversed(match.group(0).split("-")))
    return f"{name[: match.start()]}{reversed_route}{name[match.end() :]}"


def build(places: dict[str, Row]) -> dict[str, list[Row]]:
    """Every row of services, stops and calendar, after checking each service."""
    services: list[Row] = []
    stops_rows: list[Row] = []
    calendar_rows: list[Row] = []
    all_facts = AIR_SERVICES + PLANNED_SERVICES + RAIL_SERVICES + SEA_SERVICES + ROAD_SERVICES
    seen: set[str] = set()
    for fact, is_return in services_of(all_facts):
        service_id = fact.return_id if is_return else fact.service_id
        if service_id in seen:
            raise DataError(f"duplicate service {service_id}")
        seen.add(service_id)
        route = fact.route
        if fact.mode == "air":
            codes = [str(p) for p in route]
            stops = air_stops(codes[::-1] if is_return else codes, places)
        elif fact.mode == "sea":
            codes = [str(p) for p in route]
            stops = sea_stops(codes[::-1] if is_return else codes, places)
        else:
            legs = [leg for leg in route if isinstance(leg, Leg)]
            if len(legs) != len(route):
                raise DataError(f"{service_id}: land services need Leg rows")
            stops = legs_to_stops(reverse_legs(legs) if is_return else legs)
            stops = with_sea_distances(stops, places)
        check_stops(service_id, stops, places)
        calendars = fact.return_calendars if is_return else fact.calendars
        check_calendars(service_id, calendars)
        offer = fact.offer
        services.append(
            {
                "service_id": service_id,
                "mode": fact.mode,
                "operator": offer.operator,
                "vehicle": offer.vehicle,
                "capacity_kg": str(offer.capacity_kg),
                "capacity_m3": str(offer.capacity_m3),
                "price_per_kg": str(Decimal(offer.price_per_kg).quantize(Decimal("0.01"))),
                "min_charge": str(Decimal(offer.min_charge).quantize(Decimal("0.01"))),
                "currency": CURRENCY,
                "name": reversed_name(fact.name) if is_return else fact.name,
                "cargo_classes": offer.cargo_classes,
                "capacity_teu": "" if offer.capacity_teu is None else str(offer.capacity_teu),
                "source": f"{fact.return_source if is_return else fact.source}; "
                f"offer: {offer.source}",
            }
        )
        for seq, stop in enumerate(stops, start=1):
            stops_rows.append(
                {
                    "service_id": service_id,
                    "seq": str(seq),
                    "place_id": stop.place_id,
                    "arrival_min": "" if stop.arrival is None else str(stop.arrival),
                    "departure_min": "" if stop.departure is None else str(stop.departure),
                    "distance_km": "" if stop.distance_km is None else fmt_km(stop.distance_km),
                }
            )
        for row in calendars:
            calendar_rows.append(
                {
                    "service_id": service_id,
                    "weekdays": row.weekdays,
                    "start_time": row.start_time,
                    "valid_from": row.valid_from.isoformat(),
                    "valid_to": row.valid_to.isoformat(),
                    "source": row.source,
                }
            )
    return {"services": services, "stops": stops_rows, "calendar": calendar_rows}


def build_transfers(
    places: dict[str, Row], stops: Sequence[Row], services: Sequence[Row]
) -> list[Row]:
    """Explicit transfer rules plus generic acceptance cut-offs where runs depart."""
    rows: dict[tuple[str, str, str], Row] = {}
    for fact in TRANSFERS:
        if fact.place_id not in places:
            raise DataError(f"transfer at unknown place {fact.place_id}")
        key = (fact.place_id, fact.from_mode, fact.to_mode)
        if key in rows:
            raise DataError(f"duplicate transfer {key}")
        rows[key] = {
            "place_id": fact.place_id,
            "min_minutes": str(fact.minutes),
            "from_mode": fact.from_mode,
            "to_mode": fact.to_mode,
            "source": fact.source,
        }
    for place in places.values():
        if place["kind"] == "border_crossing":
            rows[(place["place_id"], "", "")] = {
                "place_id": place["place_id"],
                "min_minutes": str(BORDER_CHANGE_MIN),
                "from_mode": "",
                "to_mode": "",
                "source": BORDER_CHANGE_SOURCE,
            }
    mode_of = {row["service_id"]: row["mode"] for row in services}
    for stop in stops:
        if stop["departure_min"] == "":
            continue  # cargo may board wherever a run departs
        place = places[stop["place_id"]]
        mode = mode_of[stop["service_id"]]
        key = (place["place_id"], "", mode)
        minutes = GENERIC_ACCEPTANCE.get((place["kind"], mode))
        if key in rows or minutes is None:
            continue
        rows[key] = {
            "place_id": place["place_id"],
            "min_minutes": str(minutes),
            "from_mode": "",
            "to_mode": mode,
            "source": GENERIC_ACCEPTANCE_SOURCE.format(mode=mode, kind=place["kind"]),
        }
    return list(rows.values())


def build_links(places: dict[str, Row]) -> list[Row]:
    """Both directions of every link pair; distance and time derived from coordinates."""
    rows: list[Row] = []
    for fact in LINKS:
        for a, b in ((fact.a, fact.b), (fact.b, fact.a)):
            if a not in places or b not in places:
                raise DataError(f"link {a}->{b}: unknown place")
            pa, pb = places[a], places[b]
            km = ROAD_DETOUR * great_circle_km(
                float(pa["lat"]), float(pa["lon"]), float(pb["lat"]), float(pb["lon"])
            )
            speed = LOCAL_KMH if km < LOCAL_KM else TRUNK_KMH
            minutes = HANDLING_MIN + round(km / speed * 60)
            tariff = DOMESTIC_TRUCK if km >= LOCAL_KM else SHUTTLE
            rows.append(
                {
                    "from_place": a,
                    "to_place": b,
                    "mode": "road",
                    "duration_min": str(minutes),
                    "distance_km": fmt_km(km),
                    "price_per_kg": fact.price_per_kg,
                    "min_charge": fact.min_charge,
                    "currency": CURRENCY,
                    "source": f"{fact.source}; {tariff}; {LINK_TIMING}",
                }
            )
    return rows


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Write UTF-8 with a header row, newline line endings and minimal quoting."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            if not row.get("source", "x"):
                raise DataError(f"{path.name}: a row without source: {row}")
            writer.writerow(row)


def main(out_dir: Path = OUT_DIR) -> int:
    """Derive and write the six CSV files; return the exit code."""
    places = build_places()
    built = build(places)
    transfers = build_transfers(places, built["stops"], built["services"])
    links = build_links(places)
    used = {row["place_id"] for row in built["stops"]} | {row["from_place"] for row in links}
    unused = sorted(set(places) - used)
    if unused:
        raise DataError(f"places used by no service or link: {unused}")

    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(
        out_dir / "places.csv", PLACE_COLUMNS, sorted(places.values(), key=lambda r: r["place_id"])
    )
    write_csv(
        out_dir / "services.csv",
        SERVICE_COLUMNS,
        sorted(built["services"], key=lambda r: r["service_id"]),
    )
    write_csv(
        out_dir / "stops.csv",
        STOP_COLUMNS,
        sorted(built["stops"], key=lambda r: (r["service_id"], int(r["seq"]))),
    )
    write_csv(
        out_dir / "calendar.csv",
        CALENDAR_COLUMNS,
        sorted(built["calendar"], key=lambda r: (r["service_id"], r["valid_from"])),
    )
    write_csv(
        out_dir / "transfers.csv",
        TRANSFER_COLUMNS,
        sorted(transfers, key=lambda r: (r["place_id"], r["from_mode"], r["to_mode"])),
    )
    write_csv(
        out_dir / "links.csv",
        LINK_COLUMNS,
        sorted(links, key=lambda r: (r["from_place"], r["to_place"], r["mode"])),
    )
    print(
        f"wrote {out_dir}: {len(places)} places, {len(built['services'])} services, "
        f"{len(built['stops'])} stops, {len(built['calendar'])} calendar rows, "
        f"{len(transfers)} transfers, {len(links)} links"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
