"""The e-mails an access order sends (compliance.access decides and records the order;
workflow owns the outbox). Written in the order's own transaction, through the outbox:
never lost when the change commits, never sent when it rolls back, once per recipient.

- issued: every network operator office is told what to cut or restore, by when;
- escalated: the order is past its time: the director who decided it, and the operators
  again;
- executed: the director who decided it learns when it was carried out;
- cancelled: the operators learn the cut is no longer wanted.
"""

from django.conf import settings

from compliance import compiled
from compliance.models import AccessOrderKind, Office, OfficeKind

from .models import Notification
from .notifications import outbox
from .statements import insert_rows

RECIPIENTS = {
    "issued": ("operators",),
    "escalated": ("director", "operators"),
    "executed": ("director",),
    "cancelled": ("operators",),
}


def _offices(order, who):
    if who == "director":
        return [order.issued_office]
    return compiled.read("workflow.access_orders.operators", _operators)


def _operators():
    return Office.objects.filter(kind=OfficeKind.NETWORK_OPERATOR)


def _context(order, office, change, at):
    verb = "Putus" if order.kind == AccessOrderKind.CUT else "Pulihkan"
    return {
        "office": office.title,
        "title": f"{verb} akses SIAK {order.regency.name} ({order.regency.code})",
        "change": change,
        "at": at.isoformat(),  # the change's own instant (a replayed past writes its own)
        "access_order": order.pk,
        "kind": order.kind,
        "regency": order.regency.name,
        "reason": order.reason,
        "issued_office": order.issued_office.title,
        "due_at": order.due_at.isoformat(),
        "executed_at": order.executed_at.isoformat() if order.executed_at else None,
        "reference": order.reference,
        "url": f"{settings.SITE_URL.rstrip('/')}/akses/{order.pk}/",
    }


# The notice's columns, as workflow.statements.insert_rows writes them.
NOTICE = ("dedupe_key", "recipient_office_id", "recipient_email", "template", "language", "context")


def on_access_order_changed(sender, order, change, at, **kwargs):
    rows = [
        (
            f"access-order:{order.pk}:{change}:{office.pk}",
            office.pk,
            office.email,
            f"access_order_{change}",
            office.language or "id",
            _context(order, office, change, at),
        )
        for who in RECIPIENTS[change]
        for office in _offices(order, who)
        if office.email
    ]
    # One statement for all the offices; a notice already written (the same change told
    # twice) is kept as it is and not handed over again.
    outbox.dispatch_on_commit(insert_rows(Notification, NOTICE, rows, unless_taken="dedupe_key"))
