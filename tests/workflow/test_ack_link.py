"""The one-click acknowledgement link: GET shows a confirmation page and changes nothing
(mail scanners fetch links); POST acknowledges; expired, reused and tampered links are
refused with a page that says why, in Indonesian and English."""

import datetime as dt

import pytest
import time_machine

from workflow.models import AssignmentEvent
from workflow.notifications import links

from .outbox_fixtures import issue_to

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """The recipient opens the link an hour after it was sent, unless a test says when."""
    time_machine.move_to(SENT + dt.timedelta(hours=1))


@pytest.fixture
def assignment():
    _, assignments = issue_to({"regions": ["15.02"]}, at=SENT - dt.timedelta(hours=1))
    return assignments[0]


@pytest.fixture
def url(assignment):
    with time_machine.travel(SENT, tick=False):
        return links.absolute_url(assignment).removeprefix("http://127.0.0.1:8000")


def test_get_shows_a_confirmation_page_and_changes_nothing(client, assignment, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bupati Merangin" in body and 'method="post"' in body
    assert "Konfirmasi penerimaan" in body and "Acknowledge" in body
    # the deadline as the e-mail states it: the end of the due day in the office's zone
    assert '<strong data-testid="due">29 Januari 2027, 23:59 WIB</strong>' in body
    assignment.refresh_from_db()
    assert assignment.state == "issued"
    assert not AssignmentEvent.objects.filter(assignment=assignment).exists()


def test_post_acknowledges_through_the_service_and_records_the_event(client, assignment, url):
    with time_machine.travel(SENT + dt.timedelta(days=1), tick=False):
        response = client.post(url)
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    # SENT + 1 day = 5 January 2027 09:00 UTC, 16:00 in Merangin (WIB)
    assert "dicatat pada 5 Januari 2027, 16:00 WIB" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == "acknowledged"
    assert assignment.acknowledged_at == SENT + dt.timedelta(days=1)
    event = AssignmentEvent.objects.get(assignment=assignment)
    assert (event.transition, event.from_state, event.to_state) == (
        "acknowledge",
        "issued",
        "acknowledged",
    )
    assert event.actor is None and event.office_id == assignment.office_id
    assert event.payload == {"via": "email_link"}


def test_a_used_link_is_refused(client, assignment, url):
    client.post(url)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 410
        body = response.content.decode()
        assert "sudah dikonfirmasi" in body and "already been acknowledged" in body
    assert AssignmentEvent.objects.filter(assignment=assignment).count() == 1


def test_a_link_acknowledged_elsewhere_is_refused(client, assignment, url):
    from workflow import services

    services.acknowledge_by_link(assignment=assignment)
    assert client.get(url).status_code == 410


@pytest.mark.parametrize(
    ("age", "status"),
    [
        (dt.timedelta(days=14) - dt.timedelta(minutes=1), 200),
        (dt.timedelta(days=14, minutes=1), 410),
    ],
)
def test_the_link_expires_after_fourteen_days(client, url, age, status):
    with time_machine.travel(SENT + age, tick=False):
        response = client.get(url)
    assert response.status_code == status
    if status == 410:
        body = response.content.decode()
        assert "kedaluwarsa" in body and "expired" in body


def test_an_expired_link_cannot_acknowledge(client, assignment, url):
    with time_machine.travel(SENT + dt.timedelta(days=15), tick=False):
        assert client.post(url).status_code == 410
    assignment.refresh_from_db()
    assert assignment.state == "issued"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda u: u.replace("/ack/eyJ", "/ack/eyK"),  # payload altered
        lambda u: u[:-3] + "xx/",  # signature altered
        lambda u: "/ack/not-a-token/",
    ],
)
def test_a_tampered_link_is_refused(client, assignment, url, tamper):
    response = client.post(tamper(url))
    assert response.status_code == 400
    body = response.content.decode()
    assert "tidak sah" in body and "not valid" in body
    assignment.refresh_from_db()
    assert assignment.state == "issued"


def test_a_link_signed_for_another_office_is_refused(client, assignment):
    from django.core import signing

    token = signing.TimestampSigner(salt=links.SALT).sign_object(
        {"a": assignment.pk, "o": assignment.office_id + 1}
    )
    assert client.get(f"/ack/{token}/").status_code == 400


def test_a_link_signed_for_another_purpose_is_refused(client, assignment):
    from django.core import signing

    token = signing.TimestampSigner().sign_object({"a": assignment.pk, "o": assignment.office_id})
    assert client.get(f"/ack/{token}/").status_code == 400
