"""A busy board day against production mode: gunicorn over HTTPS on 127.0.0.1, PostgreSQL,
the real record. Bounded: it stops by itself after the run time and stops gunicorn.

    make load-test                    # 50 users for 60 seconds
    make load-test USERS=500          # the 10x run
    make load-test RAMP=10,20,40,80,160   # saturation: a stepped ramp

With --ramp it runs each number of users in turn (--seconds each, against the same
server and accounts) and reports requests per second at each step and where the p95 of
all requests first crosses 500 ms: the rate the machine sustains (locust shares it).

It builds its own database (wsoa_load, dropped and made anew, migrated as its owner role
and served as its app role, as in production), loads the record, makes
accounts (7 board members to 3 officers, each officer holding one owner role), runs
locust headless (benchmarks/locustfile.py), and prints requests per second, p50/p95/p99 per
page, the error count and the targets met or missed. Locust runs on the same machine as
the server, so the two share its cores.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "load-results"
BIN = Path(sys.executable).parent
DATABASE = "wsoa_load"
# As in production (README: Database roles): the owner migrates, the app serves.
OWNER_ROLE, APP_ROLE = "wsoa_load_owner", "wsoa_load_app"
SERVER = "127.0.0.1:8444"
# p95 targets in milliseconds: the grid and the PDF have 1 s, every other page 500 ms.
SLOW_PAGES = {"grid": 1000, "board pack PDF": 1000}
PAGE_TARGET = 500
# The board's day (issue 14): p95 under 200 ms for every page, at 50 users.
BOARD_DAY_TARGET = 200

MAKE_ACCOUNTS = """
from itertools import cycle
from django.contrib.auth.models import Group, User
from actions import roles
from actions.models import OwnerRole, RoleHolding
import datetime, os
template = User(username="template")
template.set_password(os.environ["LOAD_PASSWORD"])  # one hash, so 600 accounts take no time
board, officers = Group.objects.get(name=roles.BOARD_MEMBER), Group.objects.get(name=roles.OFFICER)
owning = cycle(OwnerRole.objects.filter(action_owners__isnull=False).distinct().order_by("pk"))
# Each has set up an authenticator app (one key for all, so locust computes the codes).
from django_otp.plugins.otp_totp.models import TOTPDevice
def app_for(user):
    TOTPDevice.objects.create(user=user, name="Authenticator app", key=os.environ["LOAD_TOTP_KEY"])
for n in range(1, int(os.environ["LOAD_BOARD"]) + 1):
    user = User.objects.create(username=f"load-board-member-{n:03d}", password=template.password)
    user.groups.add(board)
    app_for(user)
for n in range(1, int(os.environ["LOAD_OFFICERS"]) + 1):
    user = User.objects.create(username=f"load-officer-{n:03d}", password=template.password)
    user.groups.add(officers)
    app_for(user)
    RoleHolding.objects.create(user=user, role=next(owning), held_from=datetime.date(2018, 1, 1))
# The WSOA closed on 20 November 2019; the load test's officers record on it as if it were
# live, so it is reopened first, as an administrator would in the admin.
from actions.models import PlanLife
life = PlanLife.objects.get(plan__slug="wsoa-2018")
life.status, life.closed_on, life._change_reason = "live", None, "Reopened for the load test"
life.save()
"""


def run(*command, env, **kwargs):
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def fresh_database():
    admin = psycopg2.connect(dbname="postgres", user="postgres", host="127.0.0.1", port=5432)
    admin.autocommit = True
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin.cursor().execute(f'CREATE DATABASE "{DATABASE}"')
    admin.close()


def self_signed_certificate():
    folder = ROOT / ".tls"
    if not (folder / "cert.pem").exists():
        folder.mkdir(exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip


def wait_until_healthy(url, seconds=30):
    context = ssl._create_unverified_context()  # our own self-signed certificate
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, context=context, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def report(prefix, users):
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(f"\n{users} users: {float(total['Requests/s']):.1f} requests/s, "
          f"{total['Request Count']} requests, {total['Failure Count']} errors")  # fmt: skip
    print(f"{'page':<28}{'requests':>9}{'errors':>8}{'p50':>7}{'p95':>7}{'p99':>7}  target p95")
    missed = []
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        target = SLOW_PAGES.get(row["Name"], PAGE_TARGET)
        p95 = int(row["95%"] or 0)
        met = "met" if p95 < target else "MISSED"
        if p95 >= target:
            missed.append(row["Name"])
        print(f"{row['Name']:<28}{row['Request Count']:>9}{row['Failure Count']:>8}"
              f"{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}  <{target} ms {met}")  # fmt: skip
    errors = int(total["Failure Count"])
    print(f"errors: {errors}; p95 targets missed: {', '.join(missed) or 'none'}")
    slow = [
        row["Name"]
        for row in rows
        if row["Name"] != "Aggregated" and int(row["95%"] or 0) >= BOARD_DAY_TARGET
    ]
    print(f"board's day, p95 < {BOARD_DAY_TARGET} ms on every page: "
          f"{'missed by ' + ', '.join(slow) if slow else 'met'}")  # fmt: skip
    failures = Path(f"{prefix}_failures.csv").read_text().splitlines()[1:]
    for line in failures[:10]:
        print("  failure:", line)
    return errors == 0 and not missed


def aggregated(prefix):
    rows = csv.DictReader(open(f"{prefix}_stats.csv"))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return float(total["Requests/s"]), int(total["95%"] or 0), int(total["Failure Count"])


def prepare(env):
    """The database made anew as production has it: the owner and app roles, migrated as
    the owner, the record loaded and the accounts made (MAKE_ACCOUNTS, from `env`) as the
    app; static files collected; a self-signed certificate for gunicorn's HTTPS."""
    fresh_database()
    self_signed_certificate()
    manage = [str(BIN / "python"), "manage.py"]
    quiet = {"stdout": subprocess.DEVNULL}
    as_superuser = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}"}
    as_owner = {**env, "DATABASE_URL": f"postgres://{OWNER_ROLE}@127.0.0.1:5432/{DATABASE}"}
    roles = ["--owner-role", OWNER_ROLE, "--app-role", APP_ROLE]
    run(*manage, "create_database_roles", *roles, env=as_superuser, **quiet)
    run(*manage, "migrate", "--no-input", env=as_owner, **quiet)
    run(*manage, "createcachetable", env=as_owner, **quiet)
    run(*manage, "load_record", env=env, **quiet)
    run(*manage, "collectstatic", "--no-input", env=env, **quiet)
    run(*manage, "shell", "-c", MAKE_ACCOUNTS, env=env, **quiet)


