from django.dispatch import Signal

# Sent after the transaction that changed a regency's compliance state commits.
# Arguments: regency, transition, from_state, to_state, log (TransitionLog), actor.
# The workflow app listens (e.g. a suspension opens a remediation assignment);
# compliance imports nothing from workflow.
regency_transitioned = Signal()

# Sent by seed_demo when the demo has been loaded, inside its transaction. Arguments:
# users (username: User), at (the instant the demo's "today" begins). The workflow app
# adds the work waiting for the demo's users that only it can create (a directive).
demo_loaded = Signal()

# Sent by seed_demo inside its transaction once the story's 2017 has been replayed, while
# every seat is still held by its holder of that time (the later holders take their
# seats after it: the services check authority against the offices held now). Arguments:
# users (username: User, the earlier holders included), holder (holder(username, when):
# the user who held the seat of today's demo user `username` then). The other apps add
# their part of the past: workflow the Minister's call, equipment the district devices.
demo_past_loaded = Signal()

# Sent inside the transaction that issues, executes, escalates or cancels an access order
# (compliance.access), so that what listeners write (workflow's e-mails to the network
# operators and to the deciding director) commits or rolls back with it. Arguments:
# order (AccessOrder), change ("issued", "executed", "escalated", "cancelled"), at.
access_order_changed = Signal()
