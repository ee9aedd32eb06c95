"""Migration 0006 on existing data: published WSOA ratings become accepted (the board
published them), officers' updates recorded before reviews existed wait for review, and
the new constraints hold on what was there."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("actions", "0005_measure_permissions")]
AFTER = [("actions", "0006_review_flow")]


@pytest.mark.django_db(transaction=True)
def test_existing_ratings_are_read_as_the_issue_says():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    area = apps.get_model("reviews", "Area").objects.create(slug="shire", name="Shire")
    review = apps.get_model("reviews", "Review").objects.create(
        area=area,
        slug="inspection",
        title="Inspection",
        kind="joint_inspection",
        bodies="Ofsted",
        start_date=datetime.date(2017, 9, 25),
        end_date=datetime.date(2017, 9, 29),
        outcome="x",
        source_document="x",
    )
    finding = apps.get_model("weaknesses", "Finding").objects.create(
        review=review, code="A", position=1, kind="significant_weakness", text="x", source="x"
    )
    plan = apps.get_model("actions", "Plan").objects.create(
        area=area,
        slug="wsoa",
        title="WSOA",
        short_name="WSOA",
        first_quarter_end=datetime.date(2018, 3, 31),
        last_quarter_end=datetime.date(2019, 3, 31),
        source="x",
    )
    required_outcome = apps.get_model("actions", "RequiredOutcome").objects.create(
        plan=plan, weakness=finding, number=1, title="x"
    )
    action = apps.get_model("actions", "Action").objects.create(
        required_outcome=required_outcome, number=1, text="x"
    )
    user = apps.get_model("auth", "User").objects.create(username="officer")
    Rating = apps.get_model("actions", "Rating")
    Rating.objects.create(
        action=action,
        month=datetime.date(2018, 3, 1),
        rating="green",
        source="published_document",
        recorded_at=timezone.now(),
    )
    Rating.objects.create(
        action=action,
        month=datetime.date(2018, 4, 1),
        rating="amber",
        commentary="x",
        source="user",
        recorded_by=user,
        recorded_at=timezone.now(),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Rating = executor.loader.project_state(AFTER).apps.get_model("actions", "Rating")
    assert sorted(Rating.objects.values_list("source", "review_status", "accepted_rating")) == [
        ("published_document", "accepted", "green"),
        ("user", "submitted", ""),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
