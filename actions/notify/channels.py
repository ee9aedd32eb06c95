"""How a message leaves the tracker: GOV.UK Notify through its official client when
NOTIFY_API_KEY is set, else SMTP (Django's send_mail and EMAIL_* settings); and which of
their errors are worth trying again (Temporary) and which are not (Permanent).

Notify's documented errors for sending an e-mail: 400 BadRequestError / ValidationError
(e.g. "email_address Not a valid email address", a team-only key's recipient) and 403
AuthError (a bad key, a clock out by more than 30 seconds) will fail again: Permanent. 429
RateLimitError / TooManyRequestsError and 500 Exception ("Internal server error"), and a
connection that fails or times out (the client's 503), are Temporary: send again later.
"""

import smtplib

from django.conf import settings
from django.core.mail import send_mail
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient


class Temporary(Exception):
    """Not sent this time; sending again later may work."""


class Permanent(Exception):
    """Not sent, and sending again as it is will fail the same way."""


def send(notification):
    """Send `notification` to its person; returns the provider's id for it."""
    address = notification.user.email
    if not address:
        raise Permanent("The account has no e-mail address")
    if settings.NOTIFY_API_KEY:
        return by_notify(notification, address)
    return by_smtp(notification, address)


def described(error):
    """'429 RateLimitError: Exceeded rate limit ...' from a client's APIError."""
    message = error.message
    if isinstance(message, list):
        message = "; ".join(
            f"{item.get('error', '')}: {item.get('message', '')}"
            if isinstance(item, dict)
            else str(item)
            for item in message
        )
    return f"{error.status_code} {message}"


def retryable(status_code):
    return status_code == 429 or status_code >= 500


def by_notify(notification, address):
    client = NotificationsAPIClient(
        settings.NOTIFY_API_KEY,
        base_url=settings.NOTIFY_BASE_URL,
        timeout=settings.NOTIFY_TIMEOUT,
    )
    try:
        response = client.send_email_notification(
            email_address=address,
            template_id=settings.NOTIFY_TEMPLATE_ID,
            personalisation={"subject": notification.subject, "body": notification.body},
            reference=notification.key,
        )
    except APIError as error:
        kind = Temporary if retryable(error.status_code) else Permanent
        raise kind(described(error)) from error
    return str(response["id"])


def by_smtp(notification, address):
    try:
        send_mail(notification.subject, notification.body, None, [address])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPAuthenticationError) as error:
        raise Permanent(f"SMTP: {error}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise Temporary(f"SMTP: {error}") from error
    return "smtp"
