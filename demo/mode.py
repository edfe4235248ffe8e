"""Demo mode (PORTAL_DEMO): what refuses to run outside it."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def require_demo_mode(*, command):
    """Refuse, with a CommandError, to write synthetic data unless the demo database is in use.

    Settings switch the database to the demo's only in demo mode, so outside it a
    command would write to the real database.
    """
    if settings.PORTAL_DEMO:
        return
    raise CommandError(
        _(
            "El modo de demostración está apagado: «%(command)s» escribe datos sintéticos y "
            "solo se ejecuta sobre la base de datos de demostración, nunca sobre la real. "
            "Use «make demo» (o PORTAL_DEMO=1)."
        )
        % {"command": command}
    )
