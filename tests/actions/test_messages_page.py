"""Messages (/messages/): each person sees only what was sent to them, newest first, with
its status, paginated, in a number of queries that does not grow with the messages."""

import datetime

from django.urls import reverse
from django.utils import timezone

from actions.models import Notification, NotificationKind, NotificationStatus
from tests.helpers import assert_queries_do_not_grow

URL = reverse("messages")


def message(user, n, **fields):
    return Notification.objects.create(
        user=user,
        kind=NotificationKind.UPDATE_SUBMITTED,
        subject=f"Message {n} for {user.username}",
        body=f"Body {n}\n\nhttp://127.0.0.1:8000/actions/{n}/",
        link=f"http://127.0.0.1:8000/actions/{n}/",
        key=f"m-{user.pk}-{n}",
        created_at=timezone.now() - datetime.timedelta(hours=100 - n),
        **fields,
    )


def test_a_person_sees_only_their_own_messages_newest_first_with_status(client, officer, approver):
    message(officer, 1, status=NotificationStatus.SENT, sent_at=timezone.now())
    message(
        officer, 2, status=NotificationStatus.FAILED, last_error="The account has no e-mail address"
    )
    message(officer, 3, status=NotificationStatus.RETRYING)
    message(approver, 4)
    client.force_login(officer)
    page = client.get(URL).content.decode()
    assert "Message 4" not in page
    assert page.index("Message 3") < page.index("Message 2") < page.index("Message 1")
    assert "Not sent yet: will try again" in page and "Could not be sent" in page
    assert "Why: The account has no e-mail address" in page
    assert '<a href="http://127.0.0.1:8000/actions/1/"' in page  # the body's link, live
    assert 'href="http://127.0.0.1:8000/actions/2/">Open the page' in page
    assert "3 messages" in page
    assert f'href="{URL}">Your messages</a>' in page  # in the navigation


def test_the_list_is_paginated_in_queries_that_do_not_grow(
    client, officer, django_assert_num_queries
):
    client.force_login(officer)
    for n in range(1, 22):
        message(officer, n)
    response = assert_queries_do_not_grow(
        client, URL, lambda: [message(officer, n) for n in range(22, 40)]
    )
    page = response.content.decode()
    assert "Message 39 for" in page and "Message 20 for" in page and "Message 19 for" not in page
    assert "page 1 of 2" in page
    second = client.get(URL, {"page": 2}).content.decode()
    assert "Message 19 for" in second and "Message 1 for" in second
    assert client.get(URL, {"page": 3}).status_code == 404
    assert client.get(URL, {"page": "x"}).status_code == 404
    # The session, the person, their second factor, their roles, the count and the page
    # (and the request's savepoint and its release).
    with django_assert_num_queries(8):
        client.get(URL)


def test_no_messages_says_so(client, board_member):
    client.force_login(board_member)
    assert "The tracker has sent you no messages yet." in client.get(URL).content.decode()


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("sign-in"))
