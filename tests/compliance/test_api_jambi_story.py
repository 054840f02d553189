"""The Jambi story of 2017 (../shared/reference/jambi-2017-news.txt), through the API only.

Merangin (an HR violation) and Tebo (an organisational one) are flagged; an officer asks
for their SIAK access to be cut and a director approves, which orders the cut; the network
operators carry it out and confirm it, and only then are the regencies suspended. Each
regent uploads evidence and submits remediation (Tebo fixed its office regulation and
raised its Dukcapil office to type A); a director accepts it and orders the access
restored; the regencies are reconnected when the operators confirm the restoration. About
three months of downtime, from the confirmed cut to the confirmed restoration, remain on
record.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.compliance import api_helpers as h
from tests.factories import official

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MERANGIN, TEBO = "15.02", "15.09"


def at(month, day, hour=9):
    return dt.datetime(2017, month, day, hour, 0, tzinfo=WIB)


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_the_jambi_story():
    with time_machine.travel(at(5, 2), tick=False) as clock:
        officer = h.client_for(official("ministry_officer", username="petugas.dukcapil"))
        director = h.client_for(official("ministry_director", username="direktur.pias"))
        governor = h.client_for(official("governor", "15", username="gubernur.jambi"))
        merangin = h.client_for(official("regent", MERANGIN, username="bupati.merangin"))
        tebo = h.client_for(official("regent", TEBO, username="bupati.tebo"))
        operator = h.client_for(official("network_operator", username="operator.jaringan"))

        # 2 May: both regencies are flagged.
        ok(
            officer.post(
                f"/api/v1/regencies/{MERANGIN}/flag/",
                {
                    "kind": "hr",
                    "description": "Kepala Dinas Dukcapil diganti tanpa persetujuan Menteri",
                    "legal_basis": "UU 24/2013 Pasal 83A; Permendagri 76/2015",
                },
                format="json",
            ),
            201,
        )
        ok(
            officer.post(
                f"/api/v1/regencies/{TEBO}/flag/",
                {
                    "kind": "organisational",
                    "description": "Struktur dan tipe Dinas Dukcapil tidak sesuai aturan",
                    "legal_basis": "PP 18/2016 tentang Perangkat Daerah",
                },
                format="json",
            ),
            201,
        )

        # 8 May: the officer asks for both to be cut; 10 May: a director approves.
        clock.move_to(at(5, 8))
        requests = {
            code: ok(
                officer.post(
                    f"/api/v1/regencies/{code}/suspension-requests/",
                    {"reason": "Tidak kooperatif setelah surat peringatan Dirjen (10 hari)"},
                    format="json",
                ),
                201,
            )["id"]
            for code in (MERANGIN, TEBO)
        }
        queue = ok(director.get("/api/v1/suspension-requests/?status=pending"))["results"]
        assert sorted(r["id"] for r in queue) == sorted(requests.values())
        clock.move_to(at(5, 10, 9))
        cuts = {}
        for code, request_id in requests.items():
            body = ok(director.post(f"/api/v1/suspension-requests/{request_id}/approve/"))
            assert body["status"] == "approved"
            cuts[code] = body["access_order"]

        # The approval orders the cut; until the operators confirm it, nothing is cut.
        assert not ok(governor.get("/api/v1/regencies/?province=15&state=suspended"))["results"]
        waiting = ok(governor.get(f"/api/v1/regencies/{TEBO}/"))
        assert waiting["state"] == "flagged"
        order = waiting["issued_order"]
        assert (order["id"], order["kind"], order["state"]) == (cuts[TEBO], "cut", "issued")
        assert director.post(f"/api/v1/access-orders/{cuts[TEBO]}/execute/").status_code == 403

        # 10 May, 10:00: the network operators cut both and confirm it from their queue.
        clock.move_to(at(5, 10, 10))
        queue = ok(operator.get("/api/v1/access-orders/?state=issued"))["results"]
        assert [(o["id"], o["regency"], o["kind"]) for o in queue] == [
            (cuts[MERANGIN], MERANGIN, "cut"),
            (cuts[TEBO], TEBO, "cut"),
        ]
        for order in queue:
            done = ok(operator.post(f"/api/v1/access-orders/{order['id']}/execute/"))
            assert (done["state"], done["executed_by"]) == ("executed", "operator.jaringan")
            assert done["executed_at"].startswith("2017-05-10")
        suspended = ok(governor.get("/api/v1/regencies/?province=15&state=suspended"))
        assert [r["code"] for r in suspended["results"]] == [MERANGIN, TEBO]
        assert ok(operator.get("/api/v1/access-orders/?state=issued"))["results"] == []

        # The regent of Tebo may not touch Merangin's remediation, nor even see it.
        merangin_detail = ok(merangin.get(f"/api/v1/regencies/{MERANGIN}/"))
        [merangin_violation] = merangin_detail["open_case"]["open_violations"]
        assert (
            tebo.post(
                f"/api/v1/regencies/{MERANGIN}/remediation/",
                {"statements": [{"violation": merangin_violation["id"], "statement": "X"}]},
                format="json",
            ).status_code
            == 404
        )
        assert tebo.get(f"/api/v1/regencies/{MERANGIN}/").status_code == 404

        # End of July: Tebo fixes its office regulation and raises the office to type A.
        clock.move_to(at(7, 28))
        tebo_detail = ok(tebo.get(f"/api/v1/regencies/{TEBO}/"))
        assert "submit_remediation" in tebo_detail["available_transitions"]
        [tebo_violation] = tebo_detail["open_case"]["open_violations"]
        assert tebo_violation["kind"] == "organisational"
        document = ok(
            tebo.post(
                f"/api/v1/regencies/{TEBO}/evidence/",
                {"file": h.pdf("perbup-tebo-opd.pdf"), "description": "Perbup OPD, Dinas tipe A"},
                format="multipart",
            ),
            201,
        )["id"]
        ok(
            tebo.post(
                f"/api/v1/regencies/{TEBO}/remediation/",
                {
                    "statements": [
                        {
                            "violation": tebo_violation["id"],
                            "statement": "Perbup OPD diperbaiki; Dinas Dukcapil naik ke tipe A",
                            "evidence": [document],
                        }
                    ]
                },
                format="json",
            ),
            201,
        )
        clock.move_to(at(8, 3, 9))
        restore = ok(director.post(f"/api/v1/regencies/{TEBO}/reconnection/", {}, format="json"))
        assert (restore["regency"], restore["kind"], restore["state"]) == (
            TEBO,
            "restore",
            "issued",
        )
        assert ok(governor.get(f"/api/v1/regencies/{TEBO}/"))["state"] == "remediated"
        # Restored at 10:00; the operator confirms it in the afternoon, with its ticket.
        clock.move_to(at(8, 3, 15))
        done = ok(
            operator.post(
                f"/api/v1/access-orders/{restore['id']}/execute/",
                {"executed_at": at(8, 3, 10).isoformat(), "reference": "CHG-2017-0803"},
                format="json",
            )
        )
        assert (done["state"], done["reference"]) == ("executed", "CHG-2017-0803")
        assert ok(governor.get(f"/api/v1/regencies/{TEBO}/"))["state"] == "reconnected"

        # Merangin follows.
        clock.move_to(at(8, 7))
        document = ok(
            merangin.post(
                f"/api/v1/regencies/{MERANGIN}/evidence/",
                {"file": h.pdf("sk-kadis.pdf"), "description": "SK Kadis dengan izin Menteri"},
                format="multipart",
            ),
            201,
        )["id"]
        ok(
            merangin.post(
                f"/api/v1/regencies/{MERANGIN}/remediation/",
                {
                    "statements": [
                        {
                            "violation": merangin_violation["id"],
                            "statement": "Kadis diangkat sesuai Pasal 83A",
                            "evidence": [document],
                        }
                    ]
                },
                format="json",
            ),
            201,
        )
        clock.move_to(at(8, 10, 9))
        restore = ok(
            director.post(
                f"/api/v1/regencies/{MERANGIN}/reconnection/",
                {"reason": "Perbaikan diterima"},
                format="json",
            )
        )
        clock.move_to(at(8, 10, 10))
        [waiting] = ok(operator.get("/api/v1/access-orders/?state=issued"))["results"]
        assert (waiting["id"], waiting["kind"]) == (restore["id"], "restore")
        ok(operator.post(f"/api/v1/access-orders/{restore['id']}/execute/"))

        # 17 October, when the news was written: both reconnected, the downtime on record.
        clock.move_to(at(10, 17))
        jambi = ok(governor.get("/api/v1/regencies/?province=15"))["results"]
        states = {r["code"]: r["state"] for r in jambi}
        assert states.pop(MERANGIN) == states.pop(TEBO) == "reconnected"
        assert set(states.values()) == {"compliant"}

        for code, reconnected_at in ((MERANGIN, "2017-08-10"), (TEBO, "2017-08-03")):
            history = ok(governor.get(f"/api/v1/regencies/{code}/history/"))["results"]
            assert [(r["transition"], r["to_state"]) for r in history] == [
                ("flag", "flagged"),
                ("suspend", "suspended"),
                ("submit_remediation", "remediated"),
                ("reconnect", "reconnected"),
            ]
            # The cut and the restoration are the operators' confirmations.
            assert [r["actor"] for r in history] == [
                "petugas.dukcapil",
                "operator.jaringan",
                f"bupati.{'merangin' if code == MERANGIN else 'tebo'}",
                "operator.jaringan",
            ]
            assert history[0]["at"].startswith("2017-05-02")
            assert history[-1]["at"].startswith(reconnected_at)
            assert [r["at"] for r in history] == sorted(r["at"] for r in history)

        # From the confirmed cut (10 May, 10:00) to the confirmed restoration (10:00).
        downtime = ok(governor.get("/api/v1/downtime/?level=regency"))
        assert downtime == [
            {"code": MERANGIN, "name": "Kabupaten Merangin", "downtime_days": 92.0},
            {"code": TEBO, "name": "Kabupaten Tebo", "downtime_days": 85.0},
        ]
        assert ok(governor.get("/api/v1/downtime/?level=province")) == [
            {"code": "15", "name": "Jambi", "downtime_days": 177.0}
        ]
        assert ok(governor.get(f"/api/v1/regencies/{MERANGIN}/"))["downtime_days"] == 92.0
