"""Issuing a directive fans out one assignment per addressed office, with its notice."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.errors import Conflict, InvalidInput, NotAllowed
from compliance.models import Office
from tests.factories import PSN, official
from workflow import services
from workflow.models import Assignment, Directive, Notification

pytestmark = pytest.mark.django_db

DUE = dt.date(2027, 1, 29)
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """Monday 30 November 2026, 09:00 WIB (ticking): the directive is drafted and issued
    then, due DUE."""
    time_machine.move_to(NOW)


def draft(actor, scope, **extra):
    return services.create_directive(
        actor=actor,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 24/2013 Pasal 63; UU 23/2014 Pasal 67",
        due_date=DUE,
        scope=scope,
        **extra,
    )


def issue(actor, scope):
    directive, assignments = services.issue_directive(directive=draft(actor, scope), actor=actor)
    return directive, assignments


def test_a_directive_to_jambi_reaches_its_eleven_regents_and_mayors(officer):
    directive, assignments = issue(officer, {"province": "15"})
    titles = set(
        Assignment.objects.filter(directive=directive).values_list("office__title", flat=True)
    )
    assert len(titles) == 11
    assert {"Bupati Merangin", "Bupati Tebo", "Wali Kota Jambi", "Wali Kota Sungai Penuh"} <= titles
    assert directive.state == "issued"


def test_every_assignment_has_its_issue_notice_in_the_outbox(officer):
    directive, assignments = issue(officer, {"province": "15"})
    notices = Notification.objects.filter(assignment__directive=directive)
    assert notices.count() == 11
    assert set(notices.values_list("state", flat=True)) == {"queued"}
    assert Notification.objects.get(dedupe_key=f"assignment:{assignments[0].pk}:issued")
    merangin = notices.get(recipient_office__title="Bupati Merangin")
    assert merangin.recipient_email == "bupati.merangin@pemda.example.go.id"


@pytest.mark.parametrize(
    ("scope", "count"),
    [
        ({"all_regencies": True}, 514),
        ({"all_provinces": True}, 38),
        ({"regions": ["15.02", "15.09", "91"]}, 3),
    ],
)
def test_scope_decides_the_recipients(officer, scope, count):
    _, assignments = issue(officer, scope)
    assert len(assignments) == count


def test_the_deadline_is_the_end_of_the_due_day_in_each_recipients_zone(officer):
    directive, _ = issue(officer, {"regions": ["15.02", "51.71", "91.71"]})
    due = {a.regency.code: a.due_at for a in directive.assignments.select_related("regency")}
    utc = dt.UTC
    assert due["15.02"] == dt.datetime(2027, 1, 29, 17, 0, tzinfo=utc)  # WIB
    assert due["51.71"] == dt.datetime(2027, 1, 29, 16, 0, tzinfo=utc)  # WITA (Denpasar)
    assert due["91.71"] == dt.datetime(2027, 1, 29, 15, 0, tzinfo=utc)  # WIT (Jayapura)


def test_fan_out_takes_the_same_queries_for_eleven_or_514_recipients(officer, postgres):
    # On PostgreSQL; SQLite's bound-parameter limit splits bulk inserts into batches.
    small, national = draft(officer, {"province": "15"}), draft(officer, {"all_regencies": True})

    with CaptureQueriesContext(connection) as few:
        services.issue_directive(directive=small, actor=officer)
    with CaptureQueriesContext(connection) as many:
        services.issue_directive(directive=national, actor=officer)
    assert len(many) == len(few)


def test_a_regent_cannot_draft_a_directive():
    with pytest.raises(NotAllowed):
        draft(official("regent", "15.02"), {"province": "15"})
    assert not Directive.objects.exists()


def test_unknown_region_codes_are_named_and_nothing_is_written(officer):
    with pytest.raises(InvalidInput) as refused:
        draft(officer, {"regions": ["15.02", "15.99", "99"]})
    assert refused.value.errors == {"scope.regions": ["unknown:15.99", "unknown:99"]}
    assert not Directive.objects.exists()


def test_an_issued_directive_cannot_be_issued_again(officer):
    directive, _ = issue(officer, {"province": "15"})
    with pytest.raises(Conflict):
        services.issue_directive(directive=directive, actor=officer)
    assert Assignment.objects.filter(directive=directive).count() == 11


def test_the_default_policy_reminds_and_reports_but_never_sanctions(officer):
    directive = draft(officer, {"province": "15"})
    assert directive.policy.slug == "tindak-lanjut"
    actions = set(directive.policy.steps.values_list("action", flat=True))
    assert actions == {"reminder", "overdue_notice"}
    assert (
        draft(officer, {"province": "15"}, policy="hak-akses-siak").policy.slug == "hak-akses-siak"
    )


def test_the_sanction_ladder_needs_the_instrument_that_makes_it_a_national_programme(officer):
    with pytest.raises(InvalidInput) as refused:
        draft(officer, {"province": "15"}, policy="program-strategis-nasional")
    assert refused.value.errors == {"programme_basis": ["required"]}
    assert "UU 23/2014 Pasal 67-68" in refused.value.detail
    assert not Directive.objects.exists()
    directive = draft(officer, {"province": "15"}, **PSN)
    assert directive.programme_basis == PSN["programme_basis"]


def test_a_directive_is_a_kind_of_official_document_by_default_its_offices(officer):
    assert draft(officer, {"province": "15"}).document_kind == "surat_direktur_jenderal"
    governor = official("governor", "15")
    assert draft(governor, {"province": "15"}).document_kind == "surat_gubernur"
    kind = draft(officer, {"province": "15"}, document_kind="instruksi_menteri").document_kind
    assert kind == "instruksi_menteri"
    with pytest.raises(InvalidInput):
        draft(officer, {"province": "15"}, document_kind="memo")


def test_the_issue_notice_carries_the_directive_office_and_deadline(officer):
    # PostgreSQL writes these notices in SQL, other databases through the ORM: same content.
    directive, _ = issue(officer, {"regions": ["15.02", "91.71"]})
    for notice in Notification.objects.filter(assignment__directive=directive).select_related(
        "assignment__office"
    ):
        assignment = notice.assignment
        assert notice.dedupe_key == f"assignment:{assignment.pk}:issued"
        assert notice.template == "directive_issued"
        assert notice.language == "id"
        assert notice.recipient_office_id == assignment.office_id
        assert notice.context == {
            "directive": directive.pk,
            "title": "Percepatan perekaman KTP-el",
            "office": assignment.office.title,
            "due_at": assignment.due_at.isoformat(),
        }


def test_an_office_that_reads_english_gets_its_notices_in_english(officer):
    Office.objects.filter(title="Bupati Tebo").update(language="en")
    directive, _ = issue(officer, {"regions": ["15.02", "15.09"]})
    languages = dict(
        Notification.objects.filter(assignment__directive=directive).values_list(
            "recipient_office__title", "language"
        )
    )
    assert languages == {"Bupati Merangin": "id", "Bupati Tebo": "en"}


def test_issuing_writes_the_directive_event_with_the_change_or_nothing(officer, monkeypatch):
    """A directive's transitions go through compliance.fsm.apply_transition: the feed event
    is written with the change, and a failed write leaves the draft a draft."""
    from compliance.models import Event
    from workflow import feed

    directive, _ = issue(officer, {"province": "15"})
    (event,) = Event.objects.filter(type="directive.issued")
    assert event.data["directive"] == directive.pk

    failing = draft(officer, {"province": "15"})

    def feed_down(*args, **kwargs):
        raise RuntimeError("feed unavailable")

    monkeypatch.setattr(feed, "directive_changed", feed_down)
    with pytest.raises(RuntimeError):
        services.issue_directive(directive=failing, actor=officer)
    failing.refresh_from_db()
    assert failing.state == "draft" and failing.issued_at is None
    assert not Assignment.objects.filter(directive=failing).exists()


def test_the_issue_and_withdraw_events_carry_the_addressed_regions(officer):
    """Issuing takes the codes from the recipient rows it reads, withdrawing asks the
    offices again: one rule (workflow.feed.codes_of_regions), the same codes."""
    from compliance.models import Event, EventRegion

    directive, _ = issue(officer, {"regions": ["15.02", "15.09", "91"]})
    services.withdraw_directive(directive=directive, actor=officer, reason="Dicabut")
    issued, withdrawn = (
        Event.objects.get(type=f"directive.{t}", data__directive=directive.pk)
        for t in ("issued", "withdrawn")
    )
    assert issued.regions == withdrawn.regions == ["15", "15.02", "15.09", "91"]
    rows = EventRegion.objects.filter(event=issued).values_list("code", flat=True)
    assert sorted(rows) == issued.regions


def test_issuing_reads_the_policy_and_issuing_office_with_the_lock(officer, postgres):
    # The feed's event names both: read with the directive's lock, not one query each.
    national = draft(officer, {"all_regencies": True})
    with CaptureQueriesContext(connection) as issued:
        services.issue_directive(directive=national, actor=officer)
    statements = [q["sql"] for q in issued.captured_queries]
    lock = next(sql for sql in statements if "FOR UPDATE" in sql)
    assert "workflow_escalationpolicy" in lock and 'FOR UPDATE OF "workflow_directive"' in lock
    assert not [sql for sql in statements if sql.startswith('SELECT "workflow_escalationpolicy"')]
    # Savepoint, lock, recipients (with their region codes, which the feed's event takes),
    # transition, closure days, steps, assignments, notices, release; the event's own
    # statements aside (compliance.events writes them).
    assert len([sql for sql in statements if "compliance_event" not in sql]) == 9
