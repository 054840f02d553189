"""A directive issued to Jambi's eleven regents and mayors, with its outbox rows."""

import datetime as dt

from tests.factories import official
from workflow import services

DUE = dt.date(2027, 1, 29)


def issue_to(scope, *, at=None, title="Percepatan perekaman KTP-el"):
    officer = official("ministry_officer")
    directive = services.create_directive(
        actor=officer,
        title=title,
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 24/2013 Pasal 63; UU 23/2014 Pasal 67",
        due_date=DUE,
        scope=scope,
    )
    return services.issue_directive(directive=directive, actor=officer, at=at)
