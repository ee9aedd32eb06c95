"""`make benchmark` runs with the history guards in place and leaves no database behind,
whether it finishes or fails part-way."""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent


def run_benchmark(prefix, folder, *arguments):
    env = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-W", "ignore", "benchmarks/grid.py", "--prefix", prefix,
         "--folder", str(folder), "--runs", "1", "--pack-sizes", "none", *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def left_behind(prefix, folder):
    """Throwaway files, or PostgreSQL databases, of this prefix that still exist."""
    left = [str(path) for path in folder.glob("**/*")] if folder.exists() else []
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        settings = dj_database_url.parse(url)
        server = psycopg2.connect(
            dbname="postgres", user=settings["USER"], host=settings["HOST"] or None,
            port=settings["PORT"] or None, password=settings["PASSWORD"] or None,
        )  # fmt: skip
        with server, server.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{prefix}%"])
            left += [row[0] for row in cursor.fetchall()]
        server.close()
    return left


def prefix_for_this_run():
    url = os.environ.get("DATABASE_URL", "").strip()
    name = dj_database_url.parse(url)["NAME"] if url else "wsoa"
    return f"{name}_bench_test"


def test_the_benchmark_prints_its_table_and_leaves_nothing_behind(tmp_path):
    prefix, folder = prefix_for_this_run(), tmp_path / "benchmark"
    result = run_benchmark(prefix, folder, "--sizes", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("| 1x |")]
    assert len(table) == 1, result.stdout
    assert "History is append-only" not in result.stderr
    assert left_behind(prefix, folder) == []


def test_a_benchmark_that_fails_part_way_leaves_nothing_behind(tmp_path):
    prefix, folder = prefix_for_this_run(), tmp_path / "benchmark"
    result = run_benchmark(prefix, folder, "--sizes", "1,huge")
    assert result.returncode != 0
    assert "Sizes are 'record' or whole numbers, not huge" in result.stderr
    assert left_behind(prefix, folder) == []
