"""workflow's domain events for the feed (compliance.events; docs/events.md): directives
issued and withdrawn, assignment state changes, extensions decided, sanctions proposed,
signed, declined or lapsed, letters issued. Each is written in the transaction of the
change it reports."""

from compliance import events

from .models import Assignment


def _codes_of_assignments(assignment_ids):
    rows = Assignment.objects.filter(pk__in=assignment_ids).values_list(
        "pk", "province__code", "regency__code"
    )
    return {pk: events.codes_of(province, regency) for pk, province, regency in rows}


# What codes_of_regions reads of each office a directive addresses.
OFFICE_CODES = ("province__code", "regency__code")


def codes_of_regions(rows):
    """The region codes of the offices a directive addresses, from their OFFICE_CODES
    rows: the fan-out passes the ones it read with its recipients (workflow.directives)."""
    return events.codes_of(*sorted({code for row in rows for code in row if code}))


def codes_of_offices(offices):
    """The region codes of the offices a directive addresses (the fan-out's own rule,
    workflow.scopes.recipient_offices), in one query."""
    return codes_of_regions(offices.order_by().values_list(*OFFICE_CODES))


def _directive_data(directive):
    return {
        "directive": directive.pk,
        "title": directive.title,
        "document_kind": directive.document_kind,
        "policy": directive.policy.slug,
        "issuing_office": directive.issuing_office.title,
        "due_date": directive.due_date.isoformat(),
    }


def directive_changed(directive, type, at, regions, **extra):
    """`regions`: the codes of the offices it addresses (codes_of_offices or
    codes_of_regions)."""
    events.record(
        f"directive.{type}",
        at=at,
        regions=regions,
        data={**_directive_data(directive), **extra},
    )


def assignments_changed(rows):
    """Events for AssignmentEvent rows just written (any number, one query for codes)."""
    codes = _codes_of_assignments({row.assignment_id for row in rows})
    events.record_many(
        [
            (
                f"assignment.{row.transition}",
                row.at,
                codes.get(row.assignment_id, []),
                {
                    "assignment": row.assignment_id,
                    "transition": row.transition,
                    "from_state": row.from_state,
                    "to_state": row.to_state,
                    "reason": row.reason,
                    "office": row.office.title if row.office_id else None,
                },
            )
            for row in rows
        ]
    )


def extension_changed(request, type, at):
    a = request.assignment
    events.record(
        f"extension.{type}",
        at=at,
        regions=_codes_of_assignments([a.pk]).get(a.pk, []),
        data={
            "extension": request.pk,
            "assignment": a.pk,
            "status": request.status,
            "new_due_date": request.new_due_date.isoformat(),
            "reason": request.reason,
        },
    )


def proposals_changed(proposals, type, at):
    codes = _codes_of_assignments({p.assignment_id for p in proposals})
    events.record_many(
        [
            (
                f"sanction.{type}",
                at or p.proposed_at,
                codes.get(p.assignment_id, []),
                {
                    "proposal": p.pk,
                    "assignment": p.assignment_id,
                    "state": p.state,
                    "step": p.step_event.step.slug,
                    "signatory_office": p.signatory_office.title,
                    "reason": p.reason,
                    "letter": p.letter_id,
                },
            )
            for p in proposals
        ]
    )


def letter_issued(letter, at):
    a = letter.step_event.assignment
    events.record(
        "letter.issued",
        at=at,
        regions=_codes_of_assignments([a.pk]).get(a.pk, []),
        data={
            "letter": letter.pk,
            "number": letter.number,
            "date": letter.date.isoformat(),
            "signatory_office": letter.signatory_office.title,
            "addressee_office": letter.addressee_office.title,
            "assignment": a.pk,
        },
    )
