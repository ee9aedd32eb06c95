"""Who is told what (actions.notify.events): an update submitted tells exactly its
approvers, one returned tells its officer with the reason, the monthly digest tells each
officer once and never emptily, and an escalation tells the approvers of actions still
overdue a week after the digest; each message links to its page and says nothing its
person may not read. Only live plans."""

import datetime

import time_machine
from django.core import mail
from django.urls import reverse

from actions.models import Notification, NotificationKind, NotificationStatus, PlanLife
from actions.notify import escalate_overdue
from actions.reminders import reminder_send
from actions.services import rating_correct, rating_decide, rating_record
from tests.factories import ApproverFactory, FindingFactory, RatingFactory, UserFactory

SITE = "http://127.0.0.1:8000"


def told(kind):
    return {n.user.username: n for n in Notification.objects.filter(kind=kind)}


def weakness_approver(action, username="dana"):
    return ApproverFactory(
        user=UserFactory(username=username, board_member=True),
        finding=action.required_outcome.weakness,
    ).user


def record(action, officer, **values):
    return rating_record(
        action=action,
        month=datetime.date(2018, 7, 1),
        user=officer,
        rating=values.get("rating", "amber"),
        commentary=values.get("commentary", "Secret internal commentary"),
        evidence="Minutes",
        evidence_links="",
    )


def test_a_submitted_update_tells_exactly_its_approvers_with_a_link_to_approve_it(
    officer, owned_action, approver, board_member, other_officer, django_capture_on_commit_callbacks
):
    dana = weakness_approver(owned_action)
    ApproverFactory(user=UserFactory(username="elsewhere", board_member=True))  # a second chair
    ApproverFactory(
        user=UserFactory(username="other-weakness", board_member=True), finding=FindingFactory()
    )
    with django_capture_on_commit_callbacks(execute=True):
        rating = record(owned_action, officer)
    messages = told(NotificationKind.UPDATE_SUBMITTED)
    assert sorted(messages) == ["chair", "dana", "elsewhere"]
    link = SITE + reverse("actions:rating-approve", args=[owned_action.pk, 2018, 7])
    for notification in messages.values():
        assert notification.link == link and link in notification.body
        assert notification.status == NotificationStatus.SENT
        assert "Secret internal commentary" not in notification.body
        assert owned_action.code in notification.subject and "July 2018" in notification.subject
        assert "Ann O'Neill has submitted an update" in notification.body
    assert "weakness" in messages["dana"].body and "chair" in messages["chair"].body
    assert sorted(email.to[0] for email in mail.outbox) == [
        "chair@example.org",
        "dana@example.org",
        "elsewhere@example.org",
    ]
    assert mail.outbox[0].body == Notification.objects.get(user__email=mail.outbox[0].to[0]).body
    # A correction submits it again: told again, once more each.
    with django_capture_on_commit_callbacks(execute=True):
        rating_correct(
            original=rating,
            user=officer,
            expected_version=rating.version,
            reason="Typo",
            rating="red",
        )
    assert Notification.objects.filter(user=dana).count() == 2
    assert len(mail.outbox) == 6
    assert dana not in (officer, board_member, other_officer)


def test_the_officer_is_never_told_of_their_own_update_even_as_an_approver(
    owned_action, django_capture_on_commit_callbacks
):
    from tests.factories import RoleHoldingFactory

    chair_officer = UserFactory(username="both", chair=True, officer=True)
    RoleHoldingFactory(user=chair_officer, role=owned_action.owners.get())
    with django_capture_on_commit_callbacks(execute=True):
        record(owned_action, chair_officer)
    assert not Notification.objects.exists()


