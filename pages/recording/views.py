"""The ministry's upload of recording reports: a form that queues the import, and the
job's page, which polls its progress with htmx until it ends, then lists the bad rows (in
the reader's language) or what was written."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from compliance.errors import InvalidInput, NotAllowed, NotFound
from compliance.recording_import import message
from compliance.recording_jobs import (
    create_import,
    get_visible_import,
    ministry_office,
    visible_imports,
)

from ..common import localise
from .forms import UploadForm

RECENT_JOBS = 10


def _refused(request):
    reason = _("Only ministry offices may import recording reports.")
    return render(request, "pages/recording/refused.html", {"reason": reason}, status=403)


@login_required
def upload(request):
    if ministry_office(request.user) is None:
        return _refused(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = create_import(actor=request.user, file=form.cleaned_data["file"])
        except (InvalidInput, NotAllowed) as e:
            form.add_error("file", localise(e))
        else:
            return redirect("recording:job", pk=job.pk)
    jobs = visible_imports(request.user)[:RECENT_JOBS]
    return render(request, "pages/recording/upload.html", {"form": form, "jobs": jobs})


def _job_context(request, pk):
    try:
        job = get_visible_import(request.user, pk)
    except NotFound:
        raise Http404 from None
    errors = [{"line": e["line"], "reason": message(e)} for e in job.errors]
    return {"job": job, "errors": errors, "unlisted": job.error_count - len(errors)}


@login_required
def job(request, pk):
    return render(request, "pages/recording/job.html", _job_context(request, pk))


@login_required
def job_status(request, pk):
    """The status fragment the job page swaps in every second while the job runs."""
    return render(request, "pages/recording/_status.html", _job_context(request, pk))
