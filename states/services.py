"""Writes about the states: one function per use case."""

from decimal import Decimal

from django.db import transaction

from commitments.models import Source
from ogp_portal.outbox import data_changed

from .models import MetricaEdition, MetricaScore, State


@transaction.atomic
def record_metrica_score(
    *,
    state: State,
    edition: MetricaEdition,
    score: Decimal | None,
    source: Source,
    **sub_scores: Decimal | None,
) -> MetricaScore:
    """Record (or correct) a state's score in one edition of the Métrica de Gobierno Abierto.

    ``source`` (a commitments.Source) is required: the portal states no score without one.
    """
    data_changed()
    unknown = set(sub_scores) - set(MetricaScore.SUB_SCORES)
    if unknown:
        raise TypeError(f"Unknown sub-scores: {', '.join(sorted(unknown))}")
    row = MetricaScore.objects.select_for_update().filter(
        state=state, edition=edition
    ).first() or MetricaScore(state=state, edition=edition)
    row.score = score
    row.source = source
    for name in MetricaScore.SUB_SCORES:
        setattr(row, name, sub_scores.get(name))
    row.full_clean()
    row.save()
    return row
