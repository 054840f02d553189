"""Test data: officials holding offices over real regions (regions are always loaded)."""

import itertools

from compliance.models import Regency
from compliance.offices import appoint_official

_seq = itertools.count(1)


def official(kind, region=None, username=None, acting=False):
    """A user holding an office of `kind` over `region` (a code like '15' or '15.02')."""
    username = username or f"{kind}-{(region or 'id').replace('.', '-')}-{next(_seq)}"
    user, _, _ = appoint_official(
        username=username,
        kind=kind,
        region_code=region,
        email=f"{username}@test.example.go.id",
        password="rahasia-Uji-123",
        acting=acting,
    )
    return user


def regency(code):
    return Regency.objects.select_related("province").get(code=code)
