"""The coordination spaces' meetings and agreements."""

import django_filters as filters
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    INSTITUTION,
    MEETING,
    ApiFilterSet,
    BoundedDateFilter,
    DescribedModelSerializer,
    Fields,
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


def meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("space")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
        )
        .order_by("-date", "pk")
    )


def agreements() -> QuerySet[Agreement]:
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


# One description per field, for the JSON (schema) and the CSV alike.
MEETING_FIELDS = Fields(
    id=_("Identificador de la sesión."),
    space=_("Espacio de coordinación (en el CSV, su slug)."),
    date=_("Fecha y hora."),
    title=_("Título."),
    modality=_("Formato de la sesión: in_person (presencial), online (en línea) o hybrid."),
    place=_("Lugar; obligatorio si es presencial."),
    link=_("Enlace de la sesión en línea o híbrida; vacío si no hay."),
    agenda=_("Puntos del orden del día, separados por «; »."),
    updated_at=_("Última actualización."),
)
meeting_column = MEETING_FIELDS.column

AGREEMENT_FIELDS = Fields(
    id=_("Identificador del acuerdo."),
    meeting=_("Identificador de la sesión que tomó el acuerdo."),
    space=_("Slug del espacio de coordinación."),
    text=_("Texto del acuerdo."),
    responsible_id=_("Institución responsable."),
    responsible=_(
        "Institución responsable (en el CSV, su nombre; su identificador va en responsible_id)."
    ),
    due_date=_("Fecha compromiso."),
    status=_("Estado: pending, in_progress, done o cancelled."),
    done_date=_("Fecha de cumplimiento."),
    is_overdue=_("Abierto (pending o in_progress) con la fecha compromiso ya vencida."),
    commitments=_("Claves de los compromisos relacionados (en el CSV, separadas por «; »)."),
    updated_at=_("Última actualización."),
)
agreement_column = AGREEMENT_FIELDS.column


class MeetingSerializer(DescribedModelSerializer):
    space = CoordinationSpaceSummarySerializer()
    modality = serializers.ChoiceField(
        choices=Meeting.Modality.choices,
    )
    link = serializers.URLField(allow_blank=True)
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
        descriptions = MEETING_FIELDS


class AgreementSerializer(DescribedModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    space = serializers.SlugRelatedField(
        source="meeting.space",
        slug_field="slug",
        read_only=True,
    )
    responsible = InstitutionSummarySerializer()
    status = serializers.ChoiceField(choices=Agreement.Status.choices)
    is_overdue = serializers.BooleanField()
    commitments = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
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
        descriptions = AGREEMENT_FIELDS


# `space` is a coordination space's slug; the package has no table of spaces yet.
MEETINGS = Resource(
    name="meetings",
    title=_("Sesiones de coordinación"),
    queryset=meetings,
    primary_key=("id",),
    columns=(
        meeting_column("id", "integer", lambda o: o.pk),
        meeting_column(
            "space",
            "string",
            lambda o: o.space.slug,
            required=True,
        ),
        meeting_column("date", "datetime", lambda o: o.date, required=True),
        meeting_column("title", "string", lambda o: o.title),
        meeting_column(
            "modality",
            "string",
            lambda o: o.modality,
            required=True,
        ),
        meeting_column("place", "string", lambda o: o.place),
        meeting_column("link", "string", lambda o: o.link),
        meeting_column(
            "agenda",
            "string",
            joined("agenda_items", "title"),
        ),
        meeting_column(
            "updated_at",
            "datetime",
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
        agreement_column("id", "integer", lambda o: o.pk),
        agreement_column(
            "meeting",
            "integer",
            lambda o: o.meeting_id,
            required=True,
            references=MEETING,
        ),
        agreement_column(
            "space",
            "string",
            lambda o: o.meeting.space.slug,
            required=True,
        ),
        agreement_column("text", "string", lambda o: o.text),
        agreement_column(
            "responsible_id",
            "integer",
            lambda o: o.responsible_id,
            required=True,
            references=INSTITUTION,
        ),
        agreement_column(
            "responsible",
            "string",
            lambda o: o.responsible.name,
        ),
        agreement_column("due_date", "date", lambda o: o.due_date, required=True),
        agreement_column(
            "status",
            "string",
            lambda o: o.status,
            required=True,
        ),
        agreement_column("done_date", "date", lambda o: o.done_date),
        agreement_column(
            "is_overdue",
            "boolean",
            lambda o: "true" if o.is_overdue else "false",
            required=True,
        ),
        agreement_column(
            "commitments",
            "string",
            joined("commitments", "code"),
        ),
        agreement_column(
            "updated_at",
            "datetime",
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
