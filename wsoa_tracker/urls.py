"""The site's URLs: sign-in (local and single sign-on) and password, the public page, the
glossary, the plan's and the findings' pages, the admin and the health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from actions.views.glossary import glossary
from actions.views.public import public_progress

from .accounts import PasswordChangeView, SignInView
from .health import health
from .sessions import keep_alive

admin.site.site_header = "WSOA Tracker administration"
admin.site.site_title = "WSOA Tracker"
admin.site.index_title = "The local area's record"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="actions:list"), name="home"),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sso/", include("wsoa_tracker.sso.urls")),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("progress/", public_progress, name="public-progress"),
    path("glossary/", glossary, name="glossary"),
    path("actions/", include("actions.urls")),
    path("findings/", include("actions.finding_urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("session/keep-alive/", keep_alive, name="keep-alive"),
]

handler400 = "wsoa_tracker.errors.bad_request"
handler500 = "wsoa_tracker.errors.server_error"
