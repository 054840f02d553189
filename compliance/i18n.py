"""What the system writes for every reader at once: Bahasa Indonesia first, English second.

A message the system writes (a refusal, a reason it records) is a `Message`: a code and
its parameters. Each app lists its codes in its own catalogue (`<app>/messages.py`,
registered with `catalogue`): the English text, marked for gettext, and the Indonesian
text, both with %(name)s placeholders. Each entry point renders the message for its
reader: a page in the reader's language (`render`), the API and the commands in both
(`bilingual`, "Bahasa Indonesia / English"), and the API adds the code and parameters
(docs/api.md, "Messages as codes")."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

# code -> (English msgid, Indonesian text); filled by each app's catalogue when imported.
_TEXTS: dict[str, tuple[str, str]] = {}


def bilingual(text):
    """'Pengingat / Reminder' from a translatable text, whatever language is active; once
    when both read alike."""
    with translation.override("id"):
        indonesian = str(text)
    with translation.override("en"):
        english = str(text)
    return indonesian if indonesian == english else f"{indonesian} / {english}"


def catalogue(texts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Register an app's codes (a code is defined once, in one app; another app reuses it)."""
    for code, pair in texts.items():
        if _TEXTS.get(code, pair) != pair:
            raise ImproperlyConfigured(f"Message code {code!r} is defined twice")
        _TEXTS[code] = pair
    return texts


def known(code: str) -> bool:
    return code in _TEXTS


def _plain(value: Any) -> Any:
    """A parameter as JSON stores it (the API sends it, a row keeps it)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    return str(value)


class Message:
    """A code and its parameters; rendered in a language only where it is read."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: Any) -> None:
        if code not in _TEXTS:
            raise LookupError(f"Unknown message code {code!r}: add it to the app's messages.py")
        self.code = code
        self.params = {name: _plain(value) for name, value in params.items()}
        self.bilingual()  # a missing parameter fails here, where the message is made

    @classmethod
    def stored(cls, code: str, params: Mapping[str, Any] | None) -> "Message | None":
        """A message read back from a row: None when the row has no code, or a code this
        version no longer knows (the row's text is shown then)."""
        if not code or code not in _TEXTS:
            return None
        try:
            return cls(code, **(params or {}))
        except (KeyError, TypeError, ValueError):
            return None

    def render(self, language: str | None = None) -> str:
        """The text in `language` (by default the active one)."""
        english, indonesian = _TEXTS[self.code]
        language = language or translation.get_language() or "id"
        if language.startswith("id"):
            text = indonesian
        elif language.startswith("en"):
            text = english
        else:
            with translation.override(language):
                text = translation.gettext(english)
        return text % self.params

    def bilingual(self) -> str:
        """'Bahasa Indonesia / English' (the API's detail, the commands, stored text)."""
        indonesian, english = self.render("id"), self.render("en")
        return indonesian if indonesian == english else f"{indonesian} / {english}"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}

    def __str__(self) -> str:
        return self.bilingual()

    def __repr__(self) -> str:
        return f"Message({self.code!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(self.code)


def reason_fields(reason: "Message | str", prefix: str = "reason") -> dict[str, Any]:
    """The columns a stored reason fills: the text (both languages for the system's own
    reasons, as typed for a person's) and, for the system's, its code and parameters."""
    if isinstance(reason, Message):
        return {
            prefix: reason.bilingual(),
            f"{prefix}_code": reason.code,
            f"{prefix}_params": reason.params,
        }
    return {prefix: reason or "", f"{prefix}_code": "", f"{prefix}_params": {}}


def split_bilingual(text: str, language: str | None = None) -> str:
    """The reader's half of a stored 'Bahasa Indonesia / English' text. Only for rows the
    system wrote before its reasons were stored as codes (issue 17); a text without the
    separator is returned whole."""
    if " / " not in text:
        return text
    indonesian, english = text.split(" / ", 1)
    language = language or translation.get_language() or "id"
    return english if language.startswith("en") else indonesian


def shown(
    text: str,
    code: str = "",
    params: Mapping[str, Any] | None = None,
    *,
    by: Any,
    language: str | None = None,
) -> str:
    """A stored reason as the reader should see it: the system's in the reader's language
    (from its code, or for an older row by splitting its text); a person's note whole (a
    slash in it is his). `by`: who wrote it (a user or an id), None for the system;
    `language`: by default the active one."""
    message = Message.stored(code, params)
    if message is not None:
        return message.render(language)
    return split_bilingual(text or "", language) if by is None else (text or "")
