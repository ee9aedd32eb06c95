"""Benchmark the board's pages at the real record and at 1x, 10x and 100x the WSOA.

    .venv/bin/python benchmarks/grid.py [--sizes record,1,10,100] [--runs 5]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/grid.py   # on PostgreSQL

Each size gets a fresh throwaway database (benchmarks/databases.py: SQLite files, or
PostgreSQL databases on DATABASE_URL's server), with the history guards in place; every
one is dropped at the end. Synthetic plans have about 70, 700 and 7,000 actions, 20
quarters and a rating every month. For each size it prints, in one table: the server CPU
time (time.process_time, the median of --runs requests after one warm-up) of /health/,
the grid, the actions list and the admin's changelist of the same actions; their ratios;
microseconds per cell of the page's window; the grid page again with its section from
the page cache (production's database cache), against /health/; queries per page; the board pack's
cold render (wall seconds) and page count; and, at --floor-sizes, the grid's floor: one
raw SQL query for the page's rows (its window's months) and the same table HTML (its
window's columns) written with plain string joins.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsoa_tracker.test_settings")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions import roles  # noqa: E402
from actions.admin import ActionAdmin  # noqa: E402
from actions.models import Action, Plan, Rating, RequiredOutcome  # noqa: E402
from actions.reports.grid import WINDOW  # noqa: E402
from actions.rules import rating_key  # noqa: E402
from actions.rules.periods import quarter_start  # noqa: E402
from benchmarks.databases import Throwaway  # noqa: E402
from reviews.models import Area, Review  # noqa: E402
from weaknesses.models import Finding  # noqa: E402

FIRST = datetime.date(2018, 3, 31)
LAST = datetime.date(2022, 12, 31)  # 20 quarters
COLOURS = ["green", "amber", "red", "grey"]
PAGES = {
    "health": "/health/",
    "grid": "/actions/grid/",
    "actions": "/actions/",
    "admin": "/admin/actions/action/?all=",
}


def months():
    month = datetime.date(2018, 3, 1)
    while month <= LAST:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def build(scale):
    """A fresh plan of about 70 x scale actions, each rated every month."""
    area = Area.objects.create(slug="bench", name="Benchmark area")
    review = Review.objects.create(
        area=area,
        slug="bench",
        title="Inspection",
        kind="joint_inspection",
        bodies="Ofsted",
        start_date=datetime.date(2017, 9, 25),
        end_date=datetime.date(2017, 9, 29),
        outcome="-",
        source_document="-",
    )
    plan = Plan.objects.create(
        area=area,
        slug="bench",
        title="Benchmark plan",
        short_name="WSOA",
        first_quarter_end=FIRST,
        last_quarter_end=LAST,
        source="-",
    )
    actions = []
    for w, letter in enumerate("ABCDE", start=1):
        weakness = Finding.objects.create(
            review=review,
            code=letter,
            position=w,
            kind="significant_weakness",
            text=f"weakness {letter}",
            source="-",
        )
        plan.findings.add(weakness)
        for number in range(1, 4 * scale + 1):
            required = RequiredOutcome.objects.create(
                plan=plan, weakness=weakness, number=number, title=f"Outcome {number}"
            )
            actions += [
                Action(
                    required_outcome=required,
                    number=n,
                    text=f"Action {n} of {number}",
                    timescale="Monthly",
                )
                for n in range(1, 4 if number % 2 else 5)  # 3 or 4: 3.5 on average
            ]
    Action.objects.bulk_create(actions, batch_size=2000)
    user = User.objects.create(username="bench-officer")
    chair = User.objects.create(username="bench-chair")
    decided_at = timezone.now()
    ratings = []
    for i, action in enumerate(Action.objects.only("pk")):
        for j, month in enumerate(months()):
            ratings.append(
                Rating(
                    action=action,
                    month=month,
                    rating=COLOURS[(i + j // 7) % 4],
                    commentary="=SUM(A1)" if j == 0 else "Progress as planned",
                    recorded_by=user,
                    # accepted, as the board's reports show them (the latest month waits)
                    **(
                        {"approval_status": "submitted"}
                        if month == LAST.replace(day=1)
                        else {
                            "approval_status": "accepted",
                            "accepted_rating": COLOURS[(i + j // 7) % 4],
                            "decided_by": chair,
                            "decided_at": decided_at,
                        }
                    ),
                )
            )
        if len(ratings) > 20000:
            Rating.objects.bulk_create(ratings)
            ratings = []
    Rating.objects.bulk_create(ratings)
    return plan


def build_record():
    with open(os.devnull, "w") as quiet:
        call_command("load_record", stdout=quiet)


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, (url, response.status_code)
    return body


def cpu_ms(client, url, runs, budget):
    """Median server CPU of `runs` requests (fewer once `budget` wall seconds are spent)."""
    fetch(client, url)  # warm-up: templates compiled, connection open
    times, started = [], time.perf_counter()
    for _ in range(runs):
        start = time.process_time()
        fetch(client, url)
        times.append(time.process_time() - start)
        if time.perf_counter() - started > budget:
            break
    return statistics.median(times) * 1000, len(times)


def cached_grid_ms(client, runs, budget):
    """The grid page's CPU when its section comes from the page cache, as production keeps
    it (actions.reports.page_cache: the "pages" DatabaseCache of the production settings)."""
    from django.conf import settings as django_settings
    from django.test.utils import override_settings

    from wsoa_tracker import settings as production

    caches = {**django_settings.CACHES, "pages": production.CACHES["pages"]}
    with override_settings(CACHES=caches):
        call_command("createcachetable", "wsoa_page_cache", verbosity=0)
        return cpu_ms(client, PAGES["grid"], runs, budget)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return len(captured)


def cold_pack(client):
    """The board pack made now (the test settings' cache keeps nothing): (seconds, pages)."""
    start = time.perf_counter()
    response = client.get("/actions/board-pack.pdf")
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        return f"{response.status_code}", "-"
    from pypdf import PdfReader  # a test dependency

    return f"{seconds:.1f}", len(PdfReader(io.BytesIO(response.content)).pages)


FLOOR_SQL = """
SELECT a.id, w.code, o.number, a.number, a.text, r.month, r.approval_status,
       r.accepted_rating, r.board_rating
FROM {action} a
JOIN {outcome} o ON o.id = a.required_outcome_id
JOIN {finding} w ON w.id = o.weakness_id
LEFT JOIN {rating} r ON r.action_id = a.id AND r.month >= %s
WHERE o.plan_id = %s
ORDER BY w.position, o.number, a.number, a.id, r.month
"""


def shown_quarters(plan):
    """The quarters the grid page shows: the latest WINDOW (8) of the plan's."""
    return plan.quarter_ends()[-WINDOW:]


def floor_html(plan):
    """The grid page's rows as one raw query and plain string joins: the least any grid
    page could cost. The same columns as the page (its window of quarters) from the same
    months; each quarter's cell is the accepted rating of its latest rated month."""
    quarters = shown_quarters(plan)
    first = quarters[0]
    tables = {
        "action": Action._meta.db_table,
        "outcome": RequiredOutcome._meta.db_table,
        "finding": Finding._meta.db_table,
        "rating": Rating._meta.db_table,
    }
    tags = {
        word: f'<strong class="govuk-tag {rating_key.entry(word).tag_class}">'
        f"{rating_key.entry(word).word}</strong>"
        for word in [*COLOURS, None]
    }
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL.format(**tables), [quarter_start(first), plan.pk])
        rows = cursor.fetchall()
    out, current, cells = [], None, {}

    def flush():
        if current is None:
            return
        pk, code, text = current
        out.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header '
            f'app-grid__action"><a class="govuk-link" href="/actions/{pk}/">{code}</a> '
            f"{escape(text)}</th>"
            + "".join(
                f'<td class="govuk-table__cell">{tags[cells.get(quarter)]}</td>'
                for quarter in quarters
            )
            + "</tr>"
        )

    ends = {}
    for pk, weakness, outcome, number, text, month, status, accepted, board in rows:
        if current is None or current[0] != pk:
            flush()
            current, cells = (pk, f"{weakness}{outcome}.{number}", text), {}
        if month is not None and status == "accepted":
            if month not in ends:
                ends[month] = next(q for q in quarters if q >= month)
            cells[ends[month]] = board or accepted
    flush()
    return "\n".join(out)


