"""What every API input shares, so that the schema says exactly what a view accepts: text
that is required says so (and that blank is not text), a filter given empty is refused,
a page number is a page number. compliance.api is where the apps' API helpers live;
workflow and equipment import them from here."""

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

# The pages live in .pagination; the other apps import them from here too.
from .pagination import KeysetPages, Pages  # noqa: F401

# NUL can't be stored (PostgreSQL text) and DRF refuses it in every CharField: the
# patterns say so, and a required text must hold something besides whitespace, which
# DRF trims away (Python's and the schema's \s agree: both are str.isspace).
_NO_NUL = RegexValidator(
    r"^[^\x00]*$", message="Teks tidak boleh memuat karakter NUL / Text may not contain NUL"
)
# Left out, blank or only whitespace: "required", the code the services gave before the
# serializers checked it (clients match on it).
REQUIRED = "required"
_NOT_BLANK = RegexValidator(r"^[^\x00]*[^\x00\s][^\x00]*$", message=REQUIRED, code=REQUIRED)
_REQUIRED_MESSAGES = dict.fromkeys(("required", "blank", "null", "min_length"), REQUIRED)


def required_list(child, **kwargs):
    """A list the caller must give, with at least one item."""
    messages = {**_REQUIRED_MESSAGES, "empty": REQUIRED}
    return serializers.ListField(child=child, min_length=1, error_messages=messages, **kwargs)


class StrictStringMixin:
    """A string field that takes strings only: DRF's would turn a JSON number into text
    (12 into "12"), where the schema says string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(StrictStringMixin, serializers.CharField):
    pass


class Pattern(StrictStringMixin, serializers.RegexField):
    pass


class Slug(StrictStringMixin, serializers.SlugField):
    pass


def required_text(**kwargs):
    """Text the caller must give, with at least one character that is not whitespace."""
    return Text(min_length=1, validators=[_NOT_BLANK], error_messages=_REQUIRED_MESSAGES, **kwargs)


def optional_text(**kwargs):
    """Text the caller may leave out or blank ("" when left out)."""
    return Text(required=False, allow_blank=True, default="", validators=[_NO_NUL], **kwargs)


MAX_ID = 2**63 - 1  # BigAutoField (settings.DEFAULT_AUTO_FIELD)


def an_id(**kwargs):
    """The id of a row: a larger number can't name one, and SQLite can't even look it up."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field({"type": "string", "format": "binary", "minLength": 1})
class Upload(serializers.FileField):
    """A file part of a multipart body, not empty (DRF refuses an empty file): binary in
    the schema (drf-spectacular would say uri, the shape of a file field in an answer)."""

    default_error_messages = {
        **serializers.FileField.default_error_messages,
        **_REQUIRED_MESSAGES,
        "one_file_only": "one_file_only",
    }

    def get_value(self, dictionary):
        # Several parts under one name, where Django would silently keep the last: all of
        # them, for to_internal_value to refuse (the schema says one file).
        files = dictionary.getlist(self.field_name) if hasattr(dictionary, "getlist") else []
        return files if len(files) > 1 else super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, list):
            self.fail("one_file_only")
        return super().to_internal_value(data)


class BooleanFilter(serializers.BooleanField):
    """A true/false query filter; left out, its default. (DRF reads a boolean left out of
    a query string or form as false, which for a filter means "only the false ones".)"""

    default_empty_html = empty


class QueryFilters(serializers.Serializer):
    """A list's query-string filters. A filter given empty (?state=) is refused: DRF
    would skip it and answer the whole list, which the caller did not ask for."""

    def to_internal_value(self, data):
        blank = [name for name in self.fields if data.get(name) == ""]
        if blank:
            raise serializers.ValidationError(
                {
                    name: ["Filter kosong; hapus atau isi / Empty filter; leave it out or fill it"]
                    for name in blank
                },
                code="blank",
            )
        return super().to_internal_value(data)
