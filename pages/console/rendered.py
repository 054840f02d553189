"""Charts and tables rendered once per content. A chart's SVG, or a table of figures,
depends only on the rows it shows and on the active language (its words and number
format): a page asks for it by those and renders it only the first time. Formatting
every number of a country's 38 provinces (pages.charts does it twice per layout; the
tables through floatformat) was most of the console's time in Python.

The key is the content itself: new figures or states are another key, and nothing needs
invalidating; the least recently used entries make room for new ones, and a changed
setting (a test's override) drops them all, as it may change the formats."""

import threading
from collections import OrderedDict

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language

SIZE = 256  # entries kept per process (a few kilobytes each)

_kept = OrderedDict()
_lock = threading.Lock()


def rendered(key, render):
    """What `render()` returns for `key` (hashable: what it shows, with its title),
    rendered when it is not kept yet."""
    key = (get_language(), *key)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    found = render()
    with _lock:
        _kept[key] = found
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return found


@receiver(setting_changed)
def forget(**kwargs):
    """Drop everything kept."""
    with _lock:
        _kept.clear()
