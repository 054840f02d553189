"""Delivery of the notification outbox: hand-off, claim, send, retry (outbox.py), the
e-mails themselves (render.py) and the one-click acknowledgement link (links.py, views.py)."""
