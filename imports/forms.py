from django import forms
from django.utils.translation import gettext_lazy as _

from .columns import KINDS
from .services import may_import


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qué contiene el archivo"))
    file = forms.FileField(
        label=_("Archivo"),
        help_text=_("CSV (UTF-8 o Windows-1252) o XLSX, con los encabezados de la plantilla."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind.name, kind.title) for kind in KINDS.values() if may_import(user, kind)
        ]
