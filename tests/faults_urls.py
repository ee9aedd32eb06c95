"""The site's URLs plus one view that fails, to see the error page users would get."""

from django.urls import path

from wsoa_tracker.urls import urlpatterns as site


def broken_view(request):
    raise RuntimeError("secret internal detail: SELECT * FROM actions_rating")


urlpatterns = [*site, path("broken/", broken_view)]
handler400 = "wsoa_tracker.errors.bad_request"
handler500 = "wsoa_tracker.errors.server_error"
handler403 = "wsoa_tracker.errors.permission_denied"
handler404 = "wsoa_tracker.errors.page_not_found"
