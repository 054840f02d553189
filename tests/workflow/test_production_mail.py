"""The README's Production section, followed literally: with SITE_URL set and the offices'
addresses loaded from a file, a directive's e-mails carry links to SITE_URL and go to the
loaded addresses, never to a placeholder or this machine."""

import datetime as dt
import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from workflow.models import Notification
from workflow.notifications import render

from .outbox_fixtures import issue_to

pytestmark = pytest.mark.django_db

SAMPLE = django_settings.BASE_DIR / "compliance" / "data" / "office-contacts.sample.csv"


@pytest.fixture
def production(settings):
    settings.SITE_URL = "https://ektp.kemendagri.go.id"
    call_command("import_office_contacts", str(SAMPLE), stdout=io.StringIO())


def test_the_e_mails_link_to_site_url_and_go_to_the_loaded_addresses(production):
    issue_to({"regions": ["15.02", "15.09", "15.71"]})
    sent = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    messages = {
        n.recipient_office.regency.code: render.message(n, now=sent)
        for n in Notification.objects.select_related("recipient_office__regency")
    }

    assert {code: m.to for code, m in messages.items()} == {
        "15.02": ["bupati@meranginkab.example.go.id"],
        "15.09": ["bupati@tebokab.example.go.id"],
        "15.71": ["walikota@jambikota.example.go.id"],
    }
    for message in messages.values():
        html = message.alternatives[0][0]
        assert "https://ektp.kemendagri.go.id/" in message.body
        assert "127.0.0.1" not in message.body + html
        assert django_settings.OFFICE_EMAIL_DOMAIN not in message.body + html


def test_an_office_not_in_the_file_still_gets_its_placeholder(production):
    issue_to({"regions": ["15.01"]})
    assert Notification.objects.get().recipient_email.endswith(
        "@" + django_settings.OFFICE_EMAIL_DOMAIN
    )
