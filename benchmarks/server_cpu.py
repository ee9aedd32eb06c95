"""Server CPU per request in production mode, as the issue measured it: gunicorn (one
worker, one thread) over HTTPS on PostgreSQL with the real record, a signed-in board
member, each page's CPU read from the worker's own threads (/proc/<pid>/task/*/schedstat,
nanoseconds) around each batch of 5 sequential requests, the pages taking turns batch by
batch, and its ratio to /health/ in the same round (absolute times on this shared machine
are noisy; ratios measured side by side are not).

    .venv/bin/python benchmarks/server_cpu.py [--requests 40]

A tree without the second factor signs in with the password alone: the closing note's
"before" figures came from this script (at f554ba7, before it shared load_test.prepare)
copied into a checkout of 57cfb26.

It builds its database as the load test does (benchmarks/load_test.py: wsoa_load, dropped
and made anew) and stops gunicorn at the end. "grid (cached)" is the grid page again once
its section is in the page cache; "as at a past day (uncached)" asks for another day each
time, so that every request builds the grid (from the ratings' history).
"""

import argparse
import datetime
import http.cookiejar
import os
import re
import secrets
import signal
import ssl
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from itertools import cycle
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load_test import (  # noqa: E402
    APP_ROLE,
    BIN,
    DATABASE,
    ROOT,
    prepare,
    wait_until_healthy,
)

SERVER = "127.0.0.1:8445"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FINDING = re.compile(r'href="(/findings/\d+/)"')


def opener():
    context = ssl._create_unverified_context()  # our own self-signed certificate
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(jar)
    )


def get(browser, path):
    with browser.open(f"https://{SERVER}{path}", timeout=120) as response:
        return response.status, response.read().decode()


def post(browser, path, fields):
    _, page = get(browser, path)
    token = CSRF.search(page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    request = urllib.request.Request(
        f"https://{SERVER}{path}", data=data, headers={"Referer": f"https://{SERVER}{path}"}
    )
    with browser.open(request, timeout=60) as response:
        return urllib.parse.urlsplit(response.geturl()).path  # where the redirects ended


def cpu_ns(pid):
    """CPU the worker's threads have used so far, in nanoseconds."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended: gunicorn's threads live as long as the worker
    return total


def per_request_ms(browser, pid, paths, count):
    """Mean worker CPU per request over the next `count` requests from `paths` (an
    iterator: a page asked for another day each time never repeats one), after one
    unmeasured request of the same page: the previous page's garbage, collected by
    whichever request comes next, is not counted against this one."""
    get(browser, next(paths))
    before = cpu_ns(pid)
    for _ in range(count):
        path = next(paths)
        status, _ = get(browser, path)
        assert status == 200, (path, status)
    return (cpu_ns(pid) - before) / count / 1e6


def measure(pages, pid, requests, batch=5):
    """{page: (median ms, median ratio to /health/)} over rounds of `batch` requests of
    each page in turn, so that a moment when the machine is busier weighs on every page
    of that round alike; each ratio is of one round's page to the same round's /health/."""
    paths = {name: iter(urls) for name, (_, urls) in pages.items()}
    for name, (browser, _) in pages.items():
        get(browser, next(paths[name]))  # warm: templates compiled, connection open
    rounds = {name: [] for name in pages}
    for _ in range(max(1, requests // batch)):
        for name, (browser, _) in pages.items():
            rounds[name].append(per_request_ms(browser, pid, paths[name], batch))
    health = rounds["/health/"]
    return {
        name: (
            statistics.median(times),
            statistics.median(t / h for t, h in zip(times, health, strict=True)),
        )
        for name, times in rounds.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    args = parser.parse_args()
    password = secrets.token_urlsafe(16)
    key = secrets.token_hex(20)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{APP_ROLE}@127.0.0.1:5432/{DATABASE}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": SERVER,
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "LOAD_PASSWORD": password,
        "LOAD_TOTP_KEY": key,
        "LOAD_BOARD": "1",
        "LOAD_OFFICERS": "1",
    }
    for name in ("DJANGO_DEBUG", "DJANGO_BEHIND_PROXY"):
        env.pop(name, None)
    print(f"Preparing {DATABASE}: migrate, load the record, accounts ...", flush=True)
    prepare(env)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_healthy(f"https://{SERVER}/health/")
        time.sleep(1)
        worker = int(subprocess.check_output(["pgrep", "-P", str(server.pid)]).split()[0])
        from django_otp.oath import totp

        anonymous, board = opener(), opener()
        landed = post(
            board, "/sign-in/", {"username": "load-board-member-001", "password": password}
        )
        if landed == "/sign-in/code/":  # the second factor (a tree without it lands at home)
            post(board, "/sign-in/code/", {"code": f"{totp(bytes.fromhex(key)):06d}"})
        _, findings = get(board, "/findings/")
        pages = {
            "/health/": (anonymous, cycle(["/health/"])),
            "/progress/ (anonymous)": (anonymous, cycle(["/progress/"])),
            "a weakness page": (board, cycle([FINDING.search(findings).group(1)])),
            "/actions/ (cached)": (board, cycle(["/actions/"])),
            "/actions/grid/ (cached)": (board, cycle(["/actions/grid/"])),
            "/actions/grid/ as at a past day (uncached)": (
                board,
                [
                    f"/actions/grid/?as_at={datetime.date(2026, 11, 30) - datetime.timedelta(n)}"
                    for n in range(args.requests * 2 + 1)
                ],
            ),  # fmt: skip
        }
        print(
            f"Worker CPU per request, {args.requests} requests each in rounds of 5 requests "
            "a page, the pages by turns (medians of the rounds), gunicorn on PostgreSQL"
        )
        print("| page | server CPU per request | ratio to /health/ |\n|---|---|---|")
        for name, (ms, ratio) in measure(pages, worker, args.requests).items():
            print(f"| {name} | {ms:.1f} ms | {ratio:.1f}x |", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=40)


if __name__ == "__main__":
    main()
