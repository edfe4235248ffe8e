"""The coordination spaces' meetings and agreements."""

import django_filters as filters
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    INSTITUTION,
    MEETING,
    ApiFilterSet,
    BoundedDateFilter,
    C,
    DescribedModelSerializer,
    ListAndDetailResource,
    Resource,
    StrictBooleanFilter,
    UpdatedSinceFilter,
    documented,
    joined,
    ordering,
)
from api.v1.resources.institutions import InstitutionSummarySerializer
from commitments.models import Commitment, Institution
from coordination.models import (
    AgendaItem,
    Agreement,
    CoordinationSpace,
    Meeting,
    overdue_agreement,
)


def meetings():
    return (
        Meeting.objects.select_related("space")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
        )
        .order_by("-date", "pk")
    )


def agreements():
    """Agreements; `is_overdue` is the model's own property (no query)."""
    return (
        Agreement.objects.select_related("meeting__space", "responsible")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("code")))
        .order_by("due_date", "pk")
    )


class MeetingFilter(ApiFilterSet):
    space = filters.ModelChoiceFilter(
        queryset=CoordinationSpace.objects.all(),
        to_field_name="slug",
        help_text=_("Slug del espacio de coordinación."),
    )
    date_from = UpdatedSinceFilter(
        field_name="date", lookup_expr="gte", help_text=_("Sesiones en o después de esta fecha.")
    )
    date_to = UpdatedSinceFilter(
        field_name="date", lookup_expr="lte", help_text=_("Sesiones en o antes de esta fecha.")
    )
    ordering = ordering("date", "title", "updated_at")
    search_fields = ("title", "place")
    search_kind = "meeting"

    class Meta:
        model = Meeting
        fields = []


class AgreementFilter(ApiFilterSet):
    status = filters.ChoiceFilter(
        choices=Agreement.Status.choices,
        help_text=_("Estado: pending, in_progress, done o cancelled."),
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        help_text=_(
            "true: solo acuerdos abiertos con la fecha compromiso vencida; false: los demás."
        ),
    )
    responsible = filters.ModelChoiceFilter(
        queryset=Institution.objects.all(),
        help_text=_("Identificador de la institución responsable."),
    )
    meeting = filters.ModelChoiceFilter(
        queryset=Meeting.objects.all(), help_text=_("Identificador de la sesión.")
    )
    space = filters.ModelChoiceFilter(
        field_name="meeting__space",
        queryset=CoordinationSpace.objects.all(),
        to_field_name="slug",
        help_text=_("Slug del espacio de coordinación."),
    )
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        method="filter_commitment",
        help_text=_("Clave de un compromiso relacionado."),
    )
    due_from = BoundedDateFilter(
        field_name="due_date", lookup_expr="gte", help_text=_("Fecha compromiso desde.")
    )
    due_to = BoundedDateFilter(
        field_name="due_date", lookup_expr="lte", help_text=_("Fecha compromiso hasta.")
    )
    ordering = ordering("due_date", "status", "updated_at")
    search_fields = ("text",)
    search_kind = "agreement"

    class Meta:
        model = Agreement
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_agreement(timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)

    def filter_commitment(self, queryset, name, value: str):  # hint = query type
        ids = Agreement.commitments.through.objects.filter(commitment=value).values("agreement_id")
        return queryset.filter(pk__in=ids)


class CoordinationSpaceSummarySerializer(DescribedModelSerializer):
    class Meta:
        model = CoordinationSpace
        fields = ["slug", "name"]


class AgendaItemSerializer(DescribedModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "title", "description"]


class MeetingSerializer(DescribedModelSerializer):
    space = CoordinationSpaceSummarySerializer(help_text=_("Espacio de coordinación."))
    modality = serializers.ChoiceField(
        choices=Meeting.Modality.choices,
        help_text=_("Formato de la sesión: in_person (presencial), online (en línea) o hybrid."),
    )
    link = serializers.URLField(
        allow_blank=True, help_text=_("Enlace de la sesión en línea o híbrida; vacío si no hay.")
    )
    agenda_items = AgendaItemSerializer(
        many=True, help_text=_("Orden del día, en el orden de la sesión.")
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "space",
            "date",
            "ends_at",
            "title",
            "modality",
            "place",
            "link",
            "agenda_items",
            "updated_at",
        ]


