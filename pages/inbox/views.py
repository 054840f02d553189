"""The inbox of a regency's offices (regent or mayor, regency Dukcapil head): assignments,
the regency's compliance case and remediation, and the letters received. Thin views: each
action calls one workflow or compliance service; a refusal is shown with its reason."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance import services as compliance
from compliance.errors import DomainError, InvalidInput, NotAllowed, NotFound
from compliance.evidence import the_one_file
from compliance.selectors import get_visible_evidence
from pages.common import localise, user_offices
from pages.evidence import serve as serve_evidence
from pages.views import RECIPIENT_KINDS, REGENCY_KINDS
from workflow import letters, selectors
from workflow import services as workflow
from workflow.authority import available_actions
from workflow.models import ExtensionStatus
from workflow.selectors import get_visible_assignment

from . import reads
from .forms import EvidenceForm, ExtensionForm, RemediationForm, SubmitForm, refuse

PAGE_SIZE = 25


def _offices_required(kinds):
    """A page for the holders of these office kinds; anyone else is told why not, and a
    refusal from a service is shown with its reason."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(o.kind in kinds for o in user_offices(request)):
                return render(request, "pages/inbox/not_for_you.html", status=403)
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(localise(exc)) from exc
            except NotAllowed as exc:
                context = {"reason": localise(exc)}
                return render(request, "pages/inbox/refused.html", context, status=403)

        return wrapped

    return decorator


# Assignments and letters reach the regions' offices: a regency's (regent or mayor and
# its Dukcapil head) and a province's (governor and provincial Dukcapil head). The
# regency's compliance case and its remediation are a regency's own.
recipient_office_required = _offices_required(RECIPIENT_KINDS)
regency_office_required = _offices_required(REGENCY_KINDS)


def _page(request, rows, param="page"):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))


# --- assignments ------------------------------------------------------------------


@recipient_office_required
def assignments(request):
    page = _page(request, reads.inbox(request.user))
    for a in page:
        reads.with_local_times(a)
    regencies = {o.regency_id for o in user_offices(request) if o.kind in REGENCY_KINDS}
    context = {"page": page, "cut_off": reads.cut_off(regencies) if regencies else []}
    return render(request, "pages/inbox/assignments.html", context)


RECIPIENT_ACTIONS = ("acknowledge", "start", "submit", "request_extension")


def _assignment_page(request, pk, *, submit_form=None, extension_form=None, status=200):
    assignment = reads.assignment_file(request.user, pk)
    pending = any(r.status == ExtensionStatus.PENDING for r in assignment.requests)
    # What the recipient may do now: workflow's policies and the transitions' guards.
    can = available_actions(request.user, assignment, among=RECIPIENT_ACTIONS)
    context = {
        "assignment": assignment,
        "directive": assignment.directive,
        "can": {
            "acknowledge": "acknowledge" in can,
            "start": "start" in can,
            # A remediation directive is answered on the regency's page instead.
            "submit": "submit" in can and not assignment.remediation_page,
            "extend": "request_extension" in can and not pending,
        },
        "pending_extension": pending,
        "submit_form": submit_form or SubmitForm(with_evidence=assignment.regency_id is not None),
        "extension_form": extension_form or ExtensionForm(),
    }
    return render(request, "pages/inbox/assignment.html", context, status=status)


@recipient_office_required
def assignment(request, pk):
    return _assignment_page(request, pk)


def _act(request, pk, action, done_message):
    """Run a workflow action on one assignment: back to its page, with the outcome."""
    found = get_visible_assignment(request.user, pk)
    try:
        action(found)
    except (NotFound, NotAllowed):
        raise
    except DomainError as exc:  # wrong state, or lost to a concurrent change
        messages.error(request, localise(exc))
    else:
        messages.success(request, done_message)
    return redirect("inbox:assignment", pk=pk)


@require_POST
@recipient_office_required
def acknowledge(request, pk):
    return _act(
        request,
        pk,
        lambda a: workflow.acknowledge_assignment(assignment=a, actor=request.user),
        _("Assignment acknowledged."),
    )


@require_POST
@recipient_office_required
def start(request, pk):
    return _act(
        request,
        pk,
        lambda a: workflow.start_assignment(assignment=a, actor=request.user),
        _("Work on the assignment is reported as started."),
    )


@require_POST
@recipient_office_required
def submit(request, pk):
    found = get_visible_assignment(request.user, pk)
    form = SubmitForm(request.POST, request.FILES, with_evidence=found.regency_id is not None)
    if not form.is_valid():
        return _assignment_page(request, pk, submit_form=form, status=400)
    try:
        the_one_file(request.FILES, "evidence")
        workflow.submit_assignment(
            assignment=found,
            actor=request.user,
            note=form.cleaned_data["note"],
            evidence=form.cleaned_data.get("evidence"),
        )
    except InvalidInput as exc:
        refuse(form, exc)
        return _assignment_page(request, pk, submit_form=form, status=400)
    except (NotFound, NotAllowed):
        raise
    except DomainError as exc:
        messages.error(request, localise(exc))
    else:
        issuer = found.directive.issuing_office.title
        messages.success(request, _("Report submitted to %(issuer)s.") % {"issuer": issuer})
    return redirect("inbox:assignment", pk=pk)


