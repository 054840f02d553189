import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Evidence lives under PRIVATE_MEDIA_ROOT, which no URL maps to. The location is read
    from the settings at each use, so a changed setting (tests, a moved volume) applies."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("evidence is private: serve it through the evidence view")


def private_storage():
    return PrivateStorage()
