"""Helpers for the directive and audit page tests: an English-reading client (the page msgids are English; the Indonesian catalogue is filled later) and
directives drafted and issued through workflow.services."""

import csv
import datetime as dt
import io
import re

from django.test import Client
from openpyxl import load_workbook

from tests.pages.conftest import NOW
from workflow import services

JAMBI = "15"
DUE = NOW.date() + dt.timedelta(days=30)


def client_for(user, *, language="en", **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def issue(actor, scope, *, title="Percepatan perekaman KTP-el", due=DUE):
    directive = services.create_directive(
        actor=actor,
        title=title,
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 24/2013 Pasal 63; UU 23/2014 Pasal 67",
        due_date=due,
        scope=scope,
    )
    services.issue_directive(directive=directive, actor=actor)
    return directive


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response):
    text = body_of(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(body_of(response)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def marked_text(response, name):
    """The text of the element carrying data-testid=`name`."""
    html = response.content.decode()
    match = re.search(rf'data-testid="{name}"[^>]*>\s*([^<]*?)\s*<', html)
    assert match, f"no data-testid={name} in the page"
    return match.group(1)
