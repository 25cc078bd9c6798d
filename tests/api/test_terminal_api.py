"""`/v1/terminal`: layout, occupancy, tasks and AGV positions per tenant, by role."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from apihub import Hub
from silkhub.store import Role

OPERATOR = Role.TERMINAL_OPERATOR


def _departure(hub: Hub, cutoff: str, org: str = "acme", dep: str = "D1") -> Any:
    body = {"departure_id": dep, "cutoff": cutoff, "station_id": "BU-2", "label": "CGO→MAD"}
    return hub.post("/v1/terminal/departures", body, org=org, role=Role.PLANNER)


def _piece(measured: float, pid: str = "P1", dep: str = "D1") -> dict[str, Any]:
    return {
        "piece_id": pid,
        "waybill": "880-12345675",
        "declared_kg": 20.0,
        "volume_m3": 0.12,
        "departure_id": dep,
        "measured_kg": measured,
        "lane": "IND-3",
    }


def _far_cutoff(hub: Hub, hours: int = 6) -> str:
    now = hub.get("/v1/terminal/agvs", role=OPERATOR).json()["at"]
    return (datetime.fromisoformat(now) + timedelta(hours=hours)).isoformat()


def test_layout_is_the_north_cargo_area(hub: Hub) -> None:
    """The layout lists 480 shelves in zones, lanes, build-up stations and 60 AGV homes."""
    response = hub.get("/v1/terminal/layout", role=Role.PLANNER)
    assert response.status_code == 200, response.text
    layout = response.json()
    assert (layout["height"], layout["width"]) == (24, 66)
    assert len(layout["map"]) == 24
    assert all(len(row) == 66 for row in layout["map"])
    assert len(layout["shelves"]) == 480
    assert len(layout["agv_homes"]) == 60
    kinds = {s["kind"] for s in layout["stations"]}
    assert kinds == {"induction", "buildup", "charger"}
    shelf = layout["shelves"][0]
    assert layout["map"][shelf["cell"]["row"]][shelf["cell"]["col"]] == "@"
    assert layout["map"][shelf["access"]["row"]][shelf["access"]["col"]] == "."


@pytest.mark.parametrize("role", [Role.SHIPPER, Role.FORWARDER, Role.CUSTOMS_OFFICER])
def test_other_roles_are_refused(hub: Hub, role: Role) -> None:
    """Only terminal operators, planners and admins see the floor."""
    response = hub.get("/v1/terminal/agvs", role=role)
    assert response.status_code == 403
    assert "terminal_operator" in response.json()["detail"]


def test_no_key_is_401(hub: Hub) -> None:
    """The floor is not public."""
    assert hub.client.get("/v1/terminal/occupancy").status_code == 401


def test_a_piece_goes_from_the_door_to_a_shelf(hub: Hub) -> None:
    """Induct a clean piece, advance the floor: its storage task is done and the slot taken."""
    assert _departure(hub, _far_cutoff(hub)).status_code == 201
    answer = hub.post("/v1/terminal/pieces", _piece(20.3), role=OPERATOR).json()
    assert (answer["verdict"], answer["status"]) == ("accepted", "to_shelf")
    tasks = hub.get("/v1/terminal/tasks?state=open", role=OPERATOR).json()
    assert tasks["total"] == 1
    (task,) = tasks["items"]
    assert (task["kind"], task["piece_id"], task["state"]) == ("store", "P1", "open")
    occupancy = hub.get("/v1/terminal/occupancy", role=OPERATOR).json()
    assert (occupancy["occupied"], occupancy["stored"]) == (1, 0)
    before = hub.get("/v1/terminal/agvs", role=OPERATOR).json()
    done = hub.post("/v1/terminal/advance", {"steps": 400}, role=OPERATOR).json()
    assert done["step"] == 400
    assert done["tasks_done"]["store"] == 1
    after = hub.get("/v1/terminal/agvs", role=OPERATOR).json()
    assert after["step"] == 400
    assert len(after["items"]) == 60
    assert after["at"] > before["at"]
    occupancy = hub.get("/v1/terminal/occupancy?heatmap=true", role=Role.PLANNER).json()
    assert occupancy["stored"] == 1
    assert [d["departure_id"] for d in occupancy["departures"]] == ["D1"]
    assert len(occupancy["heatmap"]["values"]) == 24


def test_a_discrepancy_is_held_with_an_event(hub: Hub) -> None:
    """A piece 25 % over its declared weight is held; the event says why."""
    _departure(hub, _far_cutoff(hub))
    answer = hub.post("/v1/terminal/pieces", _piece(25.0), role=OPERATOR).json()
    assert answer["verdict"] == "held"
    assert answer["status"] == "held"
    assert answer["allowed_kg"] == 1.0
    events = hub.get("/v1/terminal/events?kind=piece_held", role=OPERATOR).json()
    assert events["total"] == 1
    assert "weight.discrepancy" in events["items"][0]["detail"]
    assert hub.get("/v1/terminal/tasks", role=OPERATOR).json()["total"] == 0


def test_tenants_have_separate_floors(hub: Hub) -> None:
    """One organisation's pieces and tasks are invisible to another."""
    _departure(hub, _far_cutoff(hub))
    hub.post("/v1/terminal/pieces", _piece(20.0), role=OPERATOR)
    assert hub.get("/v1/terminal/tasks", role=OPERATOR).json()["total"] == 1
    assert hub.get("/v1/terminal/tasks", org="globex", role=OPERATOR).json()["total"] == 0
    assert hub.get("/v1/terminal/occupancy", org="globex", role=OPERATOR).json()["occupied"] == 0


