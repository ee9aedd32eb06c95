"""The site's URLs: sign-in (local with a second factor, and single sign-on) and password,
the public pages, the open data, the statements, the glossary, the plan's and the
findings' pages, the admin and the health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from actions.views.glossary import glossary
from actions.views.messages import message_list
from actions.views.open_data import open_data, table_file
from actions.views.public import public_finding, public_progress

from .accounts import PasswordChangeView, SignInView
from .health import health
from .password_reset import (
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from .second_factor import second_factor_not_required
from .second_factor_views import second_factor_page, second_factor_setup_page
from .sessions import keep_alive
from .statement_pages import accessibility, cookies_page, privacy

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="actions:list"), name="home"),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", second_factor_page, name="second-factor"),
    path("sign-in/set-up/", second_factor_setup_page, name="second-factor-setup"),
    path("sso/", include("wsoa_tracker.sso.urls")),
    path(
        "sign-out/",
        second_factor_not_required(auth_views.LogoutView.as_view()),
        name="sign-out",
    ),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("progress/", public_progress, name="public-progress"),
    path("progress/<slug:review>/<slug:code>/", public_finding, name="public-finding"),
    path("glossary/", glossary, name="glossary"),
    path("messages/", message_list, name="messages"),
    path("open-data/", open_data, name="open-data"),
    path("open-data/<slug:table>.csv", table_file, {"format": "csv"}, name="open-data-csv"),
    path("open-data/<slug:table>.json", table_file, {"format": "json"}, name="open-data-json"),
    path("accessibility/", accessibility, name="accessibility"),
    path("privacy/", privacy, name="privacy"),
    path("cookies/", cookies_page, name="cookies"),
    path("actions/", include("actions.urls")),
    path("findings/", include("actions.finding_urls")),
    path("api/v1/", include("actions.api.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("session/keep-alive/", keep_alive, name="keep-alive"),
]

handler400 = "wsoa_tracker.errors.bad_request"
handler403 = "wsoa_tracker.errors.permission_denied"
handler404 = "wsoa_tracker.errors.page_not_found"
handler500 = "wsoa_tracker.errors.server_error"
