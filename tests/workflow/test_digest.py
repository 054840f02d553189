"""Each governor gets one digest a day listing the province's regencies with overdue
assignments and their escalation level; nothing when nothing is overdue."""

import datetime as dt
import zoneinfo

import pytest

from compliance.models import Office, OfficeKind
from tests.factories import PSN, official
from workflow import services
from workflow.digest import queue_governor_digests
from workflow.escalation import sweep
from workflow.models import Notification
from workflow.notifications import render

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
DUE = dt.date(2026, 11, 20)
MORNING = dt.datetime(2026, 12, 1, 7, 0, tzinfo=WIB)  # after warning I (Monday 30th, 08:00)


def issue(regions, *, title="Percepatan perekaman KTP-el", due=DUE):
    officer = official("ministry_officer")
    directive = services.create_directive(
        actor=officer,
        title=title,
        body="Selesaikan perekaman.",
        legal_basis="PP 12/2017 Pasal 38",
        due_date=due,
        scope={"regions": regions},
        **PSN,
    )
    directive, _ = services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    return list(directive.assignments.order_by("id"))


def digests():
    return Notification.objects.filter(template="governor_digest")


def test_nothing_is_sent_when_nothing_is_overdue():
    issue(["15.01", "15.02"])
    assert queue_governor_digests(now=dt.datetime(2026, 11, 20, 23, 59, tzinfo=WIB)) == []
    assert not digests().exists()


def test_nothing_is_sent_for_work_already_submitted():
    (a,) = issue(["15.02"])
    regent = official("regent", "15.02")
    services.acknowledge_assignment(assignment=a, actor=regent, at=ISSUED + dt.timedelta(hours=1))
    a.refresh_from_db()
    services.submit_assignment(
        assignment=a, actor=regent, note="Selesai.", at=ISSUED + dt.timedelta(days=1)
    )
    assert queue_governor_digests(now=MORNING) == []


def test_the_governor_gets_the_regencies_of_the_province_with_their_level():
    issue(["15.01", "15.02", "14.01"])
    sweep(now=MORNING)
    issue(["15.02"], title="Pemutakhiran data", due=dt.date(2026, 12, 15))  # not overdue
    ids = queue_governor_digests(now=MORNING)
    assert len(ids) == 2  # Jambi and Riau
    jambi = Office.objects.get(kind=OfficeKind.GOVERNOR, province__code="15")
    notice = digests().get(recipient_office=jambi)
    assert notice.dedupe_key == f"digest:{jambi.pk}:2026-12-01"
    assert notice.recipient_email == jambi.email
    regencies = notice.context["regencies"]
    assert [r["regency"] for r in regencies] == ["Kabupaten Kerinci", "Kabupaten Merangin"]
    assert {r["level"] for r in regencies} == {4}
    assert [len(r["assignments"]) for r in regencies] == [1, 1]  # the new one is not overdue
    assert regencies[0]["assignments"][0]["days_overdue"] == 11

    subject, text, html = render.render_parts(notice)
    assert (
        subject
        == "Ringkasan harian 1 Desember 2026: 2 kabupaten/kota di Jambi melewati batas waktu"
    )
    assert "* Kabupaten Merangin (tingkat eskalasi 4: Teguran tertulis I" in text
    assert "terlambat 11 hari" in text and "<td>" not in text
    assert "<strong>Kabupaten Kerinci</strong>" in html and "Direktif      :" not in text

    notice.language = "en"
    subject, text, _ = render.render_parts(notice)
    assert subject.startswith("Daily digest 1 December 2026: 2 regencies/cities in Jambi")
    assert "11 days overdue" in text


def test_a_rerun_on_the_same_day_sends_nothing_more_the_next_day_sends_again():
    issue(["15.02"])
    assert len(queue_governor_digests(now=MORNING)) == 1
    assert queue_governor_digests(now=MORNING + dt.timedelta(hours=10)) == []
    assert digests().count() == 1
    assert len(queue_governor_digests(now=MORNING + dt.timedelta(days=1))) == 1
    assert digests().count() == 2
