"""What a write announces to people, called explicitly by the service that makes it.

A service calls `announce(...)` inside its transaction, after the write; the app that
tells people (`reviews`, which writes the notification outbox rows) registers the one
handler per kind when it starts. So the announcement commits or rolls back with the
write, every channel that calls the service announces the same, and the apps below
`reviews` (commitments) need not import it. Not a signal: one named call per use case,
one handler, nothing fires on a save that did not come through a service.
"""

PROGRESS_REPORTED = "progress_reported"
MILESTONE_UPDATED = "milestone_updated"

_handlers = {}


def register(kind, handler):
    """Who writes the announcements of `kind` (called from an AppConfig.ready)."""
    _handlers[kind] = handler


def announce(kind, **details):
    """Tell the registered handler, in the caller's transaction; nothing when none is."""
    handler = _handlers.get(kind)
    if handler is not None:
        handler(**details)
