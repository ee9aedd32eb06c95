"""Delivering the outbox through GOV.UK Notify's real client against the local stand-in
(tests/notify_stand_in.py): sent once however often it is delivered; Notify's documented
errors retried (429, 500, a connection that fails) or reported (400, 403) with the message
kept; and the stand-in checking the client's JWT and request as Notify does."""

import datetime
import logging
import time

import jwt
import pytest
import requests
import time_machine
from django.urls import reverse
from django.utils import timezone
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from actions.models import Notification, NotificationKind, NotificationStatus
from actions.notify import deliver, deliver_pending, outbox
from tests.factories import UserFactory
from tests.notify_stand_in import API_KEY, SECRET, SERVICE_ID, TEMPLATE_ID

pytestmark = pytest.mark.django_db


def waiting(user=None, key="test-1", **fields):
    return Notification.objects.create(
        user=user or UserFactory(username="dana"),
        kind=NotificationKind.UPDATE_SUBMITTED,
        subject="WSOA Tracker: A1.1 July 2018 awaits your approval",
        body="Ann has submitted an update.\n\nhttp://127.0.0.1:8000/actions/1/",
        link="http://127.0.0.1:8000/actions/1/",
        key=key,
        **fields,
    )


def test_a_message_goes_through_notify_with_the_template_and_is_marked_sent(notify_stand_in):
    notification = waiting()
    assert deliver(notification.pk) == NotificationStatus.SENT
    (sent,) = notify_stand_in.messages
    assert sent["email_address"] == "dana@example.org"
    assert sent["template"]["id"] == TEMPLATE_ID
    assert sent["content"]["subject"] == notification.subject
    assert sent["content"]["body"] == notification.body
    assert sent["reference"] == "test-1"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.provider_id == sent["id"]
    assert notification.attempts == 1 and notification.sent_at and not notification.last_error


def test_delivering_twice_sends_once(notify_stand_in):
    notification = waiting()
    deliver(notification.pk)
    assert deliver(notification.pk) is None
    assert deliver_pending() == {}
    assert len(notify_stand_in.messages) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_a_message_held_by_another_sender_is_left_to_it(notify_stand_in):
    notification = waiting(claimed_until=timezone.now() + datetime.timedelta(minutes=1))
    assert deliver(notification.pk) is None
    assert deliver_pending() == {}
    assert notify_stand_in.messages == []


@pytest.mark.parametrize(
    ("status", "error"), [(429, "RateLimitError"), (500, "Exception: Internal server error")]
)
def test_rate_limit_and_server_errors_are_retried_and_the_message_kept(
    notify_stand_in, status, error, caplog
):
    notification = waiting()
    notify_stand_in.fail_next(status)
    with pytest.raises(outbox.NotSentYet):  # the job runner retries it
        deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.RETRYING
    assert notification.attempts == 1
    assert notification.last_error.startswith(f"{status} ") and error in notification.last_error
    assert notification.body.startswith("Ann has submitted")
    assert "notification_retry" in caplog.text
    # The sweep waits before trying again (2 minutes after the first attempt), then sends.
    assert deliver_pending() == {}
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        assert deliver_pending() == {NotificationStatus.SENT: 1}
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and notification.attempts == 2
    assert len(notify_stand_in.messages) == 1


def test_notify_out_of_reach_is_retried(settings, notify_stand_in):
    notify_stand_in.stop()
    notification = waiting()
    with pytest.raises(outbox.NotSentYet):
        deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.RETRYING
    assert notification.last_error.startswith("503 ")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "400 BadRequestError: Can't send to this recipient using a team-only API key"),
        (403, "403 AuthError: Invalid token: API key not found"),
    ],
)
def test_bad_request_and_auth_errors_are_reported_not_retried(
    notify_stand_in, status, error, caplog
):
    notification = waiting()
    notify_stand_in.fail_next(status)
    with caplog.at_level(logging.ERROR, logger="wsoa_tracker.notify"):
        assert deliver(notification.pk) == NotificationStatus.FAILED
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.last_error == error
    assert f"notification_failed id={notification.pk}" in caplog.text
    assert deliver(notification.pk) is None and deliver_pending() == {}  # never again
    assert notify_stand_in.messages == []


def test_an_address_notify_refuses_is_reported(notify_stand_in):
    notification = waiting(user=UserFactory(username="typo", email="dana@example"))
    assert deliver(notification.pk) == NotificationStatus.FAILED
    notification.refresh_from_db()
    assert notification.last_error == (
        "400 ValidationError: email_address Not a valid email address"
    )


def test_an_account_with_no_address_is_reported(notify_stand_in):
    notification = waiting(user=UserFactory(username="nomail", email=""))
    assert deliver(notification.pk) == NotificationStatus.FAILED
    notification.refresh_from_db()
    assert notification.last_error == "The account has no e-mail address"


def test_after_the_last_attempt_a_retryable_error_is_reported(notify_stand_in):
    notification = waiting(status=NotificationStatus.RETRYING, attempts=outbox.MAX_ATTEMPTS - 1)
    notify_stand_in.fail_next(429)
    assert deliver(notification.pk) == NotificationStatus.FAILED
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert f"gave up after {outbox.MAX_ATTEMPTS} tries" in notification.last_error


def test_smtp_is_used_without_a_notify_key_and_its_failures_are_retried(settings, mailoutbox):
    settings.NOTIFY_API_KEY = ""
    notification = waiting()
    assert deliver(notification.pk) == NotificationStatus.SENT
    assert [(m.subject, m.to) for m in mailoutbox] == [(notification.subject, ["dana@example.org"])]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    second = waiting(key="test-2")
    with pytest.raises(outbox.NotSentYet):
        deliver(second.pk)
    second.refresh_from_db()
    assert second.status == NotificationStatus.RETRYING and second.last_error.startswith("SMTP:")


