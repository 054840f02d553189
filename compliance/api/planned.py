"""Serializers that plan their output once per instance and then run the plan for each row
(issue 18: a list of 100 rows spent most of its Python in DRF's generic walk).

DRF's `Serializer.to_representation` asks every field, for every row, for its attribute
(a generator of readable fields, `Field.get_attribute` with its exception handling, a
callable check per step) before the field's own `to_representation`. The plan keeps what
does not change between rows: each field's name, the chain of attributes it reads, and its
own `to_representation`. The fields, their sources and converters stay the serializer's
declared ones, so the schema and the output are DRF's (tests/api/test_planned.py compares
the two). The fields themselves are generated once per class (get_fields())."""

import copy
import keyword
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.fields import (
    DateTimeField,
    Field,
    SerializerMethodField,
    SkipField,
    is_simple_callable,
)
from rest_framework.relations import ManyRelatedField, PKOnlyObject, RelatedField
from rest_framework.serializers import BaseSerializer

_FIELDS: dict[type, dict] = {}


class PlannedRepresentation:
    """Mix into a Serializer before it: the same output, planned once per instance, from
    fields generated once per class."""

    def get_fields(self):
        """The fields DRF's get_fields() gives, generated once per class and copied for
        each instance, as DRF copies the declared ones: a ModelSerializer otherwise
        inspects its model again for every instance (0.2-0.5 ms of a detail's 2-3 ms,
        docs/benchmarks.md, session 13). The fields depend on the class alone: none of
        these serializers shapes its fields by its instance or context."""
        generated = _FIELDS.get(type(self))
        if generated is None:
            generated = _FIELDS[type(self)] = [
                (name, field, _copier(field)) for name, field in super().get_fields().items()
            ]
        return {name: copier(field) for name, field, copier in generated}

    def _plan(self):
        plan = self.__dict__.get("_planned")
        if plan is None:
            fields = list(self._readable_fields)
            _zone_once(fields)
            plan = [
                (field.field_name, field, _attrs(field), _representer(self, field))
                for field in fields
            ]
            self.__dict__["_planned"] = plan
            self.__dict__["_row"] = _row_function(type(self), plan)
        return plan

    def to_representation(self, instance):
        plan = self._plan()
        if not isinstance(instance, dict):
            return self.__dict__["_row"](instance)
        ret = {}
        for name, field, attrs, represent in plan:
            try:
                attribute = _read(instance, field, attrs)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check is None else represent(attribute)
        return ret


def _representer(serializer, field):
    """The field's own to_representation; for a method field, the serializer's method it
    calls (DRF's SerializerMethodField looks the method up on its parent for each value)."""
    if type(field) is SerializerMethodField:
        return getattr(serializer, field.method_name)
    return field.to_representation


# --- a row as one function: the plan written out once per serializer class -------------
#
# The loop above pays, for each field of each row, the plan's unpacking and a call to
# _read with its loop: as much again as many fields' own work. A page of 100 assignments
# (1,900 fields) serializes in 1.5 ms with the row function instead of 1.8, directives and
# regencies 17 and 21 % faster too (docs/benchmarks.md, session 17). For a row that is an
# object (a dict row takes the loop), each field whose source is a chain of plain
# attributes is read inline, in _read's steps (a simple callable on the way is called); a
# miss (KeyError, AttributeError: an attribute missing or a None on the way;
# ObjectDoesNotExist: a related row missing) goes to DRF's own lookup, as _read's does.
# Relations, and names a dict has (which a dict on the way would answer as an attribute),
# go through _read. Generated once per class and plan's shape, bound to each instance's
# fields and representers.

_ROWS: dict[tuple, Any] = {}
_MISSES = (KeyError, AttributeError, ObjectDoesNotExist)  # as _read()
_SKIP = object()


def _row_function(cls, plan):
    shape = (cls, tuple((name, attrs) for name, _, attrs, _ in plan))
    make = _ROWS.get(shape)
    if make is None:
        make = _ROWS[shape] = _generate(plan)
    return make(plan)


