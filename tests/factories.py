import datetime

import factory

from commitments.models import (
    ActionPlan,
    Commitment,
    Institution,
    Milestone,
    PolicyArea,
    SdgTarget,
    Source,
)
from coordination.models import CoordinationSpace, Meeting
from states.models import State


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"fuente-{n}")
    publication = factory.Sequence(lambda n: f"Publicación {n}")
    publisher = "Instituto de prueba"
    url = factory.Sequence(lambda n: f"https://example.org/publicacion-{n}")
    published = "2021-04"


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("inegi_code",)

    inegi_code = factory.Sequence(lambda n: f"{(n % 32) + 1:02d}")
    official_name = factory.LazyAttribute(lambda o: f"Entidad {o.inegi_code}")
    short_name = factory.LazyAttribute(lambda o: f"Entidad {o.inegi_code}")
    abbreviation = factory.LazyAttribute(lambda o: f"E{o.inegi_code}")
    slug = factory.LazyAttribute(lambda o: f"entidad-{o.inegi_code}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institución {n}")
    acronym = factory.Sequence(lambda n: f"I{n}")
    kind = Institution.Kind.GOVERNMENT


class PolicyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    name_es = factory.Sequence(lambda n: f"Área {n}")


class SdgTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SdgTarget
        django_get_or_create = ("code",)

    goal = 16
    code = factory.Sequence(lambda n: f"16.{(n % 10) + 1}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    scope = ActionPlan.Scope.NATIONAL
    # Clear of the real cycles (2011–2019) and inside the 2011–2100 constraint.
    cycle_year = factory.Sequence(lambda n: 2040 + n % 60)
    title = factory.LazyAttribute(lambda o: f"Plan de Acción {o.cycle_year}")
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.cycle_year, 1, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.cycle_year + 2, 6, 30))
    status = ActionPlan.Status.ACTIVE


class StateActionPlanFactory(ActionPlanFactory):
    scope = ActionPlan.Scope.STATE
    state = factory.SubFactory(StateFactory)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    code = factory.Sequence(lambda n: f"TS{n:04d}")
    action_plan = factory.SubFactory(ActionPlanFactory)
    title_es = factory.Sequence(lambda n: f"Compromiso de prueba {n}")
    title_en = factory.Sequence(lambda n: f"Test commitment {n}")
    start_date = factory.LazyAttribute(lambda o: o.action_plan.start_date)
    end_date = factory.LazyAttribute(lambda o: o.action_plan.end_date)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    commitment = factory.SubFactory(CommitmentFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Hito {n}")
    start_date = factory.LazyAttribute(lambda o: o.commitment.start_date)
    due_date = factory.LazyAttribute(lambda o: o.commitment.end_date)
    weight = 1
    # Tests build milestones whose progress someone reported; the loader's are not.
    progress_reported = True


class CoordinationSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinationSpace

    name = factory.Sequence(lambda n: f"Espacio {n}")
    slug = factory.Sequence(lambda n: f"espacio-{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    space = factory.SubFactory(CoordinationSpaceFactory)
    date = factory.Sequence(
        lambda n: (
            datetime.datetime(2024, 1, 1, 10, tzinfo=datetime.UTC) + datetime.timedelta(days=n)
        )
    )
    title = factory.Sequence(lambda n: f"Sesión {n}")
    place = "Ciudad de México"


# --- States: Métrica and local co-creation bodies (issue 7) --------------------

from decimal import Decimal  # noqa: E402

from commitments.models import Alignment  # noqa: E402
from coordination.models import (  # noqa: E402
    AgendaItem,
    Agreement,
    MeetingDocument,
    Member,
    Representative,
)
from states.models import MetricaEdition, MetricaScore, SecretariatMember  # noqa: E402


class MetricaEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricaEdition
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2040 + n % 60)
    national_average = Decimal("0.500")
    source = factory.SubFactory(SourceFactory)


class MetricaScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricaScore

    state = factory.SubFactory(StateFactory)
    edition = factory.SubFactory(MetricaEditionFactory)
    score = Decimal("0.450")
    source = factory.SubFactory(SourceFactory)


class SecretariatMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecretariatMember

    action_plan = factory.SubFactory(StateActionPlanFactory)
    institution = factory.SubFactory(InstitutionFactory)
    sector = SecretariatMember.Sector.GOVERNMENT
    position = factory.Sequence(lambda n: n + 1)


class LocalCommitmentFactory(CommitmentFactory):
    action_plan = factory.SubFactory(StateActionPlanFactory)


class AlignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alignment

    local_commitment = factory.SubFactory(LocalCommitmentFactory)
    national_commitment = factory.SubFactory(CommitmentFactory)
    kind = Alignment.Kind.REPLICATES


# --- Coordination space (issue 7) -----------------------------------------------


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    space = factory.SubFactory(CoordinationSpaceFactory)
    institution = factory.SubFactory(InstitutionFactory)
    since = datetime.date(2020, 1, 1)


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Persona representante {n}")
    position = "Titular de la unidad de transparencia"
    email = factory.Sequence(lambda n: f"persona{n}@example.org")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Punto {n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Acuerdo {n}")
    responsible = factory.SubFactory(InstitutionFactory)
    due_date = factory.LazyAttribute(lambda o: o.meeting.local_date + datetime.timedelta(days=30))
    status = Agreement.Status.PENDING


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Documento {n}")
    file = factory.django.FileField(filename="minuta.pdf", data=b"%PDF-1.7\n%test\n")
    content_type = "application/pdf"
    size = 15


# --- Accounts (issue 3) -----------------------------------------------------

from django.contrib.auth import get_user_model  # noqa: E402

from accounts.models import Membership, Role  # noqa: E402


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"persona{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Sequence(lambda n: f"Persona {n}")
    password = factory.django.Password("contraseña-de-prueba-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.GOVERNMENT_EDITOR
    institution = factory.SubFactory(InstitutionFactory)


# --- Civil-society review (issue 4) ----------------------------------------------

from commitments.models import ProgressReport  # noqa: E402
from ogp_portal.user_text import render_markdown  # noqa: E402
from reviews.models import Assessment, Comment  # noqa: E402


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    commitment = factory.SubFactory(CommitmentFactory)
    date = factory.LazyAttribute(lambda o: o.commitment.action_plan.start_date)
    summary = factory.Sequence(lambda n: f"Informe de avance {n}.")


class OrganisationFactory(InstitutionFactory):
    kind = Institution.Kind.CIVIL_SOCIETY


class ReviewerFactory(MembershipFactory):
    role = Role.REVIEWER
    institution = factory.SubFactory(OrganisationFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    commitment = factory.SubFactory(CommitmentFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comentario {n}.")
    # As reviews.services writes it (Comment.set_body).
    body_html = factory.LazyAttribute(lambda comment: render_markdown(comment.body))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    progress_report = factory.SubFactory(ProgressReportFactory)
    commitment = factory.LazyAttribute(lambda o: o.progress_report.commitment)
    organisation = factory.SubFactory(OrganisationFactory)
    reviewer = factory.SubFactory(UserFactory)
    verdict = Assessment.Verdict.AGREE
    justification = "Lo constatamos en campo."
