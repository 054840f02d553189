"""Parts of the settings module (ektp_compliance/settings.py imports each whole)."""
