"""The counts beside the menu's links (issue 15, item 2): what waits for the user in his
approvals queue, his inbox, the proposed sanctions he signs or prepares and (network
operators) the access orders to carry out. Each is the same read the work queue (/kerja/,
pages.work.reads) lists, counted in one query; the user's offices are read once per
request (pages.common.user_offices), and each count once per request: the work page and
its menu share them."""

from .common import user_offices
from .work.reads import approvals_count, issued_orders, open_assignments, waiting_proposals

__all__ = ["NavCounts", "open_assignments", "waiting_proposals"]


class NavCounts:
    def __init__(self, request):
        self.request = request
        if not hasattr(request, "_nav_counts"):
            request._nav_counts = {}
        self._counted = request._nav_counts

    def _count(self, name, count):
        if name not in self._counted:
            self._counted[name] = count()
        return self._counted[name]

    @property
    def approvals(self):
        """The approvals queue's items, less the suspension requests the user made."""
        user = self.request.user
        return self._count("approvals", lambda: approvals_count(user, user_offices(self.request)))

    @property
    def inbox(self):
        return self._count("inbox", lambda: open_assignments(self.request.user).count())

    @property
    def proposals(self):
        return self._count("proposals", lambda: waiting_proposals(self.request.user).count())

    @property
    def access_orders(self):
        """The access orders waiting for the network operators (the page's first tab)."""
        return self._count("access_orders", lambda: issued_orders(self.request.user).count())
