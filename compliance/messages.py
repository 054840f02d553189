"""Compliance's messages: code -> (English, marked for gettext; Bahasa Indonesia), both with
%(name)s placeholders (compliance.i18n explains the mechanism; docs/api.md lists the codes).
Other apps reuse these codes (a regency not found, a reason required) rather than
defining them again."""

from django.utils.translation import gettext_noop as _

from .i18n import Message, catalogue

__all__ = ["MESSAGES", "Message"]

MESSAGES = catalogue(
    {
        # --- not found (or outside the caller's jurisdiction) -------------------------
        "regency_not_found": (
            _("Regency %(code)s not found"),
            "Kabupaten/kota %(code)s tidak ditemukan",
        ),
        "region_not_found": (_("Region %(code)s not found"), "Wilayah %(code)s tidak ditemukan"),
        "remediation_not_found": (
            _("Remediation %(pk)s not found"),
            "Perbaikan %(pk)s tidak ditemukan",
        ),
        "suspension_request_not_found": (
            _("Suspension request %(pk)s not found"),
            "Permintaan pemutusan %(pk)s tidak ditemukan",
        ),
        "evidence_not_found": (
            _("Evidence document %(pk)s not found"),
            "Dokumen bukti %(pk)s tidak ditemukan",
        ),
        "access_order_not_found": (
            _("Access order %(pk)s not found"),
            "Perintah akses %(pk)s tidak ditemukan",
        ),
        "import_not_found": (_("Import %(pk)s not found"), "Impor %(pk)s tidak ditemukan"),
        # --- required input ------------------------------------------------------------
        "reason_required": (_("reason is required"), "Alasan wajib diisi"),
        "description_required": (_("description is required"), "Uraian wajib diisi"),
        "legal_basis_required": (_("legal_basis is required"), "Dasar hukum wajib diisi"),
        "file_required": (_("file is required"), "Berkas wajib dilampirkan"),
        # --- authority --------------------------------------------------------------------
        "office_may_not": (
            _("Your office may not '%(action)s' here"),
            "Jabatan Anda tidak berwenang untuk '%(action)s'",
        ),
        "own_request": (
            _("You cannot decide a request you made yourself"),
            "Anda tidak dapat memutus permintaan Anda sendiri",
        ),
        "ministry_only_import": (
            _("Only ministry offices may import recording reports"),
            "Hanya jabatan kementerian yang dapat mengimpor laporan perekaman",
        ),
        # --- the regency's state ----------------------------------------------------------
        "transition_not_allowed": (
            _("Transition '%(name)s' is not allowed from state '%(state)s'"),
            "Transisi '%(name)s' tidak dapat dilakukan dari status '%(state)s'",
        ),
        "changed_concurrently": (
            _("The regency's state was changed concurrently"),
            "Status kabupaten/kota diubah bersamaan oleh pihak lain",
        ),
        "invalid_violation_kind": (
            _("kind must be one of %(choices)s"),
            "Jenis pelanggaran harus salah satu dari %(choices)s",
        ),
        "remediation_under_review": (
            _("A remediation is under review: reject it before flagging again"),
            "Perbaikan sedang ditinjau; tolak dulu perbaikannya",
        ),
        "suspension_needs_flagged": (
            _("Suspension can only be requested for a flagged regency, not '%(state)s'"),
            "Pemutusan hanya dapat diminta untuk kabupaten/kota berstatus 'flagged', "
            "bukan '%(state)s'",
        ),
        "request_pending": (
            _("A request is already pending"),
            "Sudah ada permintaan yang menunggu",
        ),
        "statements_incomplete": (
            _("Every open violation needs a statement and at least one evidence document"),
            "Setiap pelanggaran terbuka memerlukan pernyataan dan minimal satu dokumen bukti",
        ),
        "remediation_needs_flagged_or_suspended": (
            _("Remediation can be submitted only when flagged or suspended, not '%(state)s'"),
            "Perbaikan hanya dapat diajukan saat status 'flagged' atau 'suspended', "
            "bukan '%(state)s'",
        ),
        "probation_passed": (
            _("Probation of %(days)s days passed without a new violation"),
            "Masa percobaan %(days)s hari berakhir tanpa pelanggaran baru",
        ),
        # --- SIAK access (compliance.access) ----------------------------------------------
        "order_waits_request": (
            _(
                "An order on %(regency)s's SIAK access still waits for the network operators: "
                "cannot request another cut"
            ),
            "Perintah akses SIAK untuk %(regency)s masih menunggu pelaksanaan operator "
            "jaringan; tidak dapat meminta pemutusan lagi",
        ),
        "order_waits_reconnect": (
            _(
                "An order on %(regency)s's SIAK access still waits for the network operators: "
                "cannot order it again"
            ),
            "Perintah akses SIAK untuk %(regency)s masih menunggu pelaksanaan operator "
            "jaringan; tidak dapat memulihkan lagi",
        ),
        "order_waits_reject": (
            _(
                "An order on %(regency)s's SIAK access still waits for the network operators: "
                "cannot reject the remediation"
            ),
            "Perintah akses SIAK untuk %(regency)s masih menunggu pelaksanaan operator "
            "jaringan; tidak dapat menolak perbaikan",
        ),
        "request_already_decided": (
            _("The request was already decided (%(status)s)"),
            "Permintaan sudah diputus (%(status)s)",
        ),
        "request_case_closed": (
            _("The request's case is closed"),
            "Kasus permintaan ini sudah ditutup",
        ),
        "approval_needs_flagged": (
            _("A suspension can be approved only for a flagged regency, not '%(state)s'"),
            "Pemutusan hanya dapat disetujui untuk kabupaten/kota berstatus 'flagged', "
            "bukan '%(state)s'",
        ),
        "reconnect_needs_remediated": (
            _(
                "Access can be restored only for a regency cut off whose remediation was "
                "submitted, not '%(state)s'"
            ),
            "Pemulihan hanya untuk kabupaten/kota yang aksesnya diputus dan perbaikannya "
            "diajukan, bukan '%(state)s'",
        ),
        "executed_in_future": (
            _("executed_at cannot be in the future"),
            "Waktu pelaksanaan tidak boleh di masa depan",
        ),
        "executed_before_issue": (
            _("executed_at is before the order was issued (%(issued_at)s UTC)"),
            "Waktu pelaksanaan sebelum perintah diterbitkan (%(issued_at)s UTC)",
        ),
        "order_cancelled": (
            _("The order was cancelled on %(cancelled_at)s UTC"),
            "Perintah ini dibatalkan pada %(cancelled_at)s UTC",
        ),
        "case_closed_before_execution": (
            _("case closed before execution"),
            "Kasus ditutup sebelum dilaksanakan",
        ),
        # --- evidence and uploads -----------------------------------------------------------
        "one_file_only": (
            _("send one file per upload; received %(count)s"),
            "Kirim satu berkas per unggahan; diterima %(count)s",
        ),
        "file_too_large_mb": (
            _("File larger than %(limit_mb)s MB"),
            "Berkas lebih besar dari %(limit_mb)s MB",
        ),
        "file_type_refused": (
            _("File type not accepted (PDF, image or office document only); content: %(found)s"),
            "Jenis berkas tidak diterima (hanya PDF, gambar, dokumen perkantoran); isi berkas: "
            "%(found)s",
        ),
        # --- recording reports (the upload; the rows' own codes: recording_messages) -------
        "recording_file_format": (
            _("The file must be .csv or .xlsx"),
            "Berkas harus .csv atau .xlsx",
        ),
        "recording_file_required": (_("A file is required"), "Berkas wajib diisi"),
        "recording_file_too_large": (
            _("The file is larger than %(limit)s bytes"),
            "Berkas melebihi %(limit)s bita",
        ),
        "from_after_to": (_("'from' is after 'to'"), "Tanggal awal setelah tanggal akhir"),
        # --- offices (the create_office command) -------------------------------------------
        "unknown_office_kind": (
            _("unknown office kind '%(kind)s'; choose one of: %(choices)s"),
            "Jenis jabatan '%(kind)s' tidak dikenal; pilih salah satu dari: %(choices)s",
        ),
        "national_office_no_region": (
            _("'%(kind)s' covers the whole country: give no --region"),
            "Jabatan '%(kind)s' berlingkup nasional, jangan beri --region",
        ),
        "office_needs_region": (
            _("'%(kind)s' needs --region (e.g. %(example)s)"),
            "Jabatan '%(kind)s' memerlukan --region (contoh: %(example)s)",
        ),
        "unknown_province_code": (
            _("unknown province code '%(code)s' (e.g. 15)"),
            "Kode provinsi '%(code)s' tidak dikenal (contoh: 15)",
        ),
        "unknown_regency_code": (
            _("unknown regency or city code '%(code)s' (e.g. 15.02)"),
            "Kode kabupaten/kota '%(code)s' tidak dikenal (contoh: 15.02)",
        ),
        "wrong_head": (
            _("%(regency)s is headed by a '%(expected)s', not a '%(kind)s'"),
            "%(regency)s dipimpin oleh '%(expected)s', bukan '%(kind)s'",
        ),
        "invalid_email": (
            _("invalid e-mail address for %(option)s: '%(email)s'"),
            "Alamat surel %(option)s '%(email)s' tidak valid",
        ),
        "unknown_language": (
            _("unknown language '%(language)s'; choose id or en"),
            "Bahasa '%(language)s' tidak dikenal; pilih id atau en",
        ),
    }
)
