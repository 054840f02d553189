"""Directives issued to regencies through the real services, for the inbox tests."""

import datetime as dt
import itertools

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PSN
from workflow import services

MERANGIN, TEBO = "15.02", "15.09"
_titles = itertools.count(1)


def issue(officer, *, due, regions=(MERANGIN,), at=None, title=None):
    """Issue a directive to the heads of `regions`; returns its assignments by region code."""
    directive = services.create_directive(
        actor=officer,
        title=title or f"Percepatan perekaman KTP-el #{next(_titles)}",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 24/2013 Pasal 63; Permendagri 76/2015",
        due_date=due,
        scope={"regions": list(regions)},
        **PSN,  # the ladder of a national strategic programme, up to written warnings
    )
    _, assignments = services.issue_directive(directive=directive, actor=officer, at=at)
    return {a.office.regency.code: a for a in assignments}


def later(days):
    return timezone.localdate() + dt.timedelta(days=days)


def english(client):
    """Read the pages in English: our msgids, and the English half of service errors."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assignment_url(assignment, action=None):
    if action is None:
        return reverse("inbox:assignment", args=[assignment.pk])
    return reverse(f"inbox:{action}", args=[assignment.pk])
