"""Background jobs (wsoa_tracker.jobs on django-q2's ORM broker): a key makes an enqueue
idempotent; a failing job is retried and then kept as failed with its arguments; an
administrator sees it and retries it, nobody else sees the job screens; every job runs
through jobs.run.

The suite runs jobs at once (Q_CLUSTER's sync); the tests of the worker turn that off and
drive the worker's own functions (the broker's dequeue, worker, monitor) one round at a
time, moving the clock past the retry delay with time-machine instead of waiting."""

import datetime
import threading
import time
from multiprocessing import Value
from queue import Queue

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Failure, OrmQ, Success
from django_q.monitor import monitor
from django_q.signing import SignedPackage
from django_q.worker import worker

from tests.factories import UserFactory
from tests.test_schedules import waiting_for_a_lock
from wsoa_tracker import jobs
from wsoa_tracker.jobs import JobKey

ran = []  # what the tasks below were called with, in order
broken = {"yes": True}


def record(*args):
    ran.append(args)
    return len(ran)


def send_or_fail(message):
    ran.append((message,))
    if broken["yes"]:
        raise ConnectionError(f"The e-mail service is down; not sent: {message}")
    return "sent"


@pytest.fixture(autouse=True)
def nothing_ran():
    ran.clear()
    broken["yes"] = True
    yield
    ran.clear()


@pytest.fixture
def queued(monkeypatch):
    """Jobs go to the queue (as in production), not run at once; an empty queue is not
    waited on."""
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "POLL", 0)
    return get_broker()


def work_once(broker):
    """One round of a worker: take what is due from the queue, run it, save the results
    (django-q2's pusher, worker and monitor, in this process)."""
    tasks, results = Queue(), Queue()
    for ack_id, payload in broker.dequeue() or []:
        task = SignedPackage.loads(payload)
        task["ack_id"] = ack_id
        task["cluster"] = Conf.CLUSTER_NAME
        tasks.put(task)
    tasks.put("STOP")
    worker(tasks, results, Value("f", -1))
    results.put("STOP")
    monitor(results, broker)


@pytest.mark.django_db
def test_a_job_runs_through_run_with_its_arguments():
    jobs.enqueue("tests.test_jobs.record", 7, "2026-12-01")
    assert ran == [(7, "2026-12-01")]
    done = Success.objects.get()
    assert done.func == jobs.RUN and done.args == ("tests.test_jobs.record", 7, "2026-12-01")
    assert done.group == "tests.test_jobs.record" and done.result == 1


@pytest.mark.django_db
def test_enqueue_with_the_same_key_twice_runs_once():
    first = jobs.enqueue("tests.test_jobs.record", 1, key="reminder:42:2026-12")
    second = jobs.enqueue("tests.test_jobs.record", 1, key="reminder:42:2026-12")
    jobs.enqueue("tests.test_jobs.record", 2, key="reminder:43:2026-12")
    assert first and second is None
    assert ran == [(1,), (2,)]
    assert JobKey.objects.count() == 2 and Success.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_key_already_queued_is_not_queued_again(queued):
    jobs.enqueue("tests.test_jobs.record", "a", key="once")
    assert jobs.enqueue("tests.test_jobs.record", "a", key="once") is None
    assert OrmQ.objects.count() == 1
    work_once(queued)
    assert jobs.enqueue("tests.test_jobs.record", "a", key="once") is None  # done: still once
    work_once(queued)
    assert ran == [("a",)] and OrmQ.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_then_reported_failed_with_its_message_kept(queued):
    jobs.enqueue("tests.test_jobs.send_or_fail", "Your update was returned")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        work_once(queued)
        failure = Failure.objects.get()
        assert failure.attempt_count == 1 and OrmQ.objects.count() == 1  # kept to retry
        work_once(queued)  # not due again before the retry delay
        assert len(ran) == 1
        for attempt in range(2, Conf.MAX_ATTEMPTS + 1):
            clock.shift(datetime.timedelta(seconds=Conf.RETRY + 1))
            work_once(queued)
            assert Failure.objects.get().attempt_count == attempt
        clock.shift(datetime.timedelta(seconds=Conf.RETRY + 1))
        work_once(queued)
    assert len(ran) == Conf.MAX_ATTEMPTS == 3
    assert OrmQ.objects.count() == 0  # no more tries: reported, not lost
    failure = Failure.objects.get()
    assert failure.args == ("tests.test_jobs.send_or_fail", "Your update was returned")
    assert "The e-mail service is down" in failure.result
    assert Success.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_job_that_fails_once_then_succeeds_is_done(queued):
    jobs.enqueue("tests.test_jobs.send_or_fail", "Your update awaits review")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        work_once(queued)
        broken["yes"] = False
        clock.shift(datetime.timedelta(seconds=Conf.RETRY + 1))
        work_once(queued)
    assert len(ran) == 2 and OrmQ.objects.count() == 0
    assert Success.objects.get().result == "sent"


