"""Production's collectstatic (hashed names, references rewritten) accepts every asset."""

from django.core.management import call_command


def test_collectstatic_with_hashed_names_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    css = next(tmp_path.glob("css/portal.*.css")).read_text()
    assert "fill: url(#patron-sin-plan)" in css  # in-document pattern references stay as they are
    assert list(tmp_path.glob("vendor/chartjs-4.6.1/chart.umd.min.*.js"))
