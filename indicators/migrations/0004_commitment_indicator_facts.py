"""Commitment indicators keep facts, not the calendar.

Days since the last update and "stale" are now derived from ``last_update_at`` when read,
so the nightly pass no longer rewrites every row each day. The plan is copied onto the
indicator (scope aggregates read it without the commitments table) and the integer sums
behind the completion percent are stored (the nightly pass compares them), with a
fingerprint of the rules they were computed under. The sums and fingerprint of existing
rows start at 0; the next recompute finds them different and rewrites the rows.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery


def copy_plans(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    CommitmentIndicator = apps.get_model("indicators", "CommitmentIndicator")
    plan = Commitment.objects.filter(pk=OuterRef("commitment_id")).values("action_plan_id")[:1]
    CommitmentIndicator.objects.update(action_plan_id=Subquery(plan))


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("indicators", "0003_commitment_indicator_fillfactor"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitmentindicator",
            name="action_plan",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="commitments.actionplan",
                verbose_name="plan de acción",
            ),
        ),
        migrations.RunPython(copy_plans, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commitmentindicator",
            name="action_plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="commitments.actionplan",
                verbose_name="plan de acción",
            ),
        ),
        migrations.AddField(
            model_name="commitmentindicator",
            name="weighted_percent_sum",
            field=models.PositiveBigIntegerField(
                default=0, verbose_name="suma de avance ponderado"
            ),
        ),
        migrations.AddField(
            model_name="commitmentindicator",
            name="rules_fingerprint",
            field=models.PositiveBigIntegerField(default=0, verbose_name="reglas de cálculo"),
        ),
        migrations.AddField(
            model_name="commitmentindicator",
            name="weight_sum",
            field=models.PositiveBigIntegerField(default=0, verbose_name="suma de pesos"),
        ),
        migrations.RemoveField(model_name="commitmentindicator", name="days_since_update"),
        migrations.RemoveField(model_name="commitmentindicator", name="is_stale"),
        migrations.AddConstraint(
            model_name="commitmentindicator",
            constraint=models.CheckConstraint(
                condition=Q(weighted_percent_sum__lte=F("weight_sum") * 100),
                name="commitment_indicator_weighted_sum_within_100_percent",
            ),
        ),
    ]
