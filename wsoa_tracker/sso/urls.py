"""Single sign-on's URLs: one sign-in and one callback per identity provider, and the
"sign-in cancelled" page allauth sends people to. No allauth account page is served. A
provider ID is a slug (letters, digits, hyphens, underscores)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import provider

cancelled = login_not_required(
    require_safe(TemplateView.as_view(template_name="socialaccount/login_cancelled.html"))
)

urlpatterns = [
    path("<slug:provider_id>/login/", provider.login, name="openid_connect_login"),
    path("<slug:provider_id>/login/callback/", provider.callback, name="openid_connect_callback"),
    path("cancelled/", cancelled, name="socialaccount_login_cancelled"),
]
