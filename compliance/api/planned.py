"""Serializers that plan their output once per instance and then run the plan for each row
(issue 18: a list of 100 rows spent most of its Python in DRF's generic walk).

DRF's `Serializer.to_representation` asks every field, for every row, for its attribute
(a generator of readable fields, `Field.get_attribute` with its exception handling, a
callable check per step) before the field's own `to_representation`. The plan keeps what
does not change between rows: each field's name, the chain of attributes it reads, and its
own `to_representation`. The fields, their sources and converters stay the serializer's
declared ones, so the schema and the output are DRF's (tests/api/test_planned.py compares
the two)."""

from django.core.exceptions import ObjectDoesNotExist
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject


class PlannedRepresentation:
    """Mix into a Serializer before it: the same output, planned once per instance."""

    def _plan(self):
        plan = self.__dict__.get("_planned")
        if plan is None:
            plan = [
                (field.field_name, field, tuple(field.source_attrs), field.to_representation)
                for field in self._readable_fields
            ]
            self.__dict__["_planned"] = plan
        return plan

    def to_representation(self, instance):
        ret = {}
        for name, field, attrs, represent in self._plan():
            try:
                attribute = instance
                for attr in attrs:
                    # The cheap checks first (a dict, callable()): rows are plain objects
                    # or dicts; anything else falls to DRF's own lookup below.
                    if isinstance(attribute, dict):
                        attribute = attribute[attr]
                    else:
                        attribute = getattr(attribute, attr)
                    if callable(attribute) and is_simple_callable(attribute):
                        attribute = attribute()
            except (KeyError, AttributeError, ObjectDoesNotExist):
                # The odd case (a missing relation, a None on the way, another Mapping):
                # DRF's own answer, a default, None or the field left out.
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check is None else represent(attribute)
        return ret
