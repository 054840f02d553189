"""What the system writes for every reader at once: Bahasa Indonesia first, English second."""

from django.utils import translation


def bilingual(text):
    """'Pengingat / Reminder' from a translatable text, whatever language is active; once
    when both read alike."""
    with translation.override("id"):
        indonesian = str(text)
    with translation.override("en"):
        english = str(text)
    return indonesian if indonesian == english else f"{indonesian} / {english}"