def locust(users, seconds, prefix, env):
    subprocess.run(
        [str(BIN / "locust"), "-f", "benchmarks/locustfile.py", "--headless",
         "--users", str(users), "--spawn-rate", str(max(2, users // 25)),
         "--run-time", f"{seconds}s", "--stop-timeout", "10",
         "--host", f"https://{SERVER}", "--csv", prefix, "--only-summary",
         "--loglevel", "WARNING"],
        env=env, cwd=ROOT, timeout=seconds + 120, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def ramp(steps, seconds, env):
    """Each step's users for `seconds`; the step where p95 first reaches PAGE_TARGET."""
    print(f"{'users':>6}{'requests/s':>12}{'p95 ms':>8}{'errors':>8}")
    crossed = None
    for users in steps:
        prefix = str(RESULTS / f"ramp-{users}")
        locust(users, seconds, prefix, env)
        rate, p95, errors = aggregated(prefix)
        print(f"{users:>6}{rate:>12.1f}{p95:>8}{errors:>8}", flush=True)
        if p95 >= PAGE_TARGET:
            crossed = (users, rate)
            break
    if crossed:
        print(f"p95 crosses {PAGE_TARGET} ms at {crossed[0]} users, {crossed[1]:.1f} requests/s")
    else:
        print(f"p95 stayed under {PAGE_TARGET} ms up to {steps[-1]} users: ramp further")
    return crossed is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ramp", default="", help="users per step, e.g. 10,20,40,80,160")
    args = parser.parse_args()
    steps = [int(n) for n in args.ramp.split(",") if n.strip()]
    if steps:
        args.users = max(steps)  # accounts for the largest step
    officers = max(1, args.users * 3 // 10)
    password = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{APP_ROLE}@127.0.0.1:5432/{DATABASE}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": SERVER,
        "LOAD_PASSWORD": password,
        "LOAD_TOTP_KEY": secrets.token_hex(20),
        "LOAD_BOARD": str(args.users - officers),
        "LOAD_OFFICERS": str(officers),
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("DJANGO_BEHIND_PROXY", None)
    RESULTS.mkdir(exist_ok=True)
    print(f"Preparing {DATABASE}: migrate, load the record, {args.users} accounts ...")
    prepare(env)
    # As the nightly job would have done (README: Production).
    run(str(BIN / "python"), "manage.py", "prepare_board_pack", env=env)

    log = open(RESULTS / f"gunicorn-{args.users}.log", "w")
    # As `make production` serves: gunicorn with the job worker beside it (the board
    # pack's renders are jobs).
    server = subprocess.Popen(
        [str(BIN / "python"), "manage.py", "beside_worker", "--",
         str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_healthy(f"https://{SERVER}/health/")
        if steps:
            print(f"Ramp {steps} users, {args.seconds} s a step, against https://{SERVER} ...")
            found = ramp(steps, args.seconds, env)
        else:
            prefix = str(RESULTS / f"run-{args.users}")
            print(f"Running {args.users} users for {args.seconds} s against https://{SERVER} ...")
            locust(args.users, args.seconds, prefix, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=40)
    server_errors = sum(status in (500, 503) for status in statuses(log.name))
    packs = Counter(statuses(log.name, "/actions/board-pack.pdf"))
    pack_words = ", ".join(f"{n} answered {status}" for status, n in sorted(packs.items()))
    summary = (
        f"gunicorn answered {server_errors} requests with 500/503 (log: {log.name}); "
        f"board pack: {pack_words or 'not asked for'} (202: being prepared)"
    )
    if steps:
        print(summary)
        sys.exit(0 if found else 1)
    passed = report(prefix, args.users)
    print(summary)
    sys.exit(0 if passed else 1)


def statuses(log_path, request_path=None):
    """The status of each request in the server's log (its JSON "request" lines); with
    `request_path`, of the requests for that path only."""
    for line in open(log_path):
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # gunicorn's own lines
        if not isinstance(entry, dict) or entry.get("event") != "request":
            continue
        if request_path is None or entry.get("path") == request_path:
            yield entry.get("status")


if __name__ == "__main__":
    main()
