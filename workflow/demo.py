"""The workflow's part of the demo (seed_demo, sent through compliance's demo_loaded
signal): work waiting today for the demo users whose job starts from a directive."""

from datetime import timedelta

from django.utils import timezone

from . import services

GOVERNOR_DIRECTIVE = {
    "title": "Laporan capaian perekaman KTP-el Provinsi Jambi semester II",
    "body": (
        "Gubernur Jambi diminta menyampaikan laporan capaian perekaman KTP-el seluruh "
        "kabupaten/kota di Provinsi Jambi per 30 November, langkah percepatan yang telah "
        "ditempuh bersama para bupati dan wali kota, serta kendala perangkat perekaman.\n\n"
        "[Direktif latihan / practice directive]"
    ),
    "legal_basis": "UU 24/2013 Pasal 63; PP 12/2017 Pasal 38",
    "scope": {"regions": ["15"]},  # the governor of Jambi
    "priority": "high",
}


def on_demo_loaded(sender, users, at, **kwargs):
    """gubernur.jambi (or kadisdukcapil.jambi for him) finds a directive from the Director
    General in his inbox, issued two days ago and due in a week."""
    dirjen = users["dirjen"]
    today = timezone.localdate(at)
    directive = services.create_directive(
        actor=dirjen, due_date=today + timedelta(days=7), **GOVERNOR_DIRECTIVE
    )
    services.issue_directive(directive=directive, actor=dirjen, at=at - timedelta(days=2))
