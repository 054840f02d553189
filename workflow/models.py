# Directives, assignments, escalation and the outbox arrive with the directives issue.