class AgreementSerializer(DescribedModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Identificador de la sesión que tomó el acuerdo.")
    )
    space = serializers.SlugRelatedField(
        source="meeting.space",
        slug_field="slug",
        read_only=True,
        help_text=_("Slug del espacio de coordinación."),
    )
    responsible = InstitutionSummarySerializer(help_text=_("Institución responsable."))
    status = serializers.ChoiceField(
        choices=Agreement.Status.choices,
        help_text=_("Estado: pending, in_progress, done o cancelled."),
    )
    is_overdue = serializers.BooleanField(
        help_text=_("Abierto (pending o in_progress) con la fecha compromiso ya vencida.")
    )
    commitments = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Claves de los compromisos relacionados."),
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "meeting",
            "space",
            "text",
            "responsible",
            "due_date",
            "status",
            "done_date",
            "is_overdue",
            "commitments",
            "updated_at",
        ]


# `space` is a coordination space's slug; the package has no table of spaces yet.
MEETINGS = Resource(
    name="meetings",
    title=_("Sesiones de coordinación"),
    queryset=meetings,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la sesión."), lambda o: o.pk),
        C(
            "space",
            "string",
            _("Slug del espacio de coordinación."),
            lambda o: o.space.slug,
            required=True,
        ),
        C("date", "datetime", _("Fecha y hora."), lambda o: o.date, required=True),
        C("title", "string", _("Título."), lambda o: o.title),
        C(
            "modality",
            "string",
            _("Formato: in_person, online o hybrid."),
            lambda o: o.modality,
            required=True,
        ),
        C("place", "string", _("Lugar."), lambda o: o.place),
        C("link", "string", _("Enlace de la sesión en línea."), lambda o: o.link),
        C(
            "agenda",
            "string",
            _("Puntos del orden del día, separados por «; »."),
            joined("agenda_items", "title"),
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

AGREEMENTS = Resource(
    name="agreements",
    title=_("Acuerdos de coordinación"),
    queryset=agreements,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador del acuerdo."), lambda o: o.pk),
        C(
            "meeting",
            "integer",
            _("Identificador de la sesión."),
            lambda o: o.meeting_id,
            required=True,
            references=MEETING,
        ),
        C(
            "space",
            "string",
            _("Slug del espacio de coordinación."),
            lambda o: o.meeting.space.slug,
            required=True,
        ),
        C("text", "string", _("Texto del acuerdo."), lambda o: o.text),
        C(
            "responsible_id",
            "integer",
            _("Institución responsable."),
            lambda o: o.responsible_id,
            required=True,
            references=INSTITUTION,
        ),
        C(
            "responsible",
            "string",
            _("Nombre de la institución responsable."),
            lambda o: o.responsible.name,
        ),
        C("due_date", "date", _("Fecha compromiso."), lambda o: o.due_date, required=True),
        C(
            "status",
            "string",
            _("Estado: pending, in_progress, done o cancelled."),
            lambda o: o.status,
            required=True,
        ),
        C("done_date", "date", _("Fecha de cumplimiento."), lambda o: o.done_date),
        C(
            "is_overdue",
            "boolean",
            _("Abierto con la fecha compromiso vencida."),
            lambda o: "true" if o.is_overdue else "false",
            required=True,
        ),
        C(
            "commitments",
            "string",
            _("Claves de los compromisos relacionados, separadas por «; »."),
            joined("commitments", "code"),
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)


@documented(
    serializer=MeetingSerializer,
    export=MEETINGS,
    name=_("sesiones"),
    description=_("Sesiones de los espacios de coordinación."),
)
class MeetingViewSet(ListAndDetailResource):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    export = MEETINGS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return meetings()

    def modified_at(self, obj):
        return max(obj.updated_at, obj.space.updated_at)


@documented(
    serializer=AgreementSerializer,
    export=AGREEMENTS,
    name=_("acuerdos"),
    description=_(
        "Acuerdos de las sesiones de coordinación: institución responsable, fecha compromiso, "
        "estado, si está vencido y los compromisos relacionados."
    ),
)
class AgreementViewSet(ListAndDetailResource):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    export = AGREEMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return agreements()

    def modified_at(self, obj):
        return max(
            obj.updated_at,
            obj.meeting.updated_at,
            obj.responsible.updated_at,
            *(commitment.updated_at for commitment in obj.commitments.all()),
        )