def floor_ms(client, plan, runs):
    """(floor ms, grid/floor): the floor's median CPU, and the median of grid/floor over
    `runs` pairs, each a grid request and then the floor, one after the other, so that a
    machine busier in one moment than the next weighs on both sides of each ratio."""
    floors, ratios = [], []
    for _ in range(runs):
        start = time.process_time()
        fetch(client, PAGES["grid"])
        grid = time.process_time() - start
        start = time.process_time()
        floor_html(plan)
        floors.append(time.process_time() - start)
        ratios.append(grid / floors[-1])
    return statistics.median(floors) * 1000, statistics.median(ratios)


def viewer():
    user = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True)
    user.groups.add(*Group.objects.filter(name=roles.ADMINISTRATOR))
    client = Client()
    client.force_login(user)
    # Signed in as the site requires: the second factor given (wsoa_tracker.second_factor).
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=user).persistent_id
    session.save()
    return client


def measure(size, args):
    build_start = time.perf_counter()
    build_record() if size == "record" else build(int(size))
    built = time.perf_counter() - build_start
    client = viewer()
    plan = Plan.objects.order_by("first_quarter_end").first()
    actions = Action.objects.filter(required_outcome__plan=plan).count()
    cells = actions * len(shown_quarters(plan))
    cpu = {name: cpu_ms(client, url, args.runs, args.budget) for name, url in PAGES.items()}
    ms = {name: value for name, (value, _) in cpu.items()}
    count = {name: queries(client, url) for name, url in PAGES.items() if name != "health"}
    cached, _ = cached_grid_ms(client, args.runs, args.budget)
    pack_s, pack_pages = cold_pack(client) if size in args.pack_sizes else ("-", "-")
    floor, ratio = floor_ms(client, plan, args.runs) if size in args.floor_sizes else (None, None)
    return {
        "size": "record" if size == "record" else f"{size}x",
        "actions": actions,
        "ratings": Rating.objects.count(),
        "build s": f"{built:.0f}",
        "health ms": f"{ms['health']:.1f}",
        "grid ms": f"{ms['grid']:.0f}",
        "actions ms": f"{ms['actions']:.0f}",
        "admin ms": f"{ms['admin']:.0f}",
        "runs": "/".join(str(n) for _, n in cpu.values()),
        "grid/admin": f"{ms['grid'] / ms['admin']:.2f}",
        "actions/grid": f"{ms['actions'] / ms['grid']:.2f}",
        "grid/health": f"{ms['grid'] / ms['health']:.0f}",
        "actions/health": f"{ms['actions'] / ms['health']:.0f}",
        "admin/health": f"{ms['admin'] / ms['health']:.0f}",
        "us/cell": f"{ms['grid'] * 1000 / cells:.1f}",
        "cached grid ms": f"{cached:.1f}",
        "cached grid/health": f"{cached / ms['health']:.1f}",
        "grid q": count["grid"],
        "actions q": count["actions"],
        "admin q": count["admin"],
        "pack s": pack_s,
        "pack pages": pack_pages,
        "floor ms": "-" if floor is None else f"{floor:.0f}",
        "grid/floor": "-" if floor is None else f"{ratio:.1f}",
    }


