from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatesConfig(AppConfig):
    name = "states"
    verbose_name = _("Entidades federativas")
