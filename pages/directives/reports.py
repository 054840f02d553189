"""The report an office submitted for its assignment, as the office that verifies or returns
it reads it (issue 15 item 1): the note, the evidence files the report names, who
submitted what and when (every submission, the earlier ones too), and the assignment's
timeline of earlier decisions, each time in the recipient's own zone. Always within the
reader's jurisdiction, in a number of queries that does not grow with the history."""

from compliance.case_file import INLINE_TYPES
from compliance.errors import NotFound
from compliance.models import EvidenceDocument
from pages.common import shown_reason
from pages.inbox.reads import due_local, local
from workflow.messages import Message
from workflow.models import Assignment
from workflow.report_notes import evidence_ids, note_text
from workflow.selectors import ZONE_LABELS, timeline

from . import tracking


def report_file(user, directive, pk):
    """One recipient's assignment of `directive` with its submissions (each: who, through
    which office, when, the note and its files) and its timeline; NotFound outside the
    user's jurisdiction."""
    try:
        assignment = tracking.tracked_assignments(user, directive=directive.pk).get(pk=pk)
    except Assignment.DoesNotExist:
        raise NotFound(Message("assignment_not_found", pk=pk)) from None
    zone = assignment.province.zoneinfo
    assignment.zone = ZONE_LABELS[assignment.province.time_zone]
    assignment.due_local = due_local(assignment)
    entries = timeline(assignment)
    events = [e["state_change"] for e in entries if e["state_change"] is not None]
    submissions = [e for e in events if e.transition == "submit"]
    wanted = {pk for e in submissions for pk in evidence_ids(e.reason)}
    documents = {}
    if wanted and assignment.regency_id is not None:
        found = EvidenceDocument.objects.filter(pk__in=wanted, regency_id=assignment.regency_id)
        documents = found.in_bulk()
    for e in submissions:
        e.local = local(e.at, zone)
        e.note_text = note_text(e.reason)
        e.documents = [documents[pk] for pk in evidence_ids(e.reason) if pk in documents]
        for d in e.documents:
            d.inline = d.content_type in INLINE_TYPES
            d.uploaded_local = local(d.uploaded_at, zone)
    # The latest submission first: the one decided on now.
    assignment.submissions = submissions[::-1]
    for entry in entries:
        entry["local"] = local(entry["at"], zone)
        event = entry["state_change"]
        if event is not None:
            automatic = (event.payload or {}).get("automatic")
            event.shown_reason = shown_reason(
                note_text(event.reason),
                by=None if automatic else event.actor_id,
                code=event.reason_code,
                params=event.reason_params,
            )
    issued = {"kind": "issued", "at": assignment.issued_at, "issued": True}
    entries.insert(0, {**dict.fromkeys(("state_change", "step", "notification")), **issued})
    entries[0]["local"] = local(assignment.issued_at, zone)
    assignment.entries = entries
    return assignment