def _inline(attrs):
    return (
        attrs is not None
        and all(a.isidentifier() and not keyword.iskeyword(a) for a in attrs)
        and not any(hasattr(dict, a) for a in attrs)
    )


def _generate(plan):
    bound = ", ".join(f"(_, f{i}, a{i}, r{i})" for i in range(len(plan)))
    lines = [
        "def make(plan):",
        f"    [{bound}] = plan",
        "    def row(instance):",
        "        ret = {}",
    ]
    for i, (name, _, attrs, _) in enumerate(plan):
        if _inline(attrs):
            lines += ["        try:", "            v = instance"]
            for attr in attrs:
                lines += [
                    f"            v = v.{attr}",
                    "            if callable(v) and is_simple_callable(v):",
                    "                v = v()",
                ]
            lines += [
                "        except _MISSES:",
                "            try:",
                f"                v = f{i}.get_attribute(instance)",
                "            except SkipField:",
                "                v = _SKIP",
            ]
        else:
            lines += [
                "        try:",
                f"            v = _read(instance, f{i}, a{i})",
                "        except SkipField:",
                "            v = _SKIP",
            ]
        lines += [
            "        if v is not _SKIP:",
            "            c = v.pk if isinstance(v, PKOnlyObject) else v",
            f"            ret[{name!r}] = None if c is None else r{i}(v)",
        ]
    lines += ["        return ret", "    return row"]
    namespace = {
        "_read": _read,
        "_MISSES": _MISSES,
        "_SKIP": _SKIP,
        "SkipField": SkipField,
        "PKOnlyObject": PKOnlyObject,
        "is_simple_callable": is_simple_callable,
    }
    exec(compile("\n".join(lines), "<planned row>", "exec"), namespace)  # noqa: S102 (our own text)
    return namespace["make"]


def _zone_once(fields):
    """Each instant field without a zone of its own is given the current one, which DRF
    otherwise looks up for every value (`default_timezone()`, through a context-local:
    two lookups a value, some 600 for a page of 100 assignments). The same zone, read
    once: a serializer instance serves one response (and these fields are its own)."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    for field in fields:
        if isinstance(field, DateTimeField) and not hasattr(field, "timezone"):
            field.timezone = zone


def _copier(field):
    """How a generated, never bound field is copied for each serializer instance. A nested
    serializer, a field that holds other fields (a list's child, a many relation's child
    relation: bound to it) and one that holds a queryset (which caches its rows) are
    deep-copied, as DRF copies declared fields. Any other field is copied shallow:
    binding sets only its own attributes (name, parent, source, label), where DRF's deep
    copy runs its `__init__` again with copies of its arguments (16 % of an assignment
    detail's CPU under cProfile: docs/benchmarks.md, session 14)."""
    if isinstance(field, BaseSerializer) or any(
        isinstance(value, Field | QuerySet) for value in vars(field).values()
    ):
        return copy.deepcopy
    return copy.copy


def _read(instance, field, attrs):
    """The field's attribute: along its chain, or DRF's own lookup for a relation and for
    the odd case (a missing relation, a None on the way, another Mapping: a default, None
    or SkipField, the field left out)."""
    if attrs is not None:
        try:
            attribute = instance
            for attr in attrs:
                # The cheap checks first (a dict, callable()): rows are plain objects or
                # dicts.
                if isinstance(attribute, dict):
                    attribute = attribute[attr]
                else:
                    attribute = getattr(attribute, attr)
                if callable(attribute) and is_simple_callable(attribute):
                    attribute = attribute()
            return attribute
        except (KeyError, AttributeError, ObjectDoesNotExist):
            pass
    return field.get_attribute(instance)


def _attrs(field):
    """The chain of attributes a field reads, or None for a relation: DRF reads a related
    primary key from the row's own column (PKOnlyObject), where the chain would load the
    related row."""
    if isinstance(field, RelatedField | ManyRelatedField):
        return None
    return tuple(field.source_attrs)
