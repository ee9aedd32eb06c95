"""`manage.py beside_worker`: the web server and the job worker start and stop together
(`make run`, `make production`)."""

import sys

from wsoa_tracker.management.commands.beside_worker import run_together, worker_command

FOREVER = [sys.executable, "-c", "import time; time.sleep(600)"]


def ends(code):
    return [sys.executable, "-c", f"import sys; sys.exit({code})"]


def test_when_the_server_stops_the_worker_is_stopped_and_the_servers_code_returned():
    assert run_together(ends(3), FOREVER) == 3


def test_when_the_worker_stops_the_server_is_stopped_too():
    assert run_together(FOREVER, ends(1)) == 1


def test_a_server_that_ends_well_returns_nothing_wrong():
    assert run_together(ends(0), FOREVER) == 0


def test_the_worker_is_the_projects_qcluster():
    python, manage, command = worker_command()
    assert python == sys.executable and manage.endswith("manage.py") and command == "qcluster"
