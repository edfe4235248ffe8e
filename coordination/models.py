import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.evidence_files import detect_evidence_type

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class CoordinationSpace(models.Model):
    """The national space where federal and state open government actors meet (MX0087)."""

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso que lo origina"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordination_spaces",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("espacio de coordinación")
        verbose_name_plural = _("espacios de coordinación")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    """An institution taking part in a coordination space, for a period."""

    space = models.ForeignKey(
        CoordinationSpace,
        verbose_name=_("espacio de coordinación"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        related_name="coordination_memberships",
    )
    since = models.DateField(_("integrante desde"))
    until = models.DateField(_("integrante hasta"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("institución integrante")
        verbose_name_plural = _("instituciones integrantes")
        ordering = ["space", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "institution", "since"], name="member_unique_per_period_start"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="member_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.institution} · {self.space}"


class Representative(models.Model):
    """A person who represents a member institution. The e-mail is for staff, never shown."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("institución integrante"),
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    name = models.CharField(_("nombre"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200, blank=True)
    email = models.EmailField(
        _("correo electrónico"), blank=True, help_text=_("No se publica en el portal.")
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("persona representante")
        verbose_name_plural = _("personas representantes")
        ordering = ["member", "name"]

    def __str__(self):
        return self.name


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("Presencial")
    ONLINE = "online", _("En línea")
    HYBRID = "hybrid", _("Híbrida")


class Meeting(models.Model):
    Modality = Modality

    space = models.ForeignKey(
        CoordinationSpace,
        verbose_name=_("espacio de coordinación"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    date = models.DateTimeField(_("fecha y hora"))
    ends_at = models.DateTimeField(
        _("hora de término"),
        null=True,
        blank=True,
        help_text=_("Opcional; posterior al inicio. Los calendarios la usan como fin del evento."),
    )
    title = models.CharField(_("título"), max_length=300)
    modality = models.CharField(
        _("modalidad"), max_length=10, choices=Modality.choices, default=Modality.IN_PERSON
    )
    place = models.CharField(
        _("lugar"), max_length=300, blank=True, help_text=_("Obligatorio si es presencial.")
    )
    link = models.URLField(
        _("enlace"), blank=True, help_text=_("Obligatorio si es en línea o híbrida.")
    )
    attendees = models.ManyToManyField(
        "commitments.Institution",
        verbose_name=_("instituciones asistentes"),
        related_name="meetings_attended",
        blank=True,
    )
    minutes = models.TextField(
        _("minuta"),
        blank=True,
        help_text=_(
            "En Markdown. Se publica sin scripts ni estilos: solo texto, listas, tablas y enlaces."
        ),
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "date", "title"], name="meeting_unique_per_space_date_title"
            ),
            models.CheckConstraint(
                condition=Q(modality__in=Modality.values), name="meeting_modality_valid"
            ),
            models.CheckConstraint(
                condition=Q(modality=Modality.ONLINE) | ~Q(place=""),
                name="meeting_in_person_needs_place",
            ),
            models.CheckConstraint(
                condition=Q(modality=Modality.IN_PERSON) | ~Q(link=""),
                name="meeting_online_needs_link",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("date")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("La hora de término debe ser posterior al inicio."),
            ),
        ]
        indexes = [models.Index(fields=["space", "date"])]

    def __str__(self):
        return f"{self.title} ({self.local_date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("coordination:meeting_detail", args=[self.pk])

    @property
    def local_date(self):
        """The meeting's calendar day in the portal's time zone."""
        return timezone.localdate(self.date) if self.date else None

    @property
    def ends_on_its_day(self):
        """True when it ends the local day it starts (the page then shows the end time only)."""
        return bool(self.ends_at) and timezone.localdate(self.ends_at) == self.local_date


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("punto"), max_length=300)
    description = models.TextField(_("descripción"), blank=True)

    class Meta:
        verbose_name = _("punto del orden del día")
        verbose_name_plural = _("orden del día")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


def document_path(document, filename):
    # The stored name never reuses the uploaded one beyond its extension.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"coordinacion/sesiones/{document.meeting_id}/{timezone.now():%Y%m%d%H%M%S}.{extension}"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("título"), max_length=300)
    file = models.FileField(
        _("archivo"),
        upload_to=document_path,
        max_length=300,
        help_text=_("PDF, documento o hoja de cálculo (OpenDocument u Office), CSV o imagen."),
    )
    content_type = models.CharField(_("tipo de contenido"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), editable=False, default=0)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("documento de la sesión")
        verbose_name_plural = _("documentos de la sesión")
        ordering = ["meeting", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("coordination:document_download", args=[self.pk])

    def clean(self):
        """Check the file by its content (not its name) and remember what it is."""
        if not self.file:
            return
        if self.file.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                {"file": _("El archivo pesa más de %(mb)d MB.") % {"mb": MAX_DOCUMENT_BYTES >> 20}}
            )
        # The same content check as progress evidence: one list of accepted types.
        kind = detect_evidence_type(self.file)
        if kind is None:
            raise ValidationError({"file": _("Tipo de archivo no admitido.")})
        self.content_type = kind.content_type
        self.size = self.file.size


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    IN_PROGRESS = "in_progress", _("En proceso")
    DONE = "done", _("Cumplido")
    CANCELLED = "cancelled", _("Cancelado")


OPEN_AGREEMENT_STATUSES = (AgreementStatus.PENDING, AgreementStatus.IN_PROGRESS)


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def open(self) -> "AgreementQuerySet":
        """Agreements still to fulfil (pending or in progress)."""
        return self.filter(status__in=OPEN_AGREEMENT_STATUSES)

    def overdue(self, today: datetime.date) -> "AgreementQuerySet":
        """Open agreements whose due date is before ``today``."""
        return self.filter(overdue_agreement(today))


def overdue_agreement(today: datetime.date) -> Q:
    """The condition "this agreement is overdue on ``today``" (for filters and annotations)."""
    return Q(status__in=OPEN_AGREEMENT_STATUSES, due_date__lt=today)


class Agreement(models.Model):
    """Something a meeting agreed, with who answers for it and by when."""

    Status = AgreementStatus

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="agreements"
    )
    text = models.TextField(_("acuerdo"))
    responsible = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("institución responsable"),
        on_delete=models.PROTECT,
        related_name="coordination_agreements",
    )
    due_date = models.DateField(_("fecha compromiso"))
    status = models.CharField(
        _("estado"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.PENDING
    )
    done_date = models.DateField(_("fecha de cumplimiento"), null=True, blank=True)
    commitments = models.ManyToManyField(
        "commitments.Commitment",
        verbose_name=_("compromisos relacionados"),
        related_name="coordination_agreements",
        blank=True,
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=AgreementStatus.DONE) | Q(done_date__isnull=False),
                name="agreement_done_needs_done_date",
            ),
            models.CheckConstraint(
                condition=Q(status=AgreementStatus.DONE) | Q(done_date__isnull=True),
                name="agreement_done_date_only_when_done",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["responsible", "status"]),
        ]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        """Rules that span the meeting row, so no database constraint can hold them."""
        errors = {}
        if self.status == AgreementStatus.DONE and self.done_date is None:
            errors["done_date"] = _("Un acuerdo cumplido necesita su fecha de cumplimiento.")
        if self.status != AgreementStatus.DONE and self.done_date is not None:
            errors["done_date"] = _("Solo un acuerdo cumplido lleva fecha de cumplimiento.")
        # In the admin a new meeting and its agreements are validated before the meeting
        # is saved, so read the related object rather than the id.
        meeting = getattr(self, "meeting", None)
        if meeting is not None and meeting.date:
            meeting_day = meeting.local_date
            if self.due_date and self.due_date < meeting_day:
                errors["due_date"] = _(
                    "La fecha compromiso no puede ser anterior a la sesión (%(date)s)."
                ) % {"date": meeting_day.isoformat()}
            if self.done_date and self.done_date < meeting_day:
                errors.setdefault(
                    "done_date",
                    _("La fecha de cumplimiento no puede ser anterior a la sesión (%(date)s).")
                    % {"date": meeting_day.isoformat()},
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self):
        return self.status in OPEN_AGREEMENT_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_date < timezone.localdate()


from .round_models import (  # noqa: E402, F401  (reporting rounds, issue 14)
    FrozenCommitment,
    FrozenMilestone,
    FrozenReview,
    ReminderDigest,
    ReminderOptOut,
    ReportingRound,
    RoundEntry,
    RoundReminder,
    RoundReview,
)
