"""Pages rendered once and kept in the shared "pages" cache (every app server reads the
same database cache table): the grid page's section and its filter form, a weakness
page's story (its grid section with it), the public progress page's content, and each
person's actions list.

A section is keyed on everything it shows: the page and its parameters, the moment it is
as at (to the minute, as its words and links give it), today (the warning signs count to
it) and the record's newest history rows (history_guard.record_version). History is
append-only, so any change to the record gives a new key and a stale section is never
served. As at a day before today, with no filter reading today's ratings, a rating recorded
since cannot change the section, so ratings' history is left out of the key and the
section stays cached. Entries are bounded in number (the cache's MAX_ENTRIES) and in size
(MAX_BYTES: a larger section is rendered each time rather than stored).
"""

import hashlib

from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe

from actions import roles
from actions.models import Rating
from wsoa_tracker import history_guard

CACHE = "pages"
MAX_BYTES = 2_000_000
TIMEOUT = 24 * 60 * 60


def section_key(page, query, as_at, ratings_filtered=False):
    """The key of `page`'s section for a request's `query` (a QueryDict) as at `as_at`."""
    ratings_matter = as_at.is_now or as_at.day >= timezone.localdate() or ratings_filtered
    version = history_guard.record_version(
        connection, apps, excluding=() if ratings_matter else (Rating.history.model,)
    )
    return hashed(f"{page}-section", (sorted(query.lists()), minute(as_at)), version)


def person_key(page, user, query):
    """The key of a page that is one person's own as at now (the actions list: their
    actions, and the updates they may correct or approve), but gives no moment: the person,
    their roles, the parameters, today and the record's newest history rows. Their roles
    are groups, which have no history, so they are in the key themselves."""
    version = history_guard.record_version(connection, apps)
    who = (user.pk, sorted(roles.role_names(user)), user.is_superuser)
    return hashed(f"{page}-person", (who, sorted(query.lists())), version)


def hashed(prefix, parts, version):
    """A key of `prefix` for these parts, today and the record's version."""
    whole = (prefix, *parts, timezone.localdate(), version)
    return f"{prefix}:" + hashlib.sha256(repr(whole).encode()).hexdigest()


def minute(as_at):
    """A past day, or now to the minute, as the section's words give it. Its links carry
    the second it was rendered, which gives the same figures as any later second while
    the record's newest history (also in the key) is unchanged."""
    if as_at.day_end:
        return as_at.query_value()
    return timezone.localtime(as_at.moment).strftime("%Y-%m-%dT%H:%M")


def section(key, render):
    """The section stored under `key`, else `render()`'s HTML, stored when small enough."""
    return sections({key: render})[key]


def sections(renders):
    """{key: HTML} for {key: render}: the sections kept, read in one look at the cache,
    and the others rendered in order and stored when small enough."""
    cache = caches[CACHE]
    kept = cache.get_many(list(renders))
    found = {}
    for key, render in renders.items():
        html = kept.get(key)
        if html is None:
            html = str(render())
            if len(html.encode()) <= MAX_BYTES:
                cache.set(key, html, TIMEOUT)
        found[key] = mark_safe(html)  # rendered by our own templates, autoescaped
    return found
