"""The open data: each public table as CSV and JSON at a stable address, as at `?as_at=`
(rules.as_at), with the data dictionary and the licence; no sign-in, no session, and
cacheable (the tables hold only what the public pages show)."""

import csv
import hashlib
import io
import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from actions import areas
from actions.reports.exports import written
from actions.reports.names import download_name
from actions.reports.open_data import TABLES
from reviews.models import Area

from .findings import as_at_refused, asked_as_at

MAX_AGE = 300  # seconds a browser or proxy may keep a file before asking again
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@login_not_required
@require_safe
def open_data(request):
    """The data dictionary: every table, its addresses, its columns and the licence."""
    as_at, refused = asked_as_at(request)
    if refused:
        return as_at_refused(request, "Open data", refused)
    area = areas.public_area(request)
    return render(
        request,
        "actions/open_data.html",
        {
            "tables": TABLES.values(),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "max_age": MAX_AGE,
            "as_at": as_at,
            "area": area,
            "area_asked": bool(request.GET.get(areas.AREA_PARAMETER)),
            "areas": Area.objects.order_by("pk"),
        },
    )


def cached(request, body, content_type, as_at, filename):
    """The file with its validator: a strong ETag of its bytes, so that asking again for
    the same data costs a 304; public, for MAX_AGE seconds."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = tag
    response["X-As-At"] = as_at.query_value()
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@login_not_required
@require_safe
def table_file(request, table, format):
    """One table as CSV (a header row, then one row per record) or JSON (the as at, the
    licence and the records)."""
    if table not in TABLES:
        raise Http404("No such table")
    as_at, refused = asked_as_at(request)
    if refused:
        return as_at_refused(request, "Open data", refused)
    area = areas.public_area(request)
    its = TABLES[table]
    rows = list(its.rows(as_at, area))
    name = download_name("wsoa-open-data", table, as_at.file_part())
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([column.name for column in its.columns])
        for row in rows:
            writer.writerow([written(value) for value in row])
        body = out.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8
        response = cached(request, body, "text/csv; charset=utf-8", as_at, f"{name}.csv")
        response["X-Area"] = area.slug if area else ""
        return response
    names = [column.name for column in its.columns]
    document = {
        "table": its.slug,
        "title": its.title,
        "as_at": as_at.query_value(),
        "as_at_words": as_at.words(),
        "area": area.slug if area else "",
        "area_name": area.name if area else "",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "dictionary": request.build_absolute_uri(reverse("open-data")) + f"#{its.slug}",
        "columns": names,
        "rows": [dict(zip(names, row, strict=True)) for row in rows],
    }
    # The ETag is of the data, not the as at: asking again for unchanged data is a 304.
    tag_body = json.dumps(document["rows"], ensure_ascii=False).encode()
    body = json.dumps(document, ensure_ascii=False, indent=1).encode()
    response = cached(request, tag_body, "application/json", as_at, f"{name}.json")
    if response.status_code == 200:
        response.content = body
    response["X-Area"] = area.slug if area else ""
    return response
