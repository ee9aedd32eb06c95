"""The audit is tamper-evident: each history row has a seal, a SHA-256 over the row and the
previous seal, written in the same transaction; `manage.py verify_audit` recomputes the
chain and names the first break (issue 12, item 3).

To tamper, these tests do what only the tables' owner could: lift the append-only guards
(inside the test's transaction, so nothing outlives the test) and change rows directly.
"""

import threading
import time
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from reviews.models import Area
from tests.factories import RatingFactory
from wsoa_tracker import audit_chain, history_guard
from wsoa_tracker.models import AuditSeal


def verify():
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def sealed_tables():
    return [m for m in history_guard.append_only_models(apps) if m is not AuditSeal]


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def recorded(db):
    """A few changes: ratings (with their users, roles and actions) and an edited area."""
    ratings = [RatingFactory() for _ in range(3)]
    area = Area.objects.get()
    area.name = "Renamed area"
    area.save()
    return ratings


@pytest.fixture
def guards_lifted(recorded):
    history_guard.remove(connection, history_guard.history_tables(apps))


def test_every_history_row_has_one_seal(recorded):
    rows = sum(model.objects.count() for model in sealed_tables())
    assert rows > 10
    assert AuditSeal.objects.count() == rows
    output = verify()
    assert f"The audit chain is intact: {rows} history rows sealed" in output
    assert AuditSeal.objects.order_by("-id").first().digest in output  # the head, to note


def test_the_seals_form_one_chain(recorded):
    seals = list(AuditSeal.objects.order_by("id"))
    assert seals[0].previous == audit_chain.GENESIS
    assert [seal.previous for seal in seals[1:]] == [seal.digest for seal in seals[:-1]]


def test_an_altered_history_row_is_named(recorded, guards_lifted):
    rating = recorded[1]
    row = rating.history.get()
    raw(
        "UPDATE actions_historicalrating SET rating = 'green' WHERE history_id = %s",
        [row.history_id],
    )
    with pytest.raises(CommandError, match=f"actions_historicalrating {row.history_id}.*altered"):
        verify()


def test_a_removed_history_row_is_named(recorded, guards_lifted):
    row = recorded[1].history.get()
    raw("DELETE FROM actions_historicalrating WHERE history_id = %s", [row.history_id])
    with pytest.raises(CommandError, match=f"actions_historicalrating {row.history_id}.*removed"):
        verify()


def test_a_history_row_added_behind_the_apps_back_is_named(recorded, guards_lifted):
    row = recorded[1].history.get()
    forged = type(row).objects.get(pk=row.pk)
    forged.pk = None
    forged.history_change_reason = "forged"
    forged.save()  # a plain save of a history row: no seal
    with pytest.raises(CommandError, match=f"actions_historicalrating {forged.pk}.*no seal"):
        verify()


def test_a_removed_or_reordered_seal_breaks_the_chain(recorded, guards_lifted):
    seals = list(AuditSeal.objects.order_by("id"))
    middle = seals[len(seals) // 2]
    raw("DELETE FROM wsoa_tracker_auditseal WHERE id = %s", [middle.pk])
    with pytest.raises(CommandError, match="chain is broken at seal"):
        verify()


def test_swapped_history_rows_are_named(recorded, guards_lifted):
    first, second = (rating.history.get() for rating in recorded[:2])
    # Give each row the other's content, keeping the ids: a re-ordering.
    raw(
        "UPDATE actions_historicalrating SET commentary = %s WHERE history_id = %s",
        [second.commentary + " (moved)", first.history_id],
    )
    with pytest.raises(CommandError, match=f"actions_historicalrating {first.history_id}"):
        verify()


def test_the_chain_is_intact_after_loading_the_record(db):
    call_command("load_record", stdout=StringIO())
    assert "intact" in verify()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's IMMEDIATE transactions let one writer in at a time (and the test "
    "database, in memory with a shared cache, refuses a second writer at once)",
)
@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_do_not_fork_the_chain():
    """The first writer holds its transaction open after writing history; the second
    writes meanwhile. The second's seal must follow the first's, not the same head."""
    Area.objects.create(slug="first", name="First")
    first_wrote, release = threading.Event(), threading.Event()
    failures = []

    def writer(slug, before=None, hold=None):
        try:
            if before:
                before.wait(10)
            with transaction.atomic():
                area = Area.objects.get(slug="first") if slug == "first" else Area(slug=slug)
                area.name = f"Written by {slug}"
                area.save()
                if hold:
                    first_wrote.set()
                    hold.wait(10)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=writer, args=("first",), kwargs={"hold": release}),
        threading.Thread(target=writer, args=("second",), kwargs={"before": first_wrote}),
    ]
    for thread in threads:
        thread.start()
    first_wrote.wait(10)
    time.sleep(0.5)  # the second writer is now writing (or waiting for the chain)
    release.set()
    for thread in threads:
        thread.join(20)
    assert failures == []
    assert "intact" in verify()
    assert AuditSeal.objects.count() == 3