def test_a_submitted_update_reaches_its_approver_through_notify_and_the_page_still_saves(
    client, officer, owned_action, approver, notify_stand_in, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    form = {"month": "2018-07", "rating": "amber", "commentary": "Moving", "evidence": "Minutes"}
    url = reverse("actions:rating-create", args=[owned_action.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
    (sent,) = notify_stand_in.messages
    assert sent["email_address"] == approver.email
    assert "/approve/" in sent["content"]["body"]
    # Notify down while the next is submitted: the officer's save stands, the message waits.
    notify_stand_in.fail_next(500)
    form["month"] = "2018-08"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
    assert owned_action.ratings.count() == 2
    retrying = Notification.objects.get(status=NotificationStatus.RETRYING)
    assert "August 2018" in retrying.subject


# The stand-in itself: it checks the JWT and the body as Notify does.


def post(stand_in, token, body=None):
    return requests.post(
        f"{stand_in.url}/v2/notifications/email",
        json=body
        or {
            "email_address": "a@example.org",
            "template_id": TEMPLATE_ID,
            "personalisation": {"subject": "s", "body": "b"},
        },
        headers={"Authorization": f"Bearer {token}"} if token else {},
        timeout=5,
    )


def token(secret=SECRET, iss=SERVICE_ID, iat=None, algorithm="HS256"):
    return jwt.encode({"iss": iss, "iat": iat or int(time.time())}, secret, algorithm=algorithm)


def errors(response):
    return [(e["error"], e["message"]) for e in response.json()["errors"]]


def test_the_stand_in_accepts_the_clients_token_and_answers_as_notify(notify_stand_in):
    response = post(notify_stand_in, token())
    assert response.status_code == 201
    assert set(response.json()) == {"id", "reference", "content", "uri", "template"}
    listed = requests.get(f"{notify_stand_in.url}/_stand-in/messages", timeout=5).json()
    assert [m["id"] for m in listed["messages"]] == [response.json()["id"]]


@pytest.mark.parametrize(
    ("bad", "status", "message"),
    [
        (
            lambda: token(secret="not-the-secret-0000-0000-000000000000"),
            403,
            "Invalid token: API key not found",
        ),
        (
            lambda: token(iss="8a7b6c5d-0000-4000-8000-000000000000"),
            403,
            "Invalid token: service not found",
        ),
        (
            lambda: token(iat=int(time.time()) - 120),
            403,
            "Error: Your system clock must be accurate to within 30 seconds",
        ),
        (
            lambda: token(iat=int(time.time()) + 120),
            403,
            "Error: Your system clock must be accurate to within 30 seconds",
        ),
        ("not.a.jwt", 403, "Invalid token: signature, api token not found"),
        (None, 401, "Unauthorized: authentication token must be provided"),
    ],
    ids=["wrong-secret", "unknown-service", "too-old", "in-the-future", "garbage", "none"],
)
def test_the_stand_in_rejects_a_bad_token(notify_stand_in, bad, status, message):
    # Tokens are made as the test runs, not when it is collected: "too old" and "in the
    # future" are measured from now.
    response = post(notify_stand_in, bad() if callable(bad) else bad)
    assert response.status_code == status
    assert errors(response) == [("AuthError", message)]
    assert notify_stand_in.messages == []


def test_the_stand_in_checks_the_body(notify_stand_in):
    def sent(**body):
        return errors(post(notify_stand_in, token(), body))

    good = {"email_address": "a@example.org", "template_id": TEMPLATE_ID}
    assert sent(template_id=TEMPLATE_ID) == [
        ("ValidationError", "email_address is a required property")
    ]
    assert sent(**{**good, "template_id": "nope"}) == [
        ("ValidationError", "template_id is not a valid UUID")
    ]
    assert sent(**{**good, "personalisation": {"subject": "s"}}) == [
        ("BadRequestError", "Missing personalisation: body")
    ]
    assert sent(**{**good, "template_id": "8a7b6c5d-0000-4000-8000-000000000000"}) == [
        ("BadRequestError", "Template not found")
    ]
    assert sent(**{**good, "personalisation": {"subject": "s", "body": "b"}, "reference": 5}) == [
        ("ValidationError", "reference 5 is not of type string, null")
    ]


def test_the_real_client_with_a_wrong_key_is_refused(notify_stand_in):
    wrong = API_KEY[:-36] + "00000000-0000-4000-8000-000000000000"
    client = NotificationsAPIClient(wrong, base_url=notify_stand_in.url)
    with pytest.raises(HTTPError) as raised:
        client.send_email_notification(email_address="a@example.org", template_id=TEMPLATE_ID)
    assert raised.value.status_code == 403


def test_an_administrator_sends_a_reported_message_again_from_the_admin(
    client, administrator, notify_stand_in, django_capture_on_commit_callbacks
):
    failed = waiting(status=NotificationStatus.FAILED, attempts=1, last_error="403 AuthError")
    sent = waiting(key="test-2", status=NotificationStatus.SENT, sent_at=timezone.now())
    client.force_login(administrator)
    url = reverse("admin:actions_notification_changelist")
    assert failed.subject in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "send_again", "_selected_action": [failed.pk, sent.pk]}
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.SENT
    assert [m["reference"] for m in notify_stand_in.messages] == ["test-1"]
