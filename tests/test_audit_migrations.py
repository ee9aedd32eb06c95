"""The audit's migrations on a database with a record already in it: each existing account
gets a first history row (as it stood, roles included), every history row already there
is sealed, and the chain verifies."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("wsoa_tracker", None)]


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_get_history_and_existing_history_is_sealed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(
        [node for node in executor.loader.graph.leaf_nodes() if node[0] != "wsoa_tracker"]
    ).apps
    group, _ = old.get_model("auth", "Group").objects.get_or_create(name="Board member")
    user = old.get_model("auth", "User").objects.create(username="before", first_name="Old")
    user.groups.add(group)
    area = old.get_model("reviews", "Area").objects.create(slug="shire", name="Shire")
    HistoricalArea = old.get_model("reviews", "HistoricalArea")
    for name in ("Shire", "The Shire"):
        HistoricalArea.objects.create(
            id=area.pk, slug="shire", name=name, history_date=timezone.now(), history_type="~"
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    first = get_user_model().objects.get(username="before").history.get()
    assert first.first_name == "Old"
    assert first.history_change_reason == "History begins: the account as it stood"
    assert [row.group.name for row in first.groups.all()] == ["Board member"]
    out = StringIO()
    call_command("verify_audit", stdout=out)
    # Two area rows, the account's first row and its one membership.
    assert "The audit chain is intact: 4 history rows sealed" in out.getvalue()
