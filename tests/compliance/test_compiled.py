"""A query compiled once per connection gives, for every set of values, what the ORM gives
for the same values: the same rows, instances with their related rows, in one query."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from compliance import compiled
from compliance.models import Office, OfficeHolding, OfficeKind
from tests.factories import regency

pytestmark = pytest.mark.django_db
User = get_user_model()


def holdings(user_id, day):
    return (
        OfficeHolding.objects.on(day)
        .filter(user_id=user_id)
        .select_related("office")
        .order_by("acting", "starts_on", "id")
    )


@pytest.fixture
def official():
    user = User.objects.create(username="bupati.tebo")
    tebo = regency("15.09")
    seat, _ = Office.objects.get_or_create(
        kind=OfficeKind.REGENT, regency=tebo, defaults={"province": tebo.province}
    )
    helper, _ = Office.objects.get_or_create(
        kind=OfficeKind.REGENCY_DUKCAPIL_HEAD, regency=tebo, defaults={"province": tebo.province}
    )
    OfficeHolding.objects.create(office=seat, user=user, starts_on=date(2026, 1, 1))
    OfficeHolding.objects.create(
        office=helper, user=user, acting=True, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)
    )
    return user


@pytest.mark.parametrize(
    "day", [date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1)]
)
def test_a_compiled_read_gives_the_rows_the_orm_gives(official, day):
    compiled.read("test.holdings", holdings, official.pk, date(2026, 3, 15))  # compiled here

    rows = compiled.read("test.holdings", holdings, official.pk, day)

    assert [(h.pk, h.office) for h in rows] == [
        (h.pk, h.office) for h in holdings(official.pk, day)
    ]


def test_its_rows_come_with_their_related_rows_in_one_query(official, django_assert_num_queries):
    compiled.read("test.holdings", holdings, official.pk, date(2026, 3, 15))

    with django_assert_num_queries(1):
        rows = compiled.read("test.holdings", holdings, official.pk, date(2026, 3, 15))
        offices = [h.office.kind for h in rows]

    assert offices == [OfficeKind.REGENT, OfficeKind.REGENCY_DUKCAPIL_HEAD]


def test_the_query_is_built_once_per_key_and_connection(official):
    built = []

    def counted(user_id, day):
        built.append((user_id, day))
        return holdings(user_id, day)

    for day in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 15)):
        compiled.read("test.counted", counted, official.pk, day)

    assert len(built) == 1  # with marks, not with any of the values
    assert built[0][0] == compiled.PK and built[0][1].year == 1901


def test_instants_are_written_as_the_orm_writes_them_on_this_database(
    django_assert_num_queries,
):
    for n, joined in enumerate(["2026-01-01 08:00", "2026-01-01 09:00", "2026-01-02 00:00"]):
        at = datetime.fromisoformat(joined).replace(tzinfo=UTC)
        User.objects.create(username=f"u{n}", date_joined=at)

    def joined_by(instant, prefix):
        users = User.objects.filter(date_joined__lte=instant, username__gte=prefix)
        return users.annotate(n=Count("groups")).order_by("date_joined")

    at = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    for instant in (at, at.replace(hour=8, second=1), at.replace(day=3)):
        rows = compiled.read("test.joined", joined_by, instant, "u")
        assert [(u.username, u.n, u.date_joined) for u in rows] == [
            (u.username, u.n, u.date_joined) for u in joined_by(instant, "u")
        ]
        assert all(u.date_joined.tzinfo is not None for u in rows)  # converted as the ORM does
    assert [u.username for u in compiled.read("test.joined", joined_by, at, "u")] == ["u0", "u1"]


@pytest.mark.parametrize("value", [None, True, 1.5])
def test_a_value_without_a_mark_is_refused(official, value):
    with pytest.raises(TypeError, match="no mark for a value"):
        compiled.read(("test.refused", type(value)), lambda v: holdings(v, date(2026, 1, 1)), value)


def test_a_builder_that_leaves_a_value_out_is_refused(official):
    def forgetful(user_id, day):
        return holdings(official.pk, day)  # the user's id compiled in: wrong for the next

    with pytest.raises(RuntimeError, match="mark 0 is missing"):
        compiled.read("test.forgetful", forgetful, official.pk, date(2026, 1, 1))


def test_a_value_its_lookup_rewrites_is_refused():
    def named_like(prefix):
        return User.objects.filter(username__startswith=prefix)  # the mark becomes 'mark%'

    with pytest.raises(RuntimeError, match="mark 0 is missing"):
        compiled.read("test.like", named_like, "bupati")


def test_id_lists_are_padded_to_a_few_lengths_and_find_the_same_rows(official):
    assert [len(compiled.padded(range(n))) for n in range(10)] == [0, 1, 2, 4, 4, 8, 8, 8, 8, 16]
    assert compiled.padded([3, 5, 9]) == (3, 5, 9, 9)

    def of_users(*ids):
        return User.objects.filter(pk__in=ids).order_by("pk")

    others = [User.objects.create(username=f"u{n}").pk for n in range(4)]
    for ids in ([official.pk], [official.pk, *others[:2]], others):
        padded = compiled.padded(ids)
        rows = compiled.read(("test.users", len(padded)), of_users, *padded)
        assert [u.pk for u in rows] == sorted(ids)
