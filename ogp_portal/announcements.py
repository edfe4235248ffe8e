"""What a write announces to people, called explicitly by the service that makes it.

A service calls `announce(...)` inside its transaction, after the write; the app that
tells people (`reviews`, which writes the notification outbox rows) registers the one
handler per kind when it starts. So the announcement commits or rolls back with the
write, every channel that calls the service announces the same, and the apps below
`reviews` (commitments) need not import it. Not a signal: one named call per use case,
one handler, nothing fires on a save that did not come through a service.
"""

from .outbox import register, request

__all__ = ["MILESTONE_UPDATED", "PROGRESS_REPORTED", "announce", "register"]

PROGRESS_REPORTED = "progress_reported"
MILESTONE_UPDATED = "milestone_updated"


def announce(kind: str, **details: object) -> None:
    """Tell the registered handler, in the caller's transaction (the outbox's one registry)."""
    request(kind, **details)
