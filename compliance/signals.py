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
