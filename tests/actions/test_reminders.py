import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from actions.models import Notification, Reminder, RoleHolding
from tests.factories import ActionOwnerFactory, RatingFactory, RoleHoldingFactory, UserFactory

SEPTEMBER = "2018-09-14"


def remind(date=SEPTEMBER):
    """Run the command; its digests are sent once their transaction commits."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", date=date, stdout=out)
    return out.getvalue()


def test_each_officer_is_emailed_their_due_and_overdue_actions_with_links(
    officer, owned_action, other_officer, board_member
):
    owned_action.due_date = datetime.date(2018, 6, 30)
    owned_action.save()
    rated = ActionOwnerFactory(role=owned_action.owners.get()).action
    RatingFactory(
        action=rated,
        month=datetime.date(2018, 9, 1),
        rating="green",
        evidence="Done",
        recorded_by=officer,
    )
    out = remind()
    assert "Sent to officer-a: 1 due, 1 overdue" in out
    assert "officer-x" not in out  # their role owns no action
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [officer.email]
    assert "September 2018" in email.subject
    assert f"/actions/{owned_action.pk}/update/" in email.body
    assert f"/actions/{owned_action.pk}/" in email.body
    assert rated.code not in email.body  # already rated this month, not overdue
    # The message is kept as sent, for the officer's Messages page.
    assert Notification.objects.get(user=officer).body == email.body


def test_a_second_run_in_the_same_month_sends_nothing_new(officer, owned_action):
    remind()
    assert "0 reminders sent" in remind("2018-09-28")
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1
    remind("2018-10-01")  # a new month, a new reminder
    assert len(mail.outbox) == 2


def test_officers_whose_role_has_ended_or_who_are_deactivated_get_nothing(officer, owned_action):
    RoleHolding.objects.filter(user=officer).update(held_until=datetime.date(2018, 8, 31))
    leaver = UserFactory(username="leaver", officer=True, is_active=False)
    RoleHoldingFactory(user=leaver, role=owned_action.owners.get())
    stayer = RoleHoldingFactory(user__username="stayer", role=owned_action.owners.get()).user
    out = remind()
    assert "1 reminder sent" in out and "Sent to stayer: 1 due" in out
    assert [email.to for email in mail.outbox] == [[stayer.email]]
