"""The policies that ship by default (DESIGN.md, "Directives and escalation").

Used by a data migration and by `ensure_default_policies`; editing them afterwards is the
ministry's business (admin), so loading never overwrites an existing policy.
"""

# The first three steps of both the national-programme ladder and the repair obligation:
# order, slug, name, action, anchor, offset, unit, extra
OPENING_STEPS = (
    (
        1,
        "ack-reminder",
        "Pengingat konfirmasi penerimaan",
        "reminder",
        "issue",
        2,
        "business_days",
        {"only_if_not_acknowledged": True},
    ),
    (
        2,
        "due-reminder",
        "Pengingat 3 hari kerja sebelum batas waktu",
        "reminder",
        "due",
        -3,
        "business_days",
        {},
    ),
    (
        3,
        "overdue-notice",
        "Pemberitahuan lewat batas waktu",
        "overdue_notice",
        "due",
        0,
        "calendar_days",
        {"to_governor": True},
    ),
)

PROGRAM_STRATEGIS_NASIONAL = {
    "slug": "program-strategis-nasional",
    "name": "Program strategis nasional",
    "legal_basis": "UU 23/2014 Pasal 67-68; PP 12/2017 Pasal 38",
    "description": (
        "Tangga sanksi administratif bagi kepala daerah yang tidak melaksanakan program "
        "strategis nasional: teguran tertulis I, teguran tertulis II (14-21 hari kemudian), "
        "lalu rekomendasi pemberhentian sementara tiga bulan."
    ),
    "is_default": True,
    "steps": [
        # order, slug, name, action, anchor, offset, unit, extra
        *OPENING_STEPS,
        (
            4,
            "written-warning-1",
            "Teguran tertulis I",
            "written_warning_1",
            "due",
            5,
            "business_days",
            {"to_governor": True, "to_ministry": True},
        ),
        (
            5,
            "written-warning-2",
            "Teguran tertulis II",
            "written_warning_2",
            "previous",
            14,
            "calendar_days",
            {"to_governor": True, "to_ministry": True},
        ),
        (
            6,
            "escalate-to-minister",
            "Eskalasi ke Menteri",
            "escalate_to_minister",
            "previous",
            14,
            "calendar_days",
            {
                "to_assignee": False,
                "to_governor": True,
                "to_ministry": True,
                "recommendation": "Pemberhentian sementara selama tiga bulan (PP 12/2017 Pasal 38).",
            },
        ),
    ],
}

HAK_AKSES_SIAK = {
    "slug": "hak-akses-siak",
    "name": "Hak akses SIAK",
    "legal_basis": "UU 24/2013 Pasal 83A; praktik Ditjen Dukcapil",
    "description": (
        "Surat peringatan Direktur Jenderal Dukcapil dengan tenggat 10 hari; saat tenggat "
        "lewat, permintaan pemutusan akses SIAK diajukan untuk diputus direktur (tidak pernah "
        "otomatis)."
    ),
    "is_default": False,
    "steps": [
        (
            1,
            "dg-warning-letter",
            "Surat peringatan Dirjen Dukcapil (tenggat 10 hari)",
            "warning_letter",
            "issue",
            0,
            "calendar_days",
            {"to_governor": True},
        ),
        (
            2,
            "suspension-request",
            "Permintaan pemutusan akses SIAK",
            "suspension_request",
            "due",
            0,
            "calendar_days",
            {"to_assignee": False, "to_ministry": True},
        ),
    ],
}

# A device reported broken (equipment app): the regency repairs what the centre bought.
PERBAIKAN_PERANGKAT = {
    "slug": "perbaikan-perangkat",
    "name": "Perbaikan perangkat KTP-el",
    "legal_basis": "UU 24/2013; praktik Ditjen Dukcapil (perangkat dari pusat, perbaikan oleh daerah)",
    "description": (
        "Kewajiban kabupaten/kota memperbaiki perangkat perekaman atau pencetakan KTP-el yang "
        "rusak: pengingat, pemberitahuan lewat batas waktu dengan tembusan gubernur, lalu "
        "pemberitahuan kepada kementerian."
    ),
    "is_default": False,
    "steps": [
        *OPENING_STEPS,
        (
            4,
            "ministry-notice",
            "Pemberitahuan kepada kementerian",
            "overdue_notice",
            "previous",
            7,
            "calendar_days",
            {"to_governor": True, "to_ministry": True},
        ),
    ],
}

DEFAULT_POLICIES = (PROGRAM_STRATEGIS_NASIONAL, HAK_AKSES_SIAK, PERBAIKAN_PERANGKAT)

# The English names shown to readers who chose English (name_en); the Indonesian name
# stays the policy's name. By slug: policies, then steps (slugs shared by the policies'
# common opening steps name the same step).
ENGLISH_POLICY_NAMES = {
    "program-strategis-nasional": "National strategic programme",
    "hak-akses-siak": "SIAK access rights",
    "perbaikan-perangkat": "e-KTP equipment repair",
}
ENGLISH_STEP_NAMES = {
    "ack-reminder": "Acknowledgement reminder",
    "due-reminder": "Reminder 3 business days before the deadline",
    "overdue-notice": "Overdue notice",
    "written-warning-1": "Written warning I",
    "written-warning-2": "Written warning II",
    "escalate-to-minister": "Escalation to the Minister (sanction recommendation)",
    "dg-warning-letter": "Director General's warning letter (10-day deadline)",
    "suspension-request": "SIAK access suspension request",
    "ministry-notice": "Notice to the ministry",
}


def _english(model, name):
    """name_en for models that have it: the data migrations before 0009 run this code on
    historical models without the field."""
    return {"name_en": name} if any(f.name == "name_en" for f in model._meta.fields) else {}


def fill_english_names(policy_model, step_model):
    """Give the shipped policies and their steps their English names where they have none
    (migration 0009, for policies created before the field existed)."""
    for slug, name in ENGLISH_POLICY_NAMES.items():
        policy_model.objects.filter(slug=slug, name_en="").update(name_en=name)
    for slug, name in ENGLISH_STEP_NAMES.items():
        shipped = step_model.objects.filter(policy__slug__in=ENGLISH_POLICY_NAMES)
        shipped.filter(slug=slug, name_en="").update(name_en=name)


def ensure_default_policies(policy_model, step_model):
    """Create the shipped policies that do not exist yet; return the slugs created."""
    created = []
    for spec in DEFAULT_POLICIES:
        if policy_model.objects.filter(slug=spec["slug"]).exists():
            continue
        policy = policy_model.objects.create(
            **{k: spec[k] for k in ("slug", "name", "legal_basis", "description", "is_default")},
            **_english(policy_model, ENGLISH_POLICY_NAMES.get(spec["slug"], "")),
        )
        for order, slug, name, action, anchor, offset, unit, extra in spec["steps"]:
            step_model.objects.create(
                policy=policy,
                order=order,
                slug=slug,
                name=name,
                **_english(step_model, ENGLISH_STEP_NAMES.get(slug, "")),
                action=action,
                anchor=anchor,
                offset=offset,
                unit=unit,
                **extra,
            )
        created.append(spec["slug"])
    return created
