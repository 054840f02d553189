"""Written warnings I and II as formal letters (PP 12/2017 Pasal 38).

A Letter exists once its signatory has signed the proposal (workflow/proposals.py): the
number is taken then from the signatory office's LetterCounter row for the year, locked
while it is taken, so numbers are gapless per office and year (a rolled-back signing
gives its number back). The PDF is rendered with WeasyPrint at the signing and kept under
PRIVATE_MEDIA_ROOT."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from compliance.instruments import cite_all
from compliance.models import Office, OfficeHolding, OfficeKind

from .models import Letter, LetterCounter, StepAction
from .seats import seat_of

ROMAN: dict[str, str] = {StepAction.WRITTEN_WARNING_1: "I", StepAction.WRITTEN_WARNING_2: "II"}
CLASSIFICATION = "100.3.4"  # archive classification code at the head of the number
MINISTER_TITLE = "Menteri Dalam Negeri"
TEMPLATE = "workflow/letters/written_warning.html"


def minister_office():
    office = Office.objects.filter(kind=OfficeKind.MINISTER).first()
    if office is None:
        office, _ = Office.objects.get_or_create(kind=OfficeKind.MINISTER, title=MINISTER_TITLE)
    return office


def signatory_for(assignment, governors=None, minister=None):
    """The governor (GWPP) warns regents and mayors; the Minister warns governors."""
    if assignment.regency_id is None:
        return minister or minister_office()
    governor = (governors or {}).get(assignment.province_id)
    return governor or Office.objects.get(
        kind=OfficeKind.GOVERNOR, province_id=assignment.province_id
    )


def take_numbers(*, office, year, count=1):
    """`count` consecutive sequence numbers for `office` in `year`, inside the caller's
    transaction; a concurrent caller waits on the counter row until this one ends."""
    with transaction.atomic():
        counter, _ = LetterCounter.objects.select_for_update().get_or_create(
            office=office, year=year
        )
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return range(first, counter.last + 1)


def format_number(office, sequence, year):
    governor = office.kind == OfficeKind.GOVERNOR
    issuer = f"Gub.{office.province.code}" if governor else "Dukcapil"
    return f"{CLASSIFICATION}/{sequence:04d}/{issuer}/{year}"


# --- the PDF ----------------------------------------------------------------------


def signer_name(office, day):
    """The name of the person holding `office` on `day` (its definitive holder before an
    acting one), for the signature block; else the holder's name the region reported for
    the office (most seats have no user); "" when neither is known."""
    holdings = (
        OfficeHolding.objects.filter(office=office, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("user")
        .order_by("acting", "starts_on", "id")
    )
    named = (h.user.get_full_name() for h in holdings if h.user.get_full_name())
    return next(named, office.holder_name)


# Who receives a copy (tembusan): a ministry policy choice, not set by an instrument.
GOVERNOR_COPIES = (
    "Menteri Dalam Negeri",
    "Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri",
)
MINISTER_COPIES = (
    "Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri",
    "Inspektur Jenderal Kementerian Dalam Negeri",
)


def addressee_place(office):
    """The "di ..." line under the addressee: a governor's seat; a regent or mayor at his
    own seat ("Tempat"), whose city the region data does not hold."""
    return seat_of(office) if office.kind == OfficeKind.GOVERNOR else "Tempat"


def _context(letter):
    event = letter.step_event
    assignment, directive = event.assignment, event.assignment.directive
    signatory = letter.signatory_office
    by_minister = signatory.kind != OfficeKind.GOVERNOR
    return {
        "letter": letter,
        "roman": ROMAN[event.step.action],
        "second": event.step.action == StepAction.WRITTEN_WARNING_2,
        "signatory": signatory,
        "signer_name": signer_name(signatory, letter.date),
        "by_minister": by_minister,
        "place": seat_of(signatory),
        "addressee": letter.addressee_office,
        "addressee_place": addressee_place(letter.addressee_office),
        # The ladder's own basis (the policy), then the directive's; each instrument once.
        "legal_bases": cite_all(event.step.policy.legal_basis, directive.legal_basis),
        "copies": MINISTER_COPIES if by_minister else GOVERNOR_COPIES,
        "directive": directive,
        "due_date": assignment.due_date,
        "issued_at": timezone.localtime(assignment.issued_at, assignment.province.zoneinfo),
    }


# The template's empty block between the office and the name, where the electronic
# signature goes (an anchor WeasyPrint reports with its position on the page).
SIGNATURE_ANCHOR = "tanda-tangan"
PT_PER_PX = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


def render(letter):
    """(the letter's PDF, where its signature goes: page index, left, top in points)."""
    from weasyprint import HTML  # imported on use: the web process never needs pango

    with translation.override("id"):
        html = render_to_string(TEMPLATE, _context(letter))
    document = HTML(string=html).render()
    return document.write_pdf(), _signature_spot(document)


def _signature_spot(document):
    for index, page in enumerate(document.pages):
        if SIGNATURE_ANCHOR in page.anchors:
            x, y, *_ = page.anchors[SIGNATURE_ANCHOR]  # its top left (and bottom right)
            return index, x * PT_PER_PX, (page.height - y) * PT_PER_PX
    return None


def render_pdf(letter):
    return render(letter)[0]


def filename(letter):
    roman = ROMAN[letter.step_event.step.action]
    return f"Teguran-Tertulis-{roman}-{letter.number.replace('/', '-')}.pdf"


def sign_and_keep(letter, *, signed_at):
    """Render the letter, sign it (PAdES, the signatory office's key: workflow/signing.py)
    and keep the signed file: the one every e-mail attaches and /verifikasi/ checks."""
    from . import signing

    office = letter.signatory_office
    pdf, spot = render(letter)
    signed = signing.sign_pdf(
        pdf,
        office=office,
        signer_name=signer_name(office, letter.date),
        number=letter.number,
        signed_at=signed_at,
        spot=spot,
    )
    storage = letter.pdf.storage
    name = storage.save(f"letters/{letter.year}/{filename(letter)}", ContentFile(signed))
    Letter.objects.filter(pk=letter.pk).update(pdf=name)
    letter.pdf.name = name
    return signed


def pdf_for(letter):
    """The letter's PDF bytes: rendered on first use, then read back from storage."""
    storage = letter.pdf.storage
    if letter.pdf.name and storage.exists(letter.pdf.name):
        with storage.open(letter.pdf.name, "rb") as f:
            return f.read()
    data = render_pdf(letter)
    name = storage.save(f"letters/{letter.year}/{filename(letter)}", ContentFile(data))
    # Two deliveries (assignee, governor, ministry copies) may render at once: one wins.
    if Letter.objects.filter(pk=letter.pk, pdf=letter.pdf.name or "").update(pdf=name):
        letter.pdf.name = name
    else:
        storage.delete(name)
    return data
