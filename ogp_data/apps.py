from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OgpDataConfig(AppConfig):
    """Mexico's OGP record shipped with the portal, and its loader (``load_mexico_ogp``).

    An app of its own, above the apps whose rows it writes (commitments, states,
    coordination), so that none of them imports another to load the data.
    """

    name = "ogp_data"
    verbose_name = _("Datos de México en la AGA")
