"""The assignment list with its `count` kept (workflow.kept): counting 100,000 assignments
costs PostgreSQL ~7 ms on every first page, though the count changes only when an
assignment does (issued, moved, extended: each writes an event of the feed) or with the
clock (what is overdue).

Not for a list whose rows change without an event (a directive's draft)."""

from compliance.api.inputs import KeysetPages
from compliance.offices import active_offices

from ..kept import kept, scope_of


class KeptCountPages(KeysetPages):
    """KeysetPages whose `count` is computed once per list, reader's scope (his offices:
    what he may see), filters and data version (a change shows on the next request; the
    clock's effect, such as what is overdue, within a minute)."""

    def count_of(self, queryset):
        request = self.request
        paging = {  # what moves the page, not the rows counted
            self.cursor_query_param,
            self.page_query_param,
            self.page_size_query_param,
            self.count_query_param,
        }
        filters = sorted((k, v) for k, v in request.query_params.lists() if k not in paging)
        # "mine": the offices he acts for, which his offices' kinds and regions don't tell
        # apart from a colleague's in the same office's region.
        own = request.user.pk if "mine" in request.query_params else None
        parts = (request.path, scope_of(active_offices(request.user)), own, filters)
        return kept("list-count", parts, queryset.count)