def test_writes_need_the_right_role_and_good_input(hub: Hub) -> None:
    """Planners open departures, operators induct and advance; bad input is a 422 or 409."""
    cutoff = _far_cutoff(hub)
    assert _departure(hub, cutoff).status_code == 201
    assert _departure(hub, cutoff).status_code == 409
    body = {"departure_id": "D2", "cutoff": cutoff, "station_id": "BU-99"}
    bad = hub.post("/v1/terminal/departures", body, role=Role.PLANNER)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["body.station_id"]
    naive = {"departure_id": "D3", "cutoff": "2025-03-03T08:00:00", "station_id": "BU-1"}
    assert hub.post("/v1/terminal/departures", naive, role=Role.PLANNER).status_code == 422
    for edge in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
        far = {"departure_id": "D4", "cutoff": edge, "station_id": "BU-1"}
        refused = hub.post("/v1/terminal/departures", far, role=Role.PLANNER)
        assert refused.status_code == 422, refused.text
        assert "body.cutoff" in refused.json()["detail"]
    assert hub.post("/v1/terminal/pieces", _piece(20.0), role=Role.PLANNER).status_code == 403
    assert hub.post("/v1/terminal/advance", {"steps": 1}, role=Role.PLANNER).status_code == 403
    assert hub.post("/v1/terminal/advance", {"steps": 0}, role=OPERATOR).status_code == 422
    wrong_lane = {**_piece(20.0), "lane": "IND-42"}
    answer = hub.post("/v1/terminal/pieces", wrong_lane, role=OPERATOR)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["body.lane"]
    assert hub.post("/v1/terminal/pieces", _piece(20.0), role=OPERATOR).status_code == 200
    assert hub.post("/v1/terminal/pieces", _piece(20.0), role=OPERATOR).status_code == 409
    negative = {**_piece(20.0, pid="P9"), "declared_kg": -1}
    assert hub.post("/v1/terminal/pieces", negative, role=OPERATOR).status_code == 422


def test_tasks_are_paged(hub: Hub) -> None:
    """Task listings page with limit/offset and a next link."""
    _departure(hub, _far_cutoff(hub))
    for i in range(3):
        hub.post("/v1/terminal/pieces", _piece(20.0, pid=f"P{i}"), role=OPERATOR)
    page = hub.get("/v1/terminal/tasks?limit=2", role=OPERATOR).json()
    assert (page["total"], len(page["items"])) == (3, 2)
    assert page["next"] is not None
    rest = hub.get(page["next"], role=OPERATOR).json()
    assert len(rest["items"]) == 1
    assert rest["next"] is None


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/terminal/advance", {"steps": True}, "body.steps"),
        ("/v1/terminal/advance", {"steps": "3"}, "body.steps"),
        ("/v1/terminal/advance", {"steps": 2.0}, "body.steps"),
        ("/v1/terminal/pieces", {**_piece(20.0), "volume_m3": True}, "body.volume_m3"),
        ("/v1/terminal/pieces", {**_piece(20.0), "declared_kg": "20"}, "body.declared_kg"),
        ("/v1/terminal/pieces", {**_piece("20.3")}, "body.measured_kg"),  # type: ignore[arg-type]
        ("/v1/terminal/pieces", {**_piece(1e-300), "declared_kg": 1e-300}, "body.declared_kg"),
        ("/v1/terminal/pieces", {**_piece(20.0), "volume_m3": 1e-300}, "body.volume_m3"),
    ],
)
def test_terminal_numbers_are_json_numbers_of_sense(
    hub: Hub, path: str, body: dict[str, Any], field: str
) -> None:
    """true, "3", 2.0 for a step count and weights under a gram are refused, naming the field.

    Lax parsing had run a step for ``true``, taken ``"12.5"`` as a weight and ``true`` as 1 m³,
    and accepted a piece of 1e-300 kg (reported as 0.00 kg).
    """
    _departure(hub, _far_cutoff(hub))
    response = hub.post(path, body, role=OPERATOR)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
