"""The settings of notifications (README: Notifications): GOV.UK Notify's API key, its one
e-mail template and base URL, from the environment. With no API key, messages go by SMTP
(Django's EMAIL_* settings). Read by wsoa_tracker.settings, at its end."""

import os

# An API key as Notify issues it: "{key_name}-{service_id}-{secret_key}" (two UUIDs at the
# end). Empty: send by SMTP instead.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
# The one e-mail template, whose subject is "((subject))" and whose body is "((body))".
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
# Notify's API; the local stand-in (tests/notify_stand_in.py) is e.g. http://127.0.0.1:9100
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# Seconds to wait for Notify (or the stand-in) before counting the attempt as failed.
NOTIFY_TIMEOUT = int(os.environ.get("NOTIFY_TIMEOUT", "10"))
