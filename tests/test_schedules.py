"""The schedules (wsoa_tracker/schedules.py): synced into the job runner, idempotently;
each runs its job through jobs.run once when due; and when two schedulers, each with its
own database connection, race for the same due schedules, each schedule makes one job."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone
from django_q import scheduler as django_q_scheduler
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule, Success

from wsoa_tracker import jobs, schedules

# Collected before the test database is migrated (which makes the schedules): a suite
# that runs past a schedule's time (02:00) finds its next run in the past by then, as a
# server does, but never before this.
COLLECTED = timezone.now()


@pytest.mark.django_db
def test_the_schedules_are_in_the_runner_after_migrate_and_sync_again_changes_nothing():
    made = {s.name: s for s in Schedule.objects.all()}
    assert set(made) == {planned.name for planned in schedules.SCHEDULES}
    for planned in schedules.SCHEDULES:
        schedule = made[planned.name]
        assert schedule.func == jobs.RUN and schedule.args == repr((planned.task,))
        assert schedule.repeats == -1
        next_run = timezone.localtime(schedule.next_run)
        if planned.every == "minute":  # a minute after the migrate, however long ago
            assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 1
            assert next_run.second == 0
            continue
        assert next_run.time() == planned.at and next_run > COLLECTED
        if planned.every == "month":
            assert schedule.schedule_type == Schedule.MONTHLY and next_run.day == 1
        else:
            assert schedule.schedule_type == Schedule.DAILY
    assert schedules.sync() == []
    assert {s.name: s.next_run for s in Schedule.objects.all()} == {
        name: s.next_run for name, s in made.items()
    }


@pytest.mark.django_db
def test_sync_puts_a_changed_schedule_right_and_removes_one_no_longer_listed():
    Schedule.objects.filter(name="Nightly board pack").update(
        next_run=timezone.make_aware(datetime.datetime(2030, 1, 1, 3, 0))
    )
    Schedule.objects.create(name="Old job", func=jobs.RUN, args="('gone.task',)")
    assert schedules.sync() == ["Nightly board pack"]
    pack = Schedule.objects.get(name="Nightly board pack")
    assert timezone.localtime(pack.next_run).time() == datetime.time(0, 15)
    assert not Schedule.objects.filter(name="Old job").exists()


def test_the_first_run_is_the_next_local_time_and_the_first_of_the_month():
    planned = {p.name: p for p in schedules.SCHEDULES}
    now = timezone.make_aware(datetime.datetime(2026, 3, 29, 0, 30))  # the clocks go forward
    assert schedules.first_run(planned["Nightly board pack"], now) == timezone.make_aware(
        datetime.datetime(2026, 3, 30, 0, 15)
    )
    assert schedules.first_run(planned["Daily leaver deactivation"], now) == timezone.make_aware(
        datetime.datetime(2026, 3, 29, 1, 0)
    )
    assert schedules.first_run(planned["Monthly reminders"], now) == timezone.make_aware(
        datetime.datetime(2026, 4, 1, 7, 0)
    )


@pytest.mark.django_db
def test_each_due_schedule_runs_its_job_once():
    Schedule.objects.update(next_run=timezone.now() - datetime.timedelta(minutes=1))
    django_q_scheduler.scheduler(get_broker())  # the jobs run at once in the tests
    done = {task.group: task for task in Success.objects.all()}
    assert set(done) == {planned.name for planned in schedules.SCHEDULES}
    assert all(task.func == jobs.RUN for task in done.values())
    assert done["Monthly reminders"].result.startswith("0 reminders sent for ")
    assert done["Daily leaver deactivation"].result == "0 account(s) deactivated."
    assert done["Nightly board pack"].result == []  # no plan in this database
    assert Schedule.objects.filter(next_run__lt=timezone.now()).count() == 0
    django_q_scheduler.scheduler(get_broker())  # nothing is due any more
    assert Success.objects.count() == len(schedules.SCHEDULES)


def waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh, even inside a transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_make_one_job_per_schedule(monkeypatch):
    """The first scheduler is held inside its transaction, having taken the due schedules;
    the second starts then and must wait for them (seen in pg_stat_activity) rather than
    take them too. Released, the first queues each schedule's job; the second then finds
    none of them due."""
    monkeypatch.setattr(Conf, "SYNC", False)  # queued, as in production
    Schedule.objects.update(next_run=timezone.now() - datetime.timedelta(minutes=1))
    inside, release = threading.Event(), threading.Event()
    queue_job = django_q_scheduler.async_task

    def held(*args, **kwargs):
        if threading.current_thread().name == "first":
            inside.set()
            release.wait()
        return queue_job(*args, **kwargs)

    monkeypatch.setattr(django_q_scheduler, "async_task", held)

    def scheduler():
        try:
            django_q_scheduler.scheduler(get_broker())
        finally:
            connection.close()  # this thread's own connection

    first = threading.Thread(target=scheduler, name="first", daemon=True)
    second = threading.Thread(target=scheduler, name="second", daemon=True)
    first.start()
    try:
        assert inside.wait(60)
        second.start()
        deadline = time.monotonic() + 60  # a bound for a hung test, not a race
        while second.is_alive() and not waiting_for_a_lock():
            assert time.monotonic() < deadline, "the second scheduler neither waited nor ended"
            time.sleep(0.01)
        assert second.is_alive(), "the second scheduler took the schedules the first held"
    finally:
        release.set()
        first.join(60)
        if second.ident:
            second.join(60)
    assert not first.is_alive() and not second.is_alive()
    queued = sorted(task.group() for task in OrmQ.objects.all())
    assert queued == sorted(planned.name for planned in schedules.SCHEDULES)
