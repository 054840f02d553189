"""Every notification template renders in Bahasa Indonesia and in English, with a plain
text and an HTML part; assignment e-mails to the addressee carry the one-click link."""

import datetime as dt
import re
from email.policy import compat32
from pathlib import Path

import pytest
import time_machine

from tests.factories import official
from workflow import services
from workflow.models import DocumentKind, Notification, StepAction
from workflow.notifications import render

from .outbox_fixtures import DUE, ISSUED, WIB, issue_to

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


# --- the directive's opening sentence: who sends which document, of which date ---------


def lead(notice, language):
    notice.language = language
    _, text, _ = render.render_parts(notice)
    return text.split("\n\n")[1]  # after "Yth. ...," / "To: ...,"


def test_a_directive_names_its_sender_and_its_document_in_indonesian(notice):
    assert lead(notice, "id") == (
        "Direktur Jenderal Kependudukan dan Pencatatan Sipil menyampaikan Surat Direktur "
        "Jenderal tanggal 30 November 2026 perihal Percepatan perekaman KTP-el kepada "
        "Bupati Merangin. Mohon konfirmasi penerimaan dan laksanakan sebelum batas waktu."
    )


def test_a_directive_names_its_sender_and_its_document_in_english(notice):
    assert lead(notice, "en") == (
        "The Director General of Population and Civil Registration sends a Director "
        "General's Letter of 30 November 2026 on Percepatan perekaman KTP-el to Bupati "
        "Merangin. Please acknowledge receipt and carry it out before the deadline."
    )


def test_a_ministers_instruction_is_sent_by_the_minister(notice):
    directive = notice.assignment.directive
    directive.document_kind = DocumentKind.INSTRUKSI_MENTERI
    directive.save(update_fields=["document_kind"])

    assert lead(notice, "id").startswith(
        "Menteri Dalam Negeri menyampaikan Instruksi Menteri tanggal 30 November 2026 perihal "
    )
    assert lead(notice, "en").startswith(
        "The Minister of Home Affairs sends a Minister's Instruction of 30 November 2026 on "
    )


def test_a_governors_letter_is_sent_by_the_governor_of_his_province():
    governor = official("governor", region="15")
    with time_machine.travel(ISSUED):
        directive = services.create_directive(
            actor=governor,
            title="Pemutakhiran data penduduk",
            body="Mutakhirkan data penduduk.",
            legal_basis="UU 24/2013 Pasal 6",
            due_date=DUE,
            scope={"regions": ["15.02"]},
        )
        services.issue_directive(directive=directive, actor=governor, at=ISSUED)
    notice = Notification.objects.get(assignment__directive=directive, template="directive_issued")

    assert lead(notice, "id").startswith(
        "Gubernur Jambi menyampaikan Surat Gubernur tanggal 30 November 2026 perihal "
    )
    assert lead(notice, "en").startswith(
        "The Governor of Jambi sends a Governor's Letter of 30 November 2026 on "
    )


def test_the_directive_is_dated_the_day_it_was_issued_in_the_recipients_zone():
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=WIB)  # already 1 December in Papua (WIT)
    issue_to({"regions": ["15.02", "91.03"]}, at=late)
    merangin = Notification.objects.get(recipient_office__regency__code="15.02")
    papua = Notification.objects.get(recipient_office__regency__code="91.03")

    assert "tanggal 30 November 2026 perihal" in lead(merangin, "id")
    assert "tanggal 1 Desember 2026 perihal" in lead(papua, "id")


def test_no_ministry_c_q_directorate_issues_a_directive_any_more(notice):
    for language in ("id", "en"):
        notice.language = language
        _, text, html = render.render_parts(notice)
        assert "c.q." not in text and "menerbitkan direktif" not in text
        assert "has issued a directive" not in text


# --- a delivery batch renders what its notices share once ---------------------------


def mixed_batch():
    """Two directives' notices in one batch: regencies in WIB and WIT, both languages,
    the issue notice, step notices, an unknown template and a governor's copy."""
    issue_to({"regions": ["15.02", "15.03", "15.04", "15.05", "15.06", "15.09", "91.03"]})
    issue_to({"regions": ["15.71", "91.03"]}, title="Pemutakhiran data penduduk")
    rows = list(
        Notification.objects.select_related("assignment__province", "recipient_office").order_by(
            "id"
        )
    )
    templates = ["directive_issued", "directive_issued", "step_reminder", "something_new"]
    for i, n in enumerate(rows):
        n.message_id = f"<notification-{i}.abc@dukcapil.localhost>"
        n.language = ("id", "en", "en")[i % 3]
        n.template = templates[i % len(templates)]
        if i == 1:
            n.context = {**n.context, "role": "governor"}
    return rows


def as_bytes(notification, batch=None):
    sent = dt.datetime(2027, 1, 4, 2, 30, tzinfo=dt.UTC)
    raw = render.message(notification, now=sent, batch=batch).message().as_bytes()
    return re.sub(rb"={15}\d+==", b"BOUNDARY", raw)  # the one random part of a message


def test_a_batch_gives_the_same_messages_byte_for_byte_as_rendering_each_alone(time_machine):
    rows = mixed_batch()
    time_machine.move_to(ISSUED, tick=False)  # the links' signatures carry the second
    assert {n.language for n in rows} == {"id", "en"} and len({n.template for n in rows}) == 3
    alone = [as_bytes(n) for n in rows]
    batch = render.Batch(rows)
    assert [as_bytes(n, batch) for n in rows] == alone
    # a directive's document line once per zone (WIB, WIT) and language, not once per mail
    issued = [n for n in rows if n.template == "directive_issued"]
    assert len(batch.documents) < len(issued)
    assert b"Pemutakhiran data penduduk" in alone[-1]


