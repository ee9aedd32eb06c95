"""Warming an app server's process before it takes a request: every view module imported
(the URLconf resolved) and every one of the project's templates (and its form pack's)
compiled into the cached template loader. Without it, each gunicorn worker's first
requests (at start, and each time `max_requests` renews a worker) pay that work, about
170 ms, while people wait.

gunicorn.conf.py calls `warm()` from its `post_worker_init` hook.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver

logger = logging.getLogger(__name__)


# Packages whose templates every form page renders (the GOV.UK crispy-forms pack).
PACKAGES = ("crispy_forms_gds",)


def project_templates():
    """The names of the templates in the project's own folders (templates/ and its apps'
    templates/) and in PACKAGES, not those of the other packages it uses (the admin's)."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [*engines["django"].engine.dirs, *get_app_template_dirs("templates")]
    for folder in map(Path, folders):
        folder = folder.resolve()
        ours = folder.is_relative_to(base) and "site-packages" not in folder.parts
        if not ours and not any(package in folder.parts for package in PACKAGES):
            continue
        for path in sorted(folder.rglob("*.html")):
            yield path.relative_to(folder).as_posix()


def warm():
    """(templates compiled, seconds): the URLconf resolved and the templates compiled. A
    template that does not compile is logged and left for its page to report."""
    started = time.perf_counter()
    get_resolver()._populate()  # imports the URLconf and every view module
    engine = engines["django"]
    compiled = 0
    for name in project_templates():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:
            logger.exception("template %s does not compile", name)
            continue
        compiled += 1
    seconds = time.perf_counter() - started
    logger.info("warmed: %d templates compiled in %.2f s", compiled, seconds)
    return compiled, seconds
