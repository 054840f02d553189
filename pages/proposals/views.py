"""The signatory's queue of proposed written warnings: open one with its facts, then sign
it or decline it with a reason (workflow.proposals decides who may)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance.errors import DomainError, NotFound
from workflow import proposals
from workflow.models import AssignmentEvent, ExtensionRequest, Letter, ProposalState

from ..common import localise
from ..console.forms import ReasonForm


@login_required
def queue(request):
    rows = proposals.visible_proposals(request.user).order_by("proposed_at", "id")
    waiting = [p for p in rows if p.state == ProposalState.PROPOSED]
    decided = [p for p in rows if p.state != ProposalState.PROPOSED][-50:][::-1]
    return render(request, "pages/proposals/queue.html", {"waiting": waiting, "decided": decided})


@login_required
def detail(request, pk):
    proposal = _get(request, pk)
    return render(request, "pages/proposals/detail.html", _context(request, proposal))


def _get(request, pk):
    try:
        return proposals.get_visible_proposal(request.user, pk)
    except NotFound as e:
        raise Http404(localise(e)) from None


def _context(request, proposal, form=None):
    """The facts of the verification: the directive and its basis, the deadline, the
    acknowledgement, what the office reported, the extensions, the earlier letters."""
    a = proposal.assignment
    return {
        "proposal": proposal,
        "assignment": a,
        "may_sign": proposals.may_sign(request.user, proposal),
        "history": AssignmentEvent.objects.filter(assignment=a).select_related("actor"),
        "extensions": ExtensionRequest.objects.filter(assignment=a).order_by("requested_at"),
        "earlier_letters": Letter.objects.filter(step_event__assignment=a).order_by("date"),
        "form": form or ReasonForm(prefix="decline"),
    }


@login_required
@require_POST
def sign(request, pk):
    _get(request, pk)  # 404 outside the user's proposals, as the page itself
    try:
        letter = proposals.sign(proposal_id=pk, actor=request.user)
    except DomainError as e:
        messages.error(request, localise(e))
        return redirect("proposals:detail", pk=pk)
    messages.success(request, _("Signed: letter %(number)s is sent.") % {"number": letter.number})
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def decline(request, pk):
    proposal = _get(request, pk)
    form = ReasonForm(request.POST, prefix="decline")
    if not form.is_valid():
        return render(
            request, "pages/proposals/detail.html", _context(request, proposal, form), status=400
        )
    try:
        proposals.decline(proposal_id=pk, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as e:
        messages.error(request, localise(e))
        return redirect("proposals:detail", pk=pk)
    messages.success(request, _("Declined: no letter is sent, and this ladder stops."))
    return redirect("proposals:detail", pk=pk)