FAILURES = reverse("admin:django_q_failure_changelist")
JOB_SCREENS = [
    FAILURES,
    reverse("admin:django_q_success_changelist"),
    reverse("admin:django_q_schedule_changelist"),
    reverse("admin:django_q_ormq_changelist"),
]


@pytest.mark.django_db(transaction=True)
def test_an_administrator_sees_a_failed_job_and_retries_it(
    role_groups, client, queued, monkeypatch
):
    jobs.enqueue("tests.test_jobs.send_or_fail", "Reminder for December 2026")
    monkeypatch.setattr(Conf, "MAX_ATTEMPTS", 1)
    work_once(queued)
    failure = Failure.objects.get()
    client.force_login(UserFactory(username="administrator", administrator=True))
    page = client.get(FAILURES)
    assert page.status_code == 200
    assert failure.name in page.content.decode()
    detail = client.get(reverse("admin:django_q_failure_change", args=[failure.pk]))
    assert "Reminder for December 2026" in detail.content.decode()
    assert "The e-mail service is down" in detail.content.decode()
    for url in JOB_SCREENS:
        assert client.get(url).status_code == 200, url

    broken["yes"] = False  # the service is back
    response = client.post(FAILURES, {"action": "resubmit_task", "_selected_action": [failure.pk]})
    assert response.status_code == 302
    assert Failure.objects.count() == 0 and OrmQ.objects.count() == 1  # queued again
    work_once(queued)
    assert Success.objects.get().args == (
        "tests.test_jobs.send_or_fail",
        "Reminder for December 2026",
    )
    assert ran == [("Reminder for December 2026",)] * 2


@pytest.mark.django_db
def test_officers_and_board_members_cannot_see_the_job_screens(client, officer, board_member):
    for user in (officer, board_member):
        client.force_login(user)
        for url in JOB_SCREENS:
            response = client.get(url)
            assert response.status_code == 302, (user.username, url)
            assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's unique index")
@pytest.mark.django_db(transaction=True)
def test_two_app_servers_enqueueing_one_key_at_once_make_one_job(queued):
    """One enqueue's transaction is held open with the key written; a second, on its own
    connection, must wait on the unique key (seen in pg_stat_activity), and once the
    first commits it is ignored."""
    results = []

    def second_server():
        try:
            results.append(jobs.enqueue("tests.test_jobs.record", "x", key="notification:7"))
        finally:
            connection.close()

    other = threading.Thread(target=second_server, daemon=True)
    with transaction.atomic():
        assert jobs.enqueue("tests.test_jobs.record", "x", key="notification:7")
        other.start()
        deadline = time.monotonic() + 60  # a bound for a hung test, not a race
        while other.is_alive() and not waiting_for_a_lock():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert other.is_alive(), "the second enqueue did not wait for the first's key"
    other.join(60)
    assert results == [None]
    assert JobKey.objects.count() == 1 and OrmQ.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_writes_one_job_line_with_the_id_of_the_request_that_asked_for_it(caplog):
    """An operator follows a request to its jobs: the job's lines carry the request's id."""
    from wsoa_tracker.request_log import log_context

    token = log_context.set({"request_id": "0123456789abcdef"})
    try:
        with caplog.at_level("INFO", logger="wsoa_tracker.jobs"):
            jobs.enqueue("tests.test_jobs.record", "digest", key="logged")
    finally:
        log_context.reset(token)
    lines = [r for r in caplog.records if getattr(r, "event", None) == "job"]
    assert ran == [("digest",)]
    assert len(lines) == 1
    line = lines[0]
    assert (line.task, line.status, line.request_id) == (
        "tests.test_jobs.record", "ok", "0123456789abcdef"
    )  # fmt: skip
    assert len(line.job_id) == 32
