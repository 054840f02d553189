from django.dispatch import Signal

# Sent after the transaction that changed a regency's compliance state commits.
# Arguments: regency, transition, from_state, to_state, log (TransitionLog), actor.
# The workflow app listens (e.g. a suspension opens a remediation assignment);
# compliance imports nothing from workflow.
regency_transitioned = Signal()
