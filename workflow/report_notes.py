"""How a report names its evidence files. An assignment's report is a note
(submit_assignment); a file sent with it is stored as an evidence document of the
recipient's regency and named in the note on a line of its own, "Bukti / Evidence: <name>
(#<id>)". Written and read here only: the inbox writes it, the report page and the API
read it."""

import re

EVIDENCE_LINE = re.compile(r"^Bukti / Evidence: .*\(#(\d+)\)\s*$", re.M)


def with_evidence(note, document):
    """The note with a line naming `document` (an EvidenceDocument)."""
    return f"{note}\n\nBukti / Evidence: {document.original_name} (#{document.pk})"


def evidence_ids(note):
    """The ids of the evidence documents the note names, in order."""
    return [int(pk) for pk in EVIDENCE_LINE.findall(note or "")]


def note_text(note):
    """The note without the lines naming its files (shown as links instead)."""
    return EVIDENCE_LINE.sub("", note or "").strip()
