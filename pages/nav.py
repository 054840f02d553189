"""The counts beside the menu's links (issue 15, item 2): what waits for the user in his
approvals queue, his inbox, the proposed sanctions he signs or prepares and (network
operators) the access orders to carry out. Each is the
same read the page (and the API) lists, counted in one query; the user's offices are read
once per request (pages.common.user_offices). Counted only when the menu shows the link."""

from functools import cached_property

from compliance.access import orders_for
from compliance.models import AccessOrderState
from workflow import proposals
from workflow.models import ESCALATION_STOPPED, ProposalState
from workflow.selectors import assignments_for

from .common import user_offices
from .console.queries import approvals_count


def open_assignments(user):
    """The assignments addressed to the user's offices that still wait for them (not
    submitted, verified or withdrawn): the inbox's work."""
    return assignments_for(user, mine=True).exclude(state__in=ESCALATION_STOPPED)


def waiting_proposals(user):
    return proposals.visible_proposals(user).filter(state=ProposalState.PROPOSED)


class NavCounts:
    def __init__(self, request):
        self.request = request

    @cached_property
    def approvals(self):
        return approvals_count(self.request.user, user_offices(self.request))

    @cached_property
    def inbox(self):
        return open_assignments(self.request.user).count()

    @cached_property
    def proposals(self):
        return waiting_proposals(self.request.user).count()

    @cached_property
    def access_orders(self):
        """The access orders waiting for the network operators (the page's first tab)."""
        return orders_for(self.request.user, state=AccessOrderState.ISSUED).count()
