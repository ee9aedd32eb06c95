"""Benchmark the progress grid at 1x, 10x and 100x the size of the WSOA.

    .venv/bin/python benchmarks/grid.py [--sizes 1,10,100] [--runs 5]

Builds synthetic plans (about 70, 700 and 7,000 actions; 20 quarters; a rating every month)
in a throwaway SQLite database, then prints for each size: the grid's median render time,
its query count, the time the Django admin takes to list the same actions, and their
ratio; and the peak memory of streaming the grid as CSV.
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATABASE = Path(tempfile.mkdtemp()) / "benchmark.sqlite3"
os.environ["SQLITE_PATH"] = str(DATABASE)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsoa_tracker.test_settings")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions import roles  # noqa: E402
from actions.admin import ActionAdmin  # noqa: E402
from actions.models import Action, Plan, Rating, RequiredOutcome  # noqa: E402
from reviews.models import Area, Review  # noqa: E402
from weaknesses.models import Finding  # noqa: E402
from wsoa_tracker import history_guard  # noqa: E402

FIRST = datetime.date(2018, 3, 31)
LAST = datetime.date(2022, 12, 31)  # 20 quarters
COLOURS = ["green", "amber", "red", "grey"]


def months():
    month = datetime.date(2018, 3, 1)
    while month <= LAST:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def empty_database():
    """Migrated and empty. History is append-only, so the guards are lifted for the flush
    between sizes (on this throwaway database only) and put back before anything is built."""
    call_command("migrate", verbosity=0)
    tables = history_guard.history_tables(apps)
    history_guard.remove(connection, tables)
    call_command("flush", interactive=False, verbosity=0)
    history_guard.install(connection, tables)


def build(scale):
    """A fresh plan of about 70 x scale actions, each rated every month."""
    empty_database()
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
    empty_database()
    with open(os.devnull, "w") as quiet:
        call_command("load_record", stdout=quiet)


def timed(client, url, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            for _ in response.streaming_content:
                pass
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def quarters(client):
    return len(Plan.objects.get().quarter_ends())


def csv_peak_memory(client):
    tracemalloc.start()
    response = client.get("/actions/grid.csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return size, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ActionAdmin.list_max_show_all = 10**6  # let the admin list every action on one page
    rows = []
    for size in ["record", *args.sizes.split(",")]:
        build_start = time.perf_counter()
        build_record() if size == "record" else build(int(size))
        built = time.perf_counter() - build_start
        viewer = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True)
        viewer.groups.add(
            *__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(
                name=roles.ADMINISTRATOR
            )
        )
        client = Client()
        client.force_login(viewer)
        actions, ratings = Action.objects.count(), Rating.objects.count()
        grid_time = timed(client, "/actions/grid/", args.runs)
        admin_time = timed(client, "/admin/actions/action/?all=", args.runs)
        csv_time = timed(client, "/actions/grid.csv", max(1, args.runs // 2))
        csv_bytes, csv_peak = csv_peak_memory(client)
        rows.append(
            (
                "WSOA" if size == "record" else f"{size}x",
                actions,
                ratings,
                f"{built:.1f}",
                f"{grid_time * 1000:.0f}",
                queries(client, "/actions/grid/"),
                f"{admin_time * 1000:.0f}",
                f"{grid_time / admin_time:.2f}",
                f"{grid_time * 1e6 / (actions * quarters(client)):.1f}",
                f"{csv_time * 1000:.0f}",
                f"{csv_bytes / 1e3:.0f}",
                f"{csv_peak / 1e6:.1f}",
            )
        )
    titles = (
        "size",
        "actions",
        "ratings",
        "build s",
        "grid ms (median)",
        "grid queries",
        "admin list ms",
        "grid/admin",
        "us per cell",
        "csv ms",
        "csv kB",
        "csv peak MB",
    )
    widths = [max(len(str(x)) for x in column) for column in zip(titles, *rows, strict=True)]
    for line in (titles, *rows):
        print("  ".join(str(value).rjust(width) for value, width in zip(line, widths, strict=True)))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(DATABASE.parent, ignore_errors=True)  # leave no database behind
