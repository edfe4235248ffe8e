"""Civil society's side of the record: comments, flags, assessments, follows, notifications."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_portal.user_text import render_markdown


def exactly_one(*fields):
    """A condition that exactly one of the nullable foreign keys is set."""
    options = []
    for chosen in fields:
        options.append(
            Q(**{f"{name}__isnull": name != chosen for name in fields}),
        )
    condition = options[0]
    for option in options[1:]:
        condition |= option
    return condition


class Comment(models.Model):
    """A comment on a commitment (national or local), a milestone or a meeting.

    Explicit foreign keys rather than a generic relation: threads are read by their target
    with plain indexed filters and joins. Replies have a `parent` that is itself a root
    (one level); the service attaches a reply to a reply to its root.
    """

    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    milestone = models.ForeignKey(
        "commitments.Milestone",
        verbose_name=_("hito"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    meeting = models.ForeignKey(
        "coordination.Meeting",
        verbose_name=_("sesión"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("responde a"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    # The author's organisation when they wrote it (memberships can change later).
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("institución"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("comentario"), max_length=5000)
    # `body` rendered from Markdown and sanitised (user_text.render_markdown), stored when
    # the comment is written or edited (set_body) so that lists do not render it per read.
    body_html = models.TextField(
        _("comentario en HTML"), blank=True, editable=False, default="", db_default=""
    )
    created_at = models.DateTimeField(_("publicado"), default=timezone.now)
    edited_at = models.DateTimeField(_("editado"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("eliminado"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("ocultado"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ocultado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderation_reason = models.CharField(
        _("motivo público de moderación"), max_length=300, blank=True
    )
    # Any change a reader can see (published, edited, deleted, hidden, restored): the API's
    # `updated_since` and conditional GETs. Saves with update_fields must include it.
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("comentario")
        verbose_name_plural = _("comentarios")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("commitment", "milestone", "meeting"),
                name="comment_has_exactly_one_target",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_blank"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(moderation_reason=""),
                name="comment_hidden_has_public_reason",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_reply_to_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "parent", "created_at"]),
            models.Index(fields=["milestone", "parent", "created_at"]),
            models.Index(fields=["meeting", "parent", "created_at"]),
            models.Index(fields=["author", "created_at"]),
            # The API's list order: a page is an index range, not a sort of every comment.
            models.Index(fields=["created_at", "id"]),
        ]

    def __str__(self):
        return f"{self.author} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        if self.milestone_id:
            page = reverse("reviews:milestone_review", args=[self.milestone_id])
        else:
            page = self.target.get_absolute_url()
        return f"{page}#comentario-{self.pk}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    def set_body(self, body: str) -> None:
        """The text as written (stripped) and its sanitised HTML, always together."""
        self.body = body.strip()
        self.body_html = render_markdown(self.body)

    @property
    def is_visible(self):
        return self.deleted_at is None and self.hidden_at is None

    @property
    def target(self):
        return self.commitment or self.milestone or self.meeting

    def within_edit_window(self, *, now=None):
        now = now or timezone.now()
        return now - self.created_at <= timedelta(seconds=settings.COMMENT_EDIT_WINDOW_SECONDS)


class Flag(models.Model):
    """A person asks staff to look at a comment; one flag per person per comment."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comentario"), on_delete=models.CASCADE, related_name="flags"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="comment_flags",
    )
    reason = models.CharField(_("motivo"), max_length=500)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    # Set when staff hide or restore the comment: the flag has been dealt with.
    resolved_at = models.DateTimeField(_("atendido"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporte de comentario")
        verbose_name_plural = _("reportes de comentarios")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_one_per_user_comment"),
            models.CheckConstraint(condition=~Q(reason=""), name="flag_has_reason"),
        ]
        indexes = [models.Index(fields=["resolved_at", "comment"])]

    def __str__(self):
        return f"{self.user} → {self.comment_id}"


class Verdict(models.TextChoices):
    AGREE = "agree", _("De acuerdo")
    DISPUTE = "dispute", _("En desacuerdo")
    NEEDS_EVIDENCE = "needs_evidence", _("Requiere evidencia")


class Assessment(models.Model):
    """An organisation's view of reported progress: one current assessment per organisation.

    It is about a progress report or a milestone's reported progress. For a milestone the
    assessment is about the milestone as it stood (its `version`, kept in
    `milestone_version`): the page says when the government has updated it since. A new
    assessment by the same organisation replaces the current one; the history keeps the
    earlier ones.
    """

    Verdict = Verdict

    progress_report = models.ForeignKey(
        "commitments.ProgressReport",
        verbose_name=_("informe de avance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    milestone = models.ForeignKey(
        "commitments.Milestone",
        verbose_name=_("hito"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    milestone_version = models.PositiveIntegerField(_("versión del hito"), null=True, blank=True)
    # The commitment of the report or milestone, so the indicator shares are one GROUP BY.
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    organisation = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("organización"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona revisora"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    verdict = models.CharField(_("valoración"), max_length=16, choices=Verdict.choices)
    justification = models.TextField(_("justificación"), max_length=5000)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("progress_report", "milestone"),
                name="assessment_of_exactly_one_record",
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="assessment_verdict_valid"
            ),
            models.CheckConstraint(
                condition=~Q(justification=""), name="assessment_has_justification"
            ),
            models.CheckConstraint(
                condition=Q(milestone__isnull=True) | Q(milestone_version__isnull=False),
                name="assessment_of_milestone_has_version",
            ),
            models.UniqueConstraint(
                fields=["progress_report", "organisation"],
                condition=Q(progress_report__isnull=False),
                name="assessment_one_per_org_per_report",
            ),
            models.UniqueConstraint(
                fields=["milestone", "organisation"],
                condition=Q(milestone__isnull=False),
                name="assessment_one_per_org_per_milestone",
            ),
        ]
        indexes = [models.Index(fields=["commitment", "verdict"])]

    def __str__(self):
        return f"{self.organisation} · {self.get_verdict_display()}"


class FollowTarget(models.TextChoices):
    COMMITMENT = "commitment", _("Compromiso")
    STATE = "state", _("Entidad federativa")
    SPACE = "space", _("Espacio de coordinación")


class Follow(models.Model):
    """A person wants to hear about a commitment, a state or the coordination space."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("entidad federativa"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    space = models.ForeignKey(
        "coordination.CoordinationSpace",
        verbose_name=_("espacio de coordinación"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        verbose_name = _("seguimiento")
        verbose_name_plural = _("seguimientos")
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("commitment", "state", "space"),
                name="follow_has_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "commitment"],
                condition=Q(commitment__isnull=False),
                name="follow_once_per_commitment",
            ),
            models.UniqueConstraint(
                fields=["user", "state"],
                condition=Q(state__isnull=False),
                name="follow_once_per_state",
            ),
            models.UniqueConstraint(
                fields=["user", "space"],
                condition=Q(space__isnull=False),
                name="follow_once_per_space",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.commitment or self.state or self.space}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Un correo por aviso")
    DAILY = "daily", _("Un resumen diario")


class NotificationPreference(models.Model):
    """How a person wants their notices: each at once, or one digest a day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("entrega"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notification_delivery_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_delivery_display()}"


class EventKind(models.TextChoices):
    COMMENT = "comment", _("Comentario nuevo")
    PROGRESS_REPORT = "progress_report", _("Informe de avance")
    MILESTONE_UPDATE = "milestone_update", _("Avance de hito")
    ASSESSMENT = "assessment", _("Evaluación de la sociedad civil")


class Event(models.Model):
    """Something followers hear about. Written in the same transaction as the change itself."""

    Kind = EventKind

    kind = models.CharField(_("tipo"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_events",
    )
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("entidad federativa"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_events",
    )
    space = models.ForeignKey(
        "coordination.CoordinationSpace",
        verbose_name=_("espacio de coordinación"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_events",
    )
    title = models.CharField(_("título"), max_length=500)
    text = models.TextField(_("texto"), blank=True)
    path = models.CharField(_("dirección"), max_length=500)
    created_at = models.DateTimeField(_("creado"), default=timezone.now)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["commitment", "-created_at"]),
            models.Index(fields=["state", "-created_at"]),
        ]

    def __str__(self):
        return self.title


class Notification(models.Model):
    """The outbox: one row per event and recipient, mailed once (sent_at set when mailed)."""

    event = models.ForeignKey(
        Event, verbose_name=_("evento"), on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    delivery = models.CharField(_("entrega"), max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], name="notification_once_per_event_recipient"
            ),
        ]
        indexes = [models.Index(fields=["delivery", "sent_at", "recipient"])]

    def __str__(self):
        return f"{self.recipient} · {self.event}"
