import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_resource(schema):
    paths = set(schema["paths"])
    for name in [
        "action-plans",
        "local-action-plans",
        "commitments",
        "milestones",
        "progress-history",
        "states",
        "institutions",
        "policy-areas",
        "sdg-targets",
        "meetings",
        "alignments",
        "agreements",
        "metrica",
        "metrica/editions",
        "indicators/commitments",
        "indicators/scopes",
        "indicators/snapshots",
        "opendata",
        "search",
        "comments",
        "assessments",
    ]:
        assert f"/api/v1/{name}/" in paths


def test_every_field_and_operation_is_described(schema):
    undescribed = [
        f"{name}.{prop}"
        for name, component in schema["components"]["schemas"].items()
        for prop, spec in component.get("properties", {}).items()
        if name.startswith(("Paginated",)) is False
        and not (spec.get("description") or "$ref" in spec or "allOf" in spec)
    ]
    assert undescribed == []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method} {path}"
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), f"{path} {parameter['name']}"


def asset_urls(html):
    import re

    return re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_load_only_same_origin_assets_that_exist(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert "http://" not in html and "https://" not in html  # no CDN
    for asset in asset_urls(html):
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    # Any <script> has a src: nothing inline needs 'unsafe-inline' for scripts.
    assert html.count("<script") == html.count("<script src=")


def test_swagger_ui_keeps_the_strict_policy(client):
    response = client.get("/api/docs/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"].startswith("'self'")  # plus a nonce when a page uses one
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_redoc_relaxes_only_styles_and_workers(client):
    policy = client.get("/api/redoc/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"].startswith("'self'")
    assert "unsafe" not in directives["script-src"]
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["worker-src"] == "'self' blob:"