@require_POST
@recipient_office_required
def request_extension(request, pk):
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return _assignment_page(request, pk, extension_form=form, status=400)
    found = get_visible_assignment(request.user, pk)
    try:
        workflow.request_extension(
            assignment=found,
            actor=request.user,
            new_due_date=form.cleaned_data["new_due_date"],
            reason=form.cleaned_data["reason"],
        )
    except InvalidInput as exc:
        refuse(form, exc)
        return _assignment_page(request, pk, extension_form=form, status=400)
    except (NotFound, NotAllowed):
        raise
    except DomainError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(
            request, _("Extension requested; the office that issued the directive will decide.")
        )
    return redirect("inbox:assignment", pk=pk)


# --- my regency ---------------------------------------------------------------------


@regency_office_required
def my_regency(request):
    office = next(o for o in user_offices(request) if o.kind in REGENCY_KINDS)
    return redirect("inbox:regency", code=office.regency.code)


def _regency_page(request, code, *, evidence_form=None, remediation_form=None, status=200):
    regency = reads.regency_file(request.user, code)
    if remediation_form is None:
        remediation_form = RemediationForm(
            violations=regency.open_violations, documents=regency.documents
        )
    context = {
        "regency": regency,
        "can_upload": "upload_evidence" in regency.available_transitions,
        "can_submit": "submit_remediation" in regency.available_transitions,
        "evidence_form": evidence_form or EvidenceForm(),
        "remediation_form": remediation_form,
    }
    return render(request, "pages/inbox/regency.html", context, status=status)


@regency_office_required
def regency(request, code):
    return _regency_page(request, code)


@require_POST
@regency_office_required
def upload_evidence(request, code):
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        regency = reads.regency_file(request.user, code)
        try:
            the_one_file(request.FILES, "file")
            document = compliance.upload_evidence(
                regency=regency,
                actor=request.user,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except InvalidInput as exc:
            refuse(form, exc)
        else:
            messages.success(
                request, _("Evidence uploaded: %(name)s") % {"name": document.original_name}
            )
            return redirect("inbox:regency", code=code)
    return _regency_page(request, code, evidence_form=form, status=400)


@require_POST
@regency_office_required
def submit_remediation(request, code):
    regency = reads.regency_file(request.user, code)
    form = RemediationForm(
        request.POST,
        request.FILES,
        violations=regency.open_violations,
        documents=regency.documents,
    )
    if form.is_valid():
        try:
            with transaction.atomic():  # the files stay only if the remediation goes in
                statements = _with_new_files(request, form, regency)
                compliance.submit_remediation(
                    regency=regency, actor=request.user, statements=statements
                )
        except _FileRefused:
            pass  # its reason is on the file's field
        except InvalidInput as exc:  # a statement or evidence missing: say which
            form.refuse(exc)
        except (NotFound, NotAllowed):
            raise
        except DomainError as exc:  # not flagged or suspended (any more)
            messages.error(request, localise(exc))
            return redirect("inbox:regency", code=code)
        else:
            messages.success(request, _("Remediation submitted; the ministry will review it."))
            return redirect("inbox:regency", code=code)
    return _regency_page(request, code, remediation_form=form, status=400)


class _FileRefused(Exception):
    """A file sent with a statement was refused: nothing of the remediation is kept."""


def _with_new_files(request, form, regency):
    """The statements, each with the document uploaded from its own file field (if any)
    added to the documents ticked for it."""
    statements = form.statements()
    files = form.new_files()
    for entry in statements:
        name = f"file_{entry['violation']}"
        if entry["violation"] not in files:
            continue
        try:
            the_one_file(request.FILES, name)
            document = compliance.upload_evidence(
                regency=regency, actor=request.user, file=files[entry["violation"]]
            )
        except InvalidInput as exc:
            form.add_error(name, localise(exc))
            raise _FileRefused from exc
        entry["evidence"] = [*entry["evidence"], document.pk]
    return statements


@regency_office_required
def evidence_file(request, pk):
    """The older address of a document (pages.evidence serves it, inline where it can)."""
    return serve_evidence(get_visible_evidence(request.user, pk))


# --- letters ------------------------------------------------------------------------


@recipient_office_required
def letter_list(request):
    page = _page(request, selectors.letters_for(request.user))
    signed = _page(request, selectors.letters_signed_for(request.user), param="signed_page")
    return render(request, "pages/inbox/letters.html", {"page": page, "signed": signed})


@recipient_office_required
def letter_pdf(request, pk):
    letter = selectors.get_visible_letter(request.user, pk)
    response = HttpResponse(letters.pdf_for(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.filename(letter)}"'
    return response