def test_a_returned_update_tells_its_officer_with_the_reason_and_a_link_to_correct_it(
    june_rating, officer, approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rating_decide(
            rating=june_rating,
            user=approver,
            expected_version=june_rating.version,
            accept=False,
            return_reason="Where is the evidence?",
        )
    (notification,) = Notification.objects.all()
    assert notification.user == officer
    assert notification.kind == NotificationKind.UPDATE_RETURNED
    link = SITE + reverse("actions:rating-correct", args=[june_rating.action_id, 2018, 6])
    assert notification.link == link and link in notification.body
    assert "Their reason: Where is the evidence?" in notification.body
    assert "Guidance drafted" not in notification.body  # the commentary stays in the tracker
    assert [email.to for email in mail.outbox] == [[officer.email]]


def test_accepting_tells_nobody(june_rating, approver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rating_decide(
            rating=june_rating, user=approver, expected_version=june_rating.version, accept=True
        )
    assert not Notification.objects.exists() and not mail.outbox


def test_nothing_is_told_about_a_plan_that_is_not_live(
    june_rating, officer, approver, django_capture_on_commit_callbacks
):
    plan = june_rating.action.required_outcome.plan
    PlanLife.objects.create(
        plan=plan,
        status="closed",
        live_from=datetime.date(2018, 3, 1),
        closed_on=datetime.date(2019, 11, 20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        rating_decide(
            rating=june_rating,
            user=approver,
            expected_version=june_rating.version,
            accept=False,
            return_reason="Why?",
        )
    assert not Notification.objects.exists()


def test_the_digest_is_one_message_per_person_and_month_and_never_empty(
    officer, owned_action, other_officer, django_capture_on_commit_callbacks
):
    today = datetime.date(2026, 12, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_send(user=officer, today=today)
        assert reminder_send(user=officer, today=datetime.date(2026, 12, 20)) is None
        assert reminder_send(user=other_officer, today=today) is None  # nothing to say
    (digest,) = Notification.objects.all()
    assert digest.user == officer and digest.kind == NotificationKind.MONTHLY_DIGEST
    assert digest.key == f"digest-{officer.pk}-2026-12"
    assert digest.link == SITE + reverse("actions:list")
    assert SITE + reverse("actions:rating-create", args=[owned_action.pk]) in digest.body
    assert [email.to for email in mail.outbox] == [[officer.email]]
    assert digest.body.strip()


def test_an_officer_with_everything_done_gets_no_digest(
    officer, owned_action, django_capture_on_commit_callbacks
):
    RatingFactory(action=owned_action, month=datetime.date(2026, 12, 1), recorded_by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_send(user=officer, today=datetime.date(2026, 12, 2)) is None
    assert not Notification.objects.exists() and not mail.outbox


def test_escalation_tells_the_approvers_of_actions_still_overdue_a_week_after_the_digest(
    officer, owned_action, approver, django_capture_on_commit_callbacks
):
    owned_action.due_date = datetime.date(2026, 10, 31)
    owned_action.save()
    dana = weakness_approver(owned_action)
    weakness_approver(RatingFactory().action, username="other-weakness")  # another weakness
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0), tick=False):
            reminder_send(user=officer, today=datetime.date(2026, 12, 1))
        assert escalate_overdue(datetime.date(2026, 12, 7)) == []  # six days: not yet
        written = escalate_overdue("2026-12-08")
        assert escalate_overdue("2026-12-09") == []  # once a month
    assert sorted(n.user.username for n in written) == ["chair", "dana"]
    for notification in written:
        assert owned_action.code in notification.body
        assert "1 December 2026" in notification.body
        assert notification.link == SITE + reverse("actions:needs-attention")
        assert SITE + owned_action.get_absolute_url() in notification.body
    assert sorted(email.to[0] for email in mail.outbox if "overdue" in email.subject) == [
        "chair@example.org",
        dana.email,
    ]


def test_no_escalation_when_the_action_was_put_right_or_there_was_no_digest(
    officer, owned_action, approver, django_capture_on_commit_callbacks
):
    owned_action.due_date = datetime.date(2026, 10, 31)
    owned_action.save()
    assert escalate_overdue("2026-12-20") == []  # no digest this month
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0), tick=False):
        reminder_send(user=officer, today=datetime.date(2026, 12, 1))
    RatingFactory(
        action=owned_action,
        month=datetime.date(2026, 12, 1),
        rating="green",
        evidence="Done",
        recorded_by=officer,
    )
    assert escalate_overdue("2026-12-20") == []
