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

from compliance.models import Office, OfficeHolding, OfficeKind

from .models import Letter, LetterCounter, StepAction

ROMAN = {StepAction.WRITTEN_WARNING_1: "I", StepAction.WRITTEN_WARNING_2: "II"}
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
        "place": "Jakarta" if by_minister else signatory.province.name,
        "addressee": letter.addressee_office,
        "directive": directive,
        "due_date": assignment.due_date,
        "issued_at": timezone.localtime(assignment.issued_at, assignment.province.zoneinfo),
    }


def render_pdf(letter):
    from weasyprint import HTML  # imported on use: the web process never needs pango

    with translation.override("id"):
        html = render_to_string(TEMPLATE, _context(letter))
    return HTML(string=html).write_pdf()


def filename(letter):
    roman = ROMAN[letter.step_event.step.action]
    return f"Teguran-Tertulis-{roman}-{letter.number.replace('/', '-')}.pdf"


def sign_and_keep(letter, *, signed_at):
    """Render the letter, sign it (PAdES, the signatory office's key: workflow/signing.py)
    and keep the signed file: the one every e-mail attaches and /verifikasi/ checks."""
    from . import signing

    office = letter.signatory_office
    signed = signing.sign_pdf(
        render_pdf(letter),
        office=office,
        signer_name=signer_name(office, letter.date),
        number=letter.number,
        signed_at=signed_at,
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
