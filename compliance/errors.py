"""Domain errors. The API maps them to problem details (400, 403, 404, 409)."""


class DomainError(Exception):
    status = 400
    title = "Permintaan tidak valid / Invalid request"

    def __init__(self, detail, *, errors=None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


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
