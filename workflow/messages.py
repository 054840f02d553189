"""Workflow's messages: code -> (English, marked for gettext; Bahasa Indonesia), both with
%(name)s placeholders (compliance.i18n explains the mechanism; docs/api.md lists the codes).
Codes compliance already has (a reason required, a regency not found) are reused from it."""

from django.utils.translation import gettext_noop as _

from compliance.i18n import Message, catalogue

__all__ = ["MESSAGES", "Message"]

MESSAGES = catalogue(
    {
        # --- not found (or outside the caller's jurisdiction) -------------------------
        "directive_not_found": (
            _("Directive %(pk)s not found"),
            "Direktif %(pk)s tidak ditemukan",
        ),
        "assignment_not_found": (
            _("Assignment %(pk)s not found"),
            "Penugasan %(pk)s tidak ditemukan",
        ),
        "extension_request_not_found": (
            _("Extension request %(pk)s not found"),
            "Permintaan perpanjangan %(pk)s tidak ditemukan",
        ),
        "letter_not_found": (_("Letter %(pk)s not found"), "Surat %(pk)s tidak ditemukan"),
        "proposal_not_found": (_("Proposal %(pk)s not found"), "Usulan %(pk)s tidak ditemukan"),
        "no_letter_numbered": (
            _("No letter is numbered %(number)s."),
            "Tidak ada surat bernomor %(number)s.",
        ),
        # --- authority ----------------------------------------------------------------
        "ministry_only_directives": (
            _("Only ministry offices issue directives"),
            "Hanya jabatan kementerian yang dapat menerbitkan direktif",
        ),
        "governor_own_province": (
            _("A governor issues directives only to the regencies and cities of his own province"),
            "Gubernur hanya dapat menerbitkan direktif untuk kabupaten/kota di provinsinya",
        ),
        "manager_only": (
            _("Only the ministry or the governor who issued it may manage this directive"),
            "Hanya kementerian atau gubernur yang menerbitkannya yang dapat mengelola direktif ini",
        ),
        "recipient_only": (
            _("Only the addressed office may do this"),
            "Hanya jabatan penerima penugasan yang dapat melakukannya",
        ),
        "ministry_only_acceleration": (
            _("Only ministry offices may issue acceleration directives"),
            "Hanya jabatan kementerian yang dapat menerbitkan direktif percepatan",
        ),
        "signatory_only": (
            _("Only the signatory (or the acting holder of the seat) decides this proposal"),
            "Hanya pejabat penanda tangan (atau Plt./Plh.-nya) yang memutuskan usulan ini",
        ),
        # --- assignments and extensions -------------------------------------------------
        "assignment_not_allowed": (
            _("'%(name)s' is not allowed from state '%(state)s'"),
            "'%(name)s' tidak dapat dilakukan dari status '%(state)s'",
        ),
        "note_required": (_("note is required"), "Catatan laporan wajib diisi"),
        "evidence_needs_regency": (
            _("an evidence file belongs to a regency's report; this assignment has none"),
            "Berkas bukti menyertai laporan kabupaten/kota; penugasan ini bukan milik "
            "kabupaten/kota",
        ),
        "assignment_closed": (
            _("assignment is %(state)s"),
            "Penugasan berstatus '%(state)s'",
        ),
        "due_not_later": (
            _("new_due must be later than the current due date"),
            "Batas waktu baru harus setelah batas waktu sekarang",
        ),
        "extension_pending": (
            _("An extension request is pending"),
            "Sudah ada permintaan perpanjangan yang menunggu",
        ),
        "extension_already_decided": (
            _("already decided (%(status)s)"),
            "Permintaan sudah diputus (%(status)s)",
        ),
        # --- directive scopes -------------------------------------------------------------
        "scope_unknown_province": (
            _("unknown province code '%(code)s'"),
            "Kode provinsi '%(code)s' tidak dikenal",
        ),
        "scope_unknown_regions": (
            _("unknown region codes: %(codes)s"),
            "Kode wilayah tidak dikenal: %(codes)s",
        ),
        "scope_invalid": (
            _(
                'invalid scope: one of {"all_regencies": true}, {"all_provinces": true}, '
                '{"province": "15"}, {"regions": ["15.02", ...]}'
            ),
            'Cakupan harus salah satu dari {"all_regencies": true}, {"all_provinces": true}, '
            '{"province": "15"}, {"regions": ["15.02", ...]}',
        ),
        "date_in_future": (
            _("the date %(date)s is in the future"),
            "Tanggal %(date)s belum tiba",
        ),
        # --- sanction proposals and letters ------------------------------------------------
        "proposal_already_decided": (
            _("this proposal was already decided (%(state)s)"),
            "Usulan ini sudah diputuskan (%(state)s)",
        ),
        "nothing_left_to_sign": (
            _("this assignment was answered or withdrawn since: there is nothing left to sign"),
            "Penugasan ini sudah ditindaklanjuti atau ditarik; tidak ada lagi yang ditandatangani",
        ),
        "decline_reason_required": (
            _("a reason is required to decline"),
            "Alasan penolakan wajib diisi",
        ),
        "letters_on_working_days": (
            _(
                "Letters are dated on working days only: %(day)s is not one; the proposal "
                "can be signed from %(opens)s."
            ),
            "Surat dinas hanya bertanggal hari kerja: %(day)s bukan hari kerja, usulan "
            "dapat ditandatangani mulai %(opens)s.",
        ),
        "letter_not_signable": (
            _("The letter file is not a PDF that can be signed (%(error)s)."),
            "Berkas surat bukan PDF yang dapat ditandatangani (%(error)s).",
        ),
        "signing_key_missing": (
            _(
                "The signing key of %(office)s is missing: expected the file %(path)s "
                "(SIGNING_KEYS_DIR)."
            ),
            "Kunci tanda tangan %(office)s tidak ada: berkas %(path)s diharapkan "
            "(SIGNING_KEYS_DIR).",
        ),
        "signing_key_unreadable": (
            _("The signing key %(path)s cannot be opened: check SIGNING_KEY_PASSWORD."),
            "Kunci tanda tangan %(path)s tidak dapat dibuka: periksa SIGNING_KEY_PASSWORD.",
        ),
        # --- directives (workflow.directives: for its raise lines) ----------------------
        "field_required": (_("'%(field)s' is required"), "'%(field)s' wajib diisi"),
        "unknown_policy": (
            _("unknown escalation policy '%(policy)s'"),
            "Kebijakan eskalasi '%(policy)s' tidak dikenal",
        ),
        "unknown_document_kind": (
            _("unknown document kind '%(kind)s'"),
            "Jenis naskah dinas '%(kind)s' tidak dikenal",
        ),
        "sanctions_need_programme_basis": (
            _(
                "the policy '%(policy)s' ends in sanctions, which the law gives for national "
                "strategic programmes only: name the instrument that makes this one"
            ),
            "Kebijakan '%(policy)s' berujung sanksi (UU 23/2014 Pasal 67-68) yang hanya "
            "berlaku bagi program strategis nasional: sebutkan instrumen yang menetapkan "
            "program ini sebagai program strategis nasional",
        ),
        "directive_cannot_issue": (
            _("A directive in state '%(state)s' cannot be issued"),
            "Direktif berstatus '%(state)s' tidak dapat diterbitkan",
        ),
        "due_date_in_past": (_("due_date is in the past"), "Batas waktu sudah lewat"),
        "directive_cannot_withdraw": (
            _("A directive in state '%(state)s' cannot be withdrawn"),
            "Direktif berstatus '%(state)s' tidak dapat ditarik",
        ),
        # --- a reason the escalation sweep records (workflow.escalation) -------------------
        "deadline_passed": (
            _("%(title)s: deadline passed"),
            "%(title)s: tenggat lewat",
        ),
        # --- reasons the system records in an assignment's history ---------------------------
        "remediation_submitted": (_("remediation submitted"), "Perbaikan diajukan"),
        "case_closed": (_("case closed"), "Kasus ditutup"),
        "still_lagging": (
            _(
                "Still lagging: realisation %(realisation)s %% (%(recorded)s of %(obliged)s "
                "obliged) on %(day)s, path %(expected)s %%, floor %(floor)s %%, tolerance "
                "%(tolerance)s points"
            ),
            "Masih tertinggal: realisasi %(realisation)s %% (%(recorded)s dari %(obliged)s "
            "wajib KTP-el) per %(day)s, jalur %(expected)s %%, batas minimal %(floor)s %%, "
            "toleransi %(tolerance)s poin",
        ),
        "no_longer_lagging": (
            _(
                "No longer lagging, closed automatically: realisation %(realisation)s %% "
                "(%(recorded)s of %(obliged)s obliged) on %(day)s, path %(expected)s %%, "
                "floor %(floor)s %%, tolerance %(tolerance)s points"
            ),
            "Tidak lagi tertinggal, ditutup otomatis: realisasi %(realisation)s %% "
            "(%(recorded)s dari %(obliged)s wajib KTP-el) per %(day)s, jalur %(expected)s %%, "
            "batas minimal %(floor)s %%, toleransi %(tolerance)s poin",
        ),
    }
)
