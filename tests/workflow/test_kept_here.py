"""What a process read of the kept entries, it keeps in front of the cache (workflow.kept):
an entry's key names its data version and minute, so a second reading in the process
neither asks the cache nor computes; a new version is a new key, computed; a setting's
change forgets them; the oldest go first past HERE entries."""

import datetime as dt

import pytest
from django.core.cache import cache

from workflow import kept

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 4, 5, tzinfo=dt.UTC)


class Computed:
    def __init__(self):
        self.times = 0

    def __call__(self):
        self.times += 1
        return {"figure": self.times}


def read(compute, version=(1, 2, 3), parts=("page",)):
    return kept.kept("probe", parts, compute, now=NOW, version=version)


def test_a_second_reading_asks_neither_the_cache_nor_the_computation():
    compute = Computed()
    first = read(compute)
    cache.clear()  # the shared cache holds it no more: this process still does
    assert read(compute) is first
    assert compute.times == 1


def test_another_process_reads_the_cache_and_does_not_compute():
    compute = Computed()
    read(compute)
    kept.forget_here()  # as another process, which has not read it yet
    assert read(compute) == {"figure": 1}
    assert compute.times == 1


def test_a_new_data_version_is_computed_and_the_old_one_stays_as_it_was():
    compute = Computed()
    old = read(compute, version=(1, 2, 3))
    new = read(compute, version=(1, 2, 4))
    assert (old, new) == ({"figure": 1}, {"figure": 2})
    assert read(compute, version=(1, 2, 3)) == {"figure": 1}


def test_a_settings_change_forgets_them(settings):
    compute = Computed()
    read(compute)
    settings.LAGGARD_TOLERANCE_POINTS = 7  # a rule's setting: what was computed is not its
    assert read(compute) == {"figure": 2}


def test_past_here_entries_the_oldest_is_forgotten_first(monkeypatch):
    monkeypatch.setattr(kept, "HERE", 3)
    compute = Computed()
    for n in range(4):
        read(compute, parts=(n,))
    cache.clear()
    assert read(compute, parts=(3,)) == {"figure": 4}  # kept here
    assert read(compute, parts=(0,)) == {"figure": 5}  # forgotten here: computed again
    assert len(kept._here) == 3
