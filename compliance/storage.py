from django.core.files.storage import storages


def private_storage():
    """Evidence lives under PRIVATE_MEDIA_ROOT, which no URL maps to."""
    return storages["private"]
