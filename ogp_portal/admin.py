"""What every admin page that edits the portal's published data shares.

The admin saves reference data (institutions, states, sources, classifications, meetings)
with Django's own ModelAdmin machinery, not through a service; `PublishesData` makes
those saves, deletions and bulk deletions say so (`outbox.data_changed`), as the services
do, so the API's cached lists show them on the next request. Inline rows and
many-to-many fields are saved by `save_related`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from .outbox import data_changed


class PublishesData:
    """Put first among a ModelAdmin's bases: every write it makes calls `data_changed`."""

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool
    ) -> None:
        data_changed()
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        data_changed()
        super().save_related(request, form, formsets, change)  # type: ignore[misc]

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        data_changed()
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        data_changed()
        super().delete_queryset(request, queryset)  # type: ignore[misc]
