"""Uploaded files are limited while they are received, not after: past its limit a file's
bytes are no longer kept (in memory or in a temporary file). The part is still read to
its end (the TLS proxy caps the whole body), and what the view gets is an empty stand-in
that says how large the file was, so that the view's own check refuses it with its usual
clear message ("larger than 10 MB")."""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

# Views whose files are recording reports (a national year is ~110 MB of CSV); every other
# upload is evidence, limited to EVIDENCE_MAX_BYTES.
RECORDING_VIEWS = {"recording:upload", "compliance-api:recording-import-create"}


def limit_for(request):
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in RECORDING_VIEWS:
        return settings.RECORDING_IMPORT_MAX_BYTES
    return settings.EVIDENCE_MAX_BYTES


class TooLargeUpload(InMemoryUploadedFile):
    """An upload that passed its limit: no content, its real size."""

    def __init__(self, name, content_type, size, charset, content_type_extra):
        super().__init__(
            BytesIO(b""), "file", name, content_type, size, charset, content_type_extra
        )


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on to Django's handlers while the file
    is within its limit, keeps none once it is past it."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = limit_for(self.request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size):
        if self.received <= self.limit:
            return None  # Django's memory or temporary-file handler has it whole
        return TooLargeUpload(
            self.file_name,
            self.content_type,
            self.received,
            self.charset,
            self.content_type_extra,
        )
