"""Test data: officials holding offices over real regions (regions are always loaded)."""

import datetime as dt
import itertools

from compliance.models import Regency
from compliance.offices import appoint_official

_seq = itertools.count(1)

# Officials made for a test hold office from long before any date a test travels to (the
# 2017 story included), so that no test depends on the day it runs. A test about when a
# holding starts or ends says so with `since`.
IN_OFFICE_SINCE = dt.date(2000, 1, 1)


def official(kind, region=None, username=None, acting=False, since=IN_OFFICE_SINCE):
    """A user holding an office of `kind` over `region` (a code like '15' or '15.02')."""
    username = username or f"{kind}-{(region or 'id').replace('.', '-')}-{next(_seq)}"
    user, _, _ = appoint_official(
        username=username,
        kind=kind,
        region_code=region,
        email=f"{username}@test.example.go.id",
        password="rahasia-Uji-123",
        acting=acting,
        starts_on=since,
    )
    return user


def carry_out(order, *, at=None, operator=None, reference=""):
    """The network operators confirm an access order (compliance.access), by default at the
    instant it was decided, as when a cut took effect at the director's approval; returns
    the order."""
    from django.utils import timezone

    from compliance import services

    at = at or order.issued_at
    return services.execute_access_order(
        order=order,
        actor=operator or official("network_operator"),
        at=at,
        reference=reference,
        now=max(timezone.now(), at),
    )


def regency(code):
    return Regency.objects.select_related("province").get(code=code)


# A directive under the sanction ladder names the instrument that makes its subject a
# national strategic programme (workflow.services.require_programme_basis).
PSN_BASIS = (
    "Perpres 26/2009 tentang Penerapan Kartu Tanda Penduduk Berbasis Nomor Induk "
    "Kependudukan secara Nasional"
)
PSN = {"policy": "program-strategis-nasional", "programme_basis": PSN_BASIS}