def print_row(row, first):
    """One line as each size is done, so that an interrupted run keeps what it measured."""
    if first:
        print("| " + " | ".join(row) + " |")
        print("|" + "|".join("---" for _ in row) + "|")
    print("| " + " | ".join(str(value) for value in row.values()) + " |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "record,1,10,100"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "5")))
    parser.add_argument("--budget", type=float, default=20, help="wall seconds per page")
    parser.add_argument("--pack-sizes", default=os.environ.get("PACK_SIZES", "record,1,10"))
    parser.add_argument("--floor-sizes", default="10")
    parser.add_argument(
        "--prefix", default=os.environ.get("BENCHMARK_DB_PREFIX", "wsoa_bench"),
        help="throwaway databases' names begin with this",
    )  # fmt: skip
    parser.add_argument("--folder", help="where SQLite's throwaway files go (default: a temp dir)")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    args.pack_sizes, args.floor_sizes = args.pack_sizes.split(","), args.floor_sizes.split(",")
    bad = [size for size in sizes if size != "record" and not size.isdigit()]
    ActionAdmin.list_max_show_all = 10**7  # the admin lists every action on one page
    databases = Throwaway(args.prefix, os.getpid(), args.folder)
    rows = []
    try:
        databases.template()
        if bad:
            raise SystemExit(f"Sizes are 'record' or whole numbers, not {', '.join(bad)}")
        print(f"{databases.vendor}, {timezone.now():%Y-%m-%d %H:%M} UTC", flush=True)
        for size in sizes:
            name = databases.fresh(size)
            try:
                rows.append(measure(size, args))
            finally:
                databases.drop(name)
            print_row(rows[-1], first=len(rows) == 1)
    finally:
        databases.drop_all()


if __name__ == "__main__":
    main()