def test_a_batch_reads_its_directives_in_one_query_and_renders_without_any(
    django_assert_num_queries,
):
    rows = mixed_batch()
    with django_assert_num_queries(1):
        batch = render.Batch(rows)
    with django_assert_num_queries(0):
        for n in rows:
            render.message(n, batch=batch).message()


def test_a_directive_edited_after_a_batch_shows_in_the_next_batch(notice):
    render.message(notice, batch=render.Batch([notice]))
    directive = notice.assignment.directive
    directive.document_kind = DocumentKind.INSTRUKSI_MENTERI
    directive.save(update_fields=["document_kind"])
    _, text, _ = render.render_parts(notice, render.Batch([notice]))
    assert "Menteri Dalam Negeri menyampaikan Instruksi Menteri" in text


# --- flattening: the library's header folding, without its cost where it changes nothing


def flattened(msg, policy, linesep="\r\n"):
    msg.policy = policy
    return msg.as_bytes(linesep=linesep)


def test_a_message_flattens_to_the_same_bytes_as_under_the_librarys_folding(time_machine):
    rows = mixed_batch()
    rows[0].context = {**rows[0].context, "title": "Pemutakhiran " + "data penduduk " * 9}
    rows[1].context = {**rows[1].context, "title": "Perekaman KTP-el — Kab. Pegunungan Bintang"}
    time_machine.move_to(ISSUED, tick=False)
    batch = render.Batch(rows)
    for n in rows:
        msg = render.message(n, batch=batch).message()
        assert msg.policy is render.FOLDING
        ours = flattened(msg, render.FOLDING)  # the boundaries are chosen here, then kept
        assert ours == flattened(msg, compat32)
        assert flattened(msg, render.FOLDING, "\n") == flattened(msg, compat32, "\n")


@pytest.mark.parametrize("linesep", ["\n", "\r\n"])
def test_a_header_is_folded_as_the_library_folds_it(linesep):
    theirs, ours = compat32.clone(linesep=linesep), render.FOLDING.clone(linesep=linesep)
    name = "Subject"
    values = [
        "",
        "x",
        "Direktif baru: Percepatan perekaman KTP-el",
        "a" * (78 - len(name) - 2),  # the longest line left as it is
        "a" * (78 - len(name) - 1),
        "word " * 20,
        "two  spaces",
        " leading",
        "trailing ",
        "tab\there",
        "line\r\nbreak",
        "Perekaman — non-ASCII",
        "=?utf-8?q?Perekaman_=E2=80=94?= " * 3,
        "<notification-12.abcdef0123456789@dukcapil.kemendagri.go.id>",
    ]
    for value in values:
        assert ours.fold(name, value) == theirs.fold(name, value), value
        assert ours.fold_binary(name, value) == theirs.fold_binary(name, value), value


# --- a batch renders a template once per context its notices share -------------------


def test_a_directives_notices_are_rendered_once_per_zone_and_each_gets_its_own_office(
    time_machine,
):
    issue_to({"regions": ["15.02", "15.03", "15.04", "15.05", "15.06", "15.09", "91.03"]})
    rows = list(
        Notification.objects.select_related("assignment__province", "recipient_office")
        .filter(template="directive_issued")
        .order_by("id")
    )
    rows[2].context = {**rows[2].context, "office": 'Bupati Tebo & <Wakil> "Kab."'}
    for i, n in enumerate(rows):
        n.message_id = f"<notification-{i}.abc@dukcapil.localhost>"
    time_machine.move_to(ISSUED, tick=False)
    alone = [as_bytes(n) for n in rows]
    batch = render.Batch(rows)
    assert [as_bytes(n, batch) for n in rows] == alone
    assert len(rows) == 7 and len(batch.rendered) == 2  # WIB and WIT: two due instants
    tebo = render.message(rows[2], batch=batch)
    assert 'Yth. Bupati Tebo & <Wakil> "Kab.",' in tebo.body
    assert "<strong>Bupati Tebo &amp; &lt;Wakil&gt; &quot;Kab.&quot;</strong>" in (
        tebo.alternatives[0].content
    )
    links = {render.message(n, batch=batch).body.split("sekali pakai):\n")[1][:60] for n in rows}
    assert len(links) == 7  # each its own acknowledgement link


TAG = re.compile(r"{[{%].*?[}%]}", re.S)


def test_templates_print_the_per_recipient_values_as_they_are():
    """The batch puts each recipient's office and link into one rendering (render.Batch.
    parts): that holds only while every template prints them untouched, tests them at most
    for being there, and leaves the office object alone."""
    allowed = {f"{{{{ {f} }}}}" for f in render.PER_RECIPIENT} | {
        f"{{% if {f} %}}" for f in render.PER_RECIPIENT
    }
    names = "|".join(render.PER_RECIPIENT + render.UNUSED_BY_TEMPLATES)
    used = re.compile(rf"(?<![\w.])({names})(?![\w])")
    root = Path(render.__file__).parents[1] / "templates" / "workflow" / "email"
    sources = sorted(root.glob("*/*"))
    assert len(sources) > 40
    wrong = [
        (path.name, tag)
        for path in sources
        for tag in TAG.findall(path.read_text())
        if used.search(tag) and tag not in allowed
    ]
    assert wrong == []
