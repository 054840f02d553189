"""Every notification template renders in Bahasa Indonesia and in English, with a plain
text and an HTML part; assignment e-mails to the addressee carry the one-click link."""

import datetime as dt

import pytest

from workflow.models import Notification, StepAction
from workflow.notifications import render

from .outbox_fixtures import issue_to

pytestmark = pytest.mark.django_db

TEMPLATES = ["directive_issued"] + [f"step_{a}" for a in StepAction.values]


@pytest.fixture
def notice():
    issue_to({"regions": ["15.02"]})
    n = Notification.objects.get(recipient_office__title="Bupati Merangin")
    n.message_id = "<notification-1.abc@dukcapil.localhost>"
    return n


def test_the_issue_notice_is_in_indonesian_with_both_parts(notice):
    subject, text, html = render.render_parts(notice)
    assert subject == "Direktif baru: Percepatan perekaman KTP-el"
    assert "Yth. Bupati Merangin" in text and "Batas waktu" in text
    assert "29 Januari 2027, 23:59 WIB" in text  # the end of the due day, recipient's zone
    assert "<strong>Bupati Merangin</strong>" in html and 'lang="id"' in html
    assert "<" not in text.replace("<http", "")  # the text part is not HTML


def test_the_issue_notice_in_english(notice):
    notice.language = "en"
    subject, text, html = render.render_parts(notice)
    assert subject == "New directive: Percepatan perekaman KTP-el"
    assert "Deadline      : 29 January 2027, 23:59 WIB" in text
    assert 'lang="en"' in html and "Acknowledge receipt" in html


def test_the_message_has_text_and_html_parts_and_the_stable_message_id(notice):
    msg = render.message(notice).message()
    assert msg["Message-ID"] == "<notification-1.abc@dukcapil.localhost>"
    assert msg["To"] == "bupati.merangin@pemda.example.go.id"
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.get_payload()] == ["text/plain", "text/html"]


def test_it_says_it_is_automatic_and_dates_itself_in_the_recipients_zone(notice):
    sent = dt.datetime(2027, 1, 4, 2, 30, tzinfo=dt.UTC)
    msg = render.message(notice, now=sent).message()
    assert msg["Auto-Submitted"] == "auto-generated"  # RFC 3834: no out-of-office replies
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["Date"] == "Mon, 04 Jan 2027 09:30:00 +0700"  # Merangin: WIB


def test_a_recipient_in_papua_gets_a_date_in_wit():
    issue_to({"regions": ["91.03"]})
    notice = Notification.objects.get(recipient_office__regency__code="91.03")
    sent = dt.datetime(2027, 1, 4, 2, 30, tzinfo=dt.UTC)
    assert render.message(notice, now=sent).message()["Date"].endswith("11:30:00 +0900")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_in_both_languages(notice, template, language):
    notice.template, notice.language = template, language
    notice.context = {**notice.context, "recommendation": "Pemberhentian sementara 3 bulan"}
    subject, text, html = render.render_parts(notice)
    assert "Percepatan perekaman KTP-el" in subject
    assert render.template_for(notice).template.name.endswith(f"{language}/{template}.html")
    assert "Pemberhentian sementara 3 bulan" in text and "Pemberhentian sementara" in html


def test_an_unknown_template_falls_back_to_the_generic_e_mail(notice):
    notice.template = "something_new"
    subject, text, _ = render.render_parts(notice)
    assert subject == "Pemberitahuan: Percepatan perekaman KTP-el"


def test_the_addressee_gets_the_acknowledgement_link_the_governors_copy_does_not(notice):
    _, text, html = render.render_parts(notice)
    assert "http://127.0.0.1:8000/ack/" in text and 'href="http://127.0.0.1:8000/ack/' in html
    notice.context = {**notice.context, "role": "governor"}
    _, text, _ = render.render_parts(notice)
    assert "/ack/" not in text


def test_no_link_once_the_assignment_is_acknowledged(notice):
    from workflow import services

    services.acknowledge_by_link(assignment=notice.assignment)
    notice.assignment.refresh_from_db()
    _, text, _ = render.render_parts(notice)
    assert "/ack/" not in text


def test_text_is_not_html_escaped_and_html_is(notice):
    notice.context = {**notice.context, "title": "Data <KTP-el> & NIK"}
    subject, text, html = render.render_parts(notice)
    assert subject == "Direktif baru: Data <KTP-el> & NIK"
    assert "Data <KTP-el> & NIK" in text
    assert "Data &lt;KTP-el&gt; &amp; NIK" in html
