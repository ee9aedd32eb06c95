"""Benchmark the board pack PDF at the real record: context, WeasyPrint layout, write_pdf.

    .venv/bin/python benchmarks/board_pack.py [--as-at 2023-03-31,...] [--profile out.prof]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/board_pack.py   # on PostgreSQL

The record is loaded (load_record) into a throwaway database (benchmarks/databases.py),
dropped at the end. For the default pack (as at today) and each --as-at day it prints the
CPU seconds (time.process_time) to build the context (queries and Python), to lay the
pack out (WeasyPrint's render) and to write the PDF (write_pdf), and the page count.
--profile writes cProfile's stats of the default pack's render and write to a file and
prints the top functions by cumulative time. --text writes the default pack's text
(pypdf) to a file, to compare the pack's words before and after a change.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsoa_tracker.test_settings")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import Plan  # noqa: E402
from actions.reports import board_pack  # noqa: E402
from actions.rules.text import printable  # noqa: E402
from benchmarks.databases import Throwaway  # noqa: E402
from benchmarks.grid import build_record  # noqa: E402

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def cpu(function, *args, **kwargs):
    start = time.process_time()
    result = function(*args, **kwargs)
    return time.process_time() - start, result


def pack_parts(query, profile=None):
    """(context s, render s, write s, pages, pdf bytes) for the pack `query` asks for."""
    from weasyprint import HTML

    plan = Plan.objects.order_by("pk").first()
    context_s, context = cpu(
        lambda: board_pack.board_pack_context(board_pack.pack_request(plan, query))
    )
    html = printable(render_to_string("actions/board_pack.html", context))
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    render_s, document = cpu(
        lambda: HTML(string=html, base_url="http://testserver/").render(**PDF_OPTIONS)
    )
    write_s, pdf = cpu(lambda: document.write_pdf(**PDF_OPTIONS))
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    return context_s, render_s, write_s, len(document.pages), pdf


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-at", default="", help="days (YYYY-MM-DD, comma-separated)")
    parser.add_argument("--profile", help="write cProfile stats of the default pack here")
    parser.add_argument("--text", help="write the default pack's text here")
    parser.add_argument("--prefix", default="wsoa_packbench")
    args = parser.parse_args()
    databases = Throwaway(args.prefix, os.getpid())
    try:
        databases.template()
        name = databases.fresh("record")
        try:
            build_record()
            pack_parts({})  # warm-up: fonts found, templates compiled
            print(f"{databases.vendor}, {timezone.now():%Y-%m-%d %H:%M} UTC")
            print(
                f"{'pack':<16}{'context s':>10}{'render s':>10}"
                f"{'write s':>9}{'total s':>9}{'pages':>7}"
            )
            days = [day for day in args.as_at.split(",") if day]
            for label, query in [("default", {})] + [(day, {"as_at": day}) for day in days]:
                profile = args.profile if label == "default" else None
                context_s, render_s, write_s, pages, pdf = pack_parts(query, profile)
                total = context_s + render_s + write_s
                print(
                    f"{label:<16}{context_s:>10.2f}{render_s:>10.2f}{write_s:>9.2f}{total:>9.2f}{pages:>7}",
                    flush=True,
                )
                if label == "default" and args.text:
                    from pypdf import PdfReader

                    reader = PdfReader(io.BytesIO(pdf))
                    text = "\n".join(page.extract_text() for page in reader.pages)
                    Path(args.text).write_text(text)
            if args.profile:
                pstats.Stats(args.profile).sort_stats("cumulative").print_stats(30)
        finally:
            databases.drop(name)
    finally:
        databases.drop_all()


if __name__ == "__main__":
    main()
