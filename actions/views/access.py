"""The check every page makes: only people in one of the tracker's roles see it, and a
refusal is a 403 logged as `authz_denied`."""

import functools
import logging

from django.core.exceptions import PermissionDenied

from actions import permissions

logger = logging.getLogger("wsoa_tracker.authz")


def role_required(view):
    """Only people in one of the tracker's roles see its pages."""

    @functools.wraps(view)
    def check(request, *args, **kwargs):
        if not permissions.may_read(request.user):
            deny(request, "has no role")
        return view(request, *args, **kwargs)

    return check


def deny(request, why, object_id=None):
    logger.warning(
        "authz_denied user=%s path=%s object=%s: %s",
        request.user.pk,
        request.path,
        object_id,
        why,
    )
    raise PermissionDenied
