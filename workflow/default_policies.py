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
        "lalu rekomendasi pemberhentian sementara tiga bulan. Hanya untuk direktif yang "
        "menyebut instrumen penetapan program strategis nasionalnya."
    ),
    "is_default": False,
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
    "legal_basis": "UU 23/2006 Pasal 79",
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
    "legal_basis": "",
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

# A directive that is no national strategic programme (a report request, an acceleration
# directive, ...): reminded and reported overdue, never sanctioned. The default.
TINDAK_LANJUT = {
    "slug": "tindak-lanjut",
    "name": "Tindak lanjut direktif",
    "legal_basis": "",
    "description": (
        "Direktif biasa: pengingat, pemberitahuan lewat batas waktu dengan tembusan gubernur, "
        "lalu pemberitahuan kepada kementerian. Tanpa sanksi."
    ),
    "is_default": True,
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

DEFAULT_POLICIES = (TINDAK_LANJUT, PROGRAM_STRATEGIS_NASIONAL, HAK_AKSES_SIAK, PERBAIKAN_PERANGKAT)

# --- where each rule comes from (issue 14 item 2) -----------------------------------------
# Every shipped policy and step cites its instrument (short form, spelled out in letters by
# compliance.instruments) or says it is a ministry policy choice and who made it; both when
# the action is the law's and its timing the ministry's. docs/workflow.md shows the table;
# tests/workflow/test_policy_citations.py fails when a rule has neither.
DUKCAPIL = "Ditjen Dukcapil"
POLICY_BASES = {
    # slug: (legal_basis, policy_choice, requires_programme_basis)
    "tindak-lanjut": ("", f"{DUKCAPIL}: pemantauan tindak lanjut direktif", False),
    "program-strategis-nasional": (
        "UU 23/2014 Pasal 67-68; PP 12/2017 Pasal 38",
        f"{DUKCAPIL}: jarak waktu antarlangkah dan pengingat",
        True,
    ),
    "hak-akses-siak": (
        "UU 23/2006 Pasal 79",
        f"{DUKCAPIL}: surat peringatan Direktur Jenderal dengan tenggat 10 hari, lalu "
        "permintaan pemutusan akses untuk diputus direktur (praktik)",
        False,
    ),
    "perbaikan-perangkat": (
        "",
        f"{DUKCAPIL}: perangkat dibeli pusat, perbaikan oleh daerah; bukan kewajiban undang-"
        "undang (UU 23/2006 Pasal 87A membebankan pendanaan administrasi kependudukan pada "
        "APBN)",
        False,
    ),
}
STEP_BASES = {
    # slug: (legal_basis, policy_choice)
    "ack-reminder": ("", f"{DUKCAPIL}: 2 hari kerja sejak terbit"),
    "due-reminder": ("", f"{DUKCAPIL}: 3 hari kerja sebelum batas waktu"),
    "overdue-notice": ("", f"{DUKCAPIL}: pada batas waktu, tembusan gubernur"),
    "ministry-notice": ("", f"{DUKCAPIL}: 7 hari setelah pemberitahuan lewat batas waktu"),
    "written-warning-1": (
        "UU 23/2014 Pasal 68; PP 12/2017 Pasal 38",
        f"{DUKCAPIL}: diusulkan 5 hari kerja setelah batas waktu",
    ),
    "written-warning-2": (
        "UU 23/2014 Pasal 68; PP 12/2017 Pasal 38",
        f"{DUKCAPIL}: 14 hari setelah teguran I (rentang peraturan 14-21 hari)",
    ),
    "escalate-to-minister": (
        "UU 23/2014 Pasal 68",
        f"{DUKCAPIL}: 14 hari setelah teguran II",
    ),
    "dg-warning-letter": ("", f"{DUKCAPIL}: praktik, tenggat 10 hari"),
    "suspension-request": ("UU 23/2006 Pasal 79", f"{DUKCAPIL}: diputus direktur, tidak otomatis"),
}

# The English names shown to readers who chose English (name_en); the Indonesian name
# stays the policy's name. By slug: policies, then steps (slugs shared by the policies'
# common opening steps name the same step).
ENGLISH_POLICY_NAMES = {
    "tindak-lanjut": "Directive follow-up",
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


def _present(model, **values):
    """Only the values of fields `model` has: data migrations run this code on historical
    models without the later fields (name_en: 0009; citations: 0013)."""
    names = {f.name for f in model._meta.fields}
    return {k: v for k, v in values.items() if k in names}


def _english(model, name):
    return _present(model, name_en=name)


def apply_citations(policy_model, step_model):
    """Give the shipped policies and steps their legal basis and policy markers, and make
    `tindak-lanjut` the default (migration 0013; new databases get them on creation)."""
    for slug, (basis, choice, requires) in POLICY_BASES.items():
        policy_model.objects.filter(slug=slug).update(
            legal_basis=basis, policy_choice=choice, requires_programme_basis=requires
        )
    for slug, (basis, choice) in STEP_BASES.items():
        step_model.objects.filter(policy__slug__in=POLICY_BASES, slug=slug).update(
            legal_basis=basis, policy_choice=choice
        )
    if policy_model.objects.filter(slug="tindak-lanjut").exists():
        policy_model.objects.exclude(slug="tindak-lanjut").update(is_default=False)
        policy_model.objects.filter(slug="tindak-lanjut").update(is_default=True)


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
        # A database that has another default keeps it until apply_citations moves it.
        is_default = (
            spec["is_default"] and not policy_model.objects.filter(is_default=True).exists()
        )
        basis, choice, requires = POLICY_BASES[spec["slug"]]
        policy = policy_model.objects.create(
            **{k: spec[k] for k in ("slug", "name", "legal_basis", "description")},
            is_default=is_default,
            **_english(policy_model, ENGLISH_POLICY_NAMES.get(spec["slug"], "")),
            **_present(policy_model, policy_choice=choice, requires_programme_basis=requires),
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
                **_present(
                    step_model,
                    legal_basis=STEP_BASES[slug][0],
                    policy_choice=STEP_BASES[slug][1],
                ),
            )
        created.append(spec["slug"])
    return created
