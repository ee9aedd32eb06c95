"""The API's URLs under /api/v1/ (namespace "api"): every data endpoint needs a token; the
OpenAPI schema and its documentation page describe the shape only and need none. Each view
is marked login_not_required because the API authenticates itself (a token, never the
session), so the sign-in and second-factor middleware leave it to DRF."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML, or JSON with ?format=json). Its version is fixed: the
    library would otherwise take `?version=` as typed into a response header."""

    api_version = "1"
    authentication_classes = []
    permission_classes = []
    throttle_classes = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files, its start-up script served
    by this view as a file of its own (?script), so the CSP's script-src 'self' holds."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


def api(view):
    return login_not_required(view.as_view())


urlpatterns = [
    path("plans/", api(views.PlanList), name="plans"),
    path("plans/<slug:plan>/", api(views.PlanDetail), name="plan"),
    path("plans/<slug:plan>/grid/", api(views.PlanGrid), name="plan-grid"),
    path("findings/", api(views.FindingList), name="findings"),
    path("required-outcomes/", api(views.RequiredOutcomeList), name="required-outcomes"),
    path("actions/", api(views.ActionList), name="actions"),
    path("measures/", api(views.MeasureList), name="measures"),
    path("schema/", api(SchemaView), name="schema"),
    path("docs/", api(DocsView), name="docs"),
]
