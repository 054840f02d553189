"""Domain errors. The API maps them to problem details (400, 403, 404, 409).

A service raises one with a `Message` (a code from its app's messages.py and the
parameters): `.detail` is its text in both languages ("Bahasa Indonesia / English", the
API's `detail`), `.code` and `.params` what the API adds for clients and the pages render
in the reader's language. A plain string is still accepted (it has no code)."""

from typing import Any

from .i18n import Message


class DomainError(Exception):
    status = 400
    title = "Permintaan tidak valid / Invalid request"

    def __init__(
        self, message: Message | str, /, *, errors: dict[str, list[str]] | None = None
    ) -> None:
        self.message = message if isinstance(message, Message) else None
        self.detail = str(message)
        super().__init__(self.detail)
        self.errors = errors or {}

    @property
    def code(self) -> str | None:
        return self.message.code if self.message else None

    @property
    def params(self) -> dict[str, Any]:
        return self.message.params if self.message else {}


class InvalidInput(DomainError):
    status = 400
    title = "Masukan tidak valid / Invalid input"


class NotAllowed(DomainError):
    status = 403
    title = "Tidak diizinkan / Not allowed"


class NotFound(DomainError):
    """Unknown, or outside the caller's jurisdiction: the two look the same."""

    status = 404
    title = "Tidak ditemukan / Not found"


class Conflict(DomainError):
    """Not allowed from the current state, or lost to a concurrent change."""

    status = 409
    title = "Konflik status / State conflict"
