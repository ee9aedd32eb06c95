"""A local stand-in for GOV.UK Notify's e-mail API, on 127.0.0.1, so that the real
notifications-python-client runs in the tests and in demos (README: Notifications).

It answers POST /v2/notifications/email as Notify does: the Bearer JWT checked the way
Notify checks it (HS256 with the API key's secret, `iss` the service id, `iat` within 30
seconds: the client library's own decode_jwt_token, which Notify's API uses), the body
checked (email_address, a known template_id, its personalisation, an optional string
reference), and Notify's 201 response. Errors have Notify's shape: {"status_code": 403,
"errors": [{"error": "AuthError", "message": "..."}]}.

For tests and demos: GET /_stand-in/messages lists what was sent (DELETE clears it);
POST /_stand-in/fail {"status": 429, "times": 1} makes the next sends answer with one of
Notify's documented errors (400, 403, 429, 500). In a test: `StandIn().start()`; as a
script: `python tests/notify_stand_in.py --port 9100` (it prints the key and template id
to set as NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID and NOTIFY_BASE_URL).
"""

import argparse
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError, TokenExpiredError

SERVICE_ID = "2b4c7d0e-5f1a-4c3b-9e8d-7a6b5c4d3e2f"
SECRET = "8f2e6d4c-3b1a-4f9e-8d7c-6b5a4f3e2d1c"
API_KEY = f"wsoa_local-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "0f6b1c2d-3e4f-4a5b-8c7d-9e0f1a2b3c4d"
EMAIL = re.compile(r"^[^\s@,;]+@([^\s@.,;]+\.)+[^\s@.,;]{2,}$")
PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")

# Notify's documented errors for sending an e-mail, by status.
DOCUMENTED = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


def parse_api_key(api_key):
    """(service_id, secret) from "{key_name}-{service_id}-{secret_key}", both UUIDs."""
    service_id, secret = api_key[-73:-37], api_key[-36:]
    uuid.UUID(service_id), uuid.UUID(secret)
    if api_key[-74:-73] != "-" or api_key[-37:-36] != "-" or len(api_key) < 75:
        raise ValueError("not a Notify API key")
    return service_id, secret


class Problem(Exception):
    def __init__(self, status, error, message):
        self.status, self.error, self.message = status, error, message


class StandIn:
    """One running stand-in: `url`, the `messages` sent, and failures to answer with."""

    def __init__(self, api_keys=(API_KEY,), templates=None, host="127.0.0.1", port=0):
        self.secrets = dict(parse_api_key(key) for key in api_keys)
        self.templates = templates or {TEMPLATE_ID: ("((subject))", "((body))")}
        self.messages, self.failures, self.lock = [], [], threading.Lock()
        stand_in = self

        class Handler(RequestHandler):
            server_state = stand_in

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status, times=1):
        with self.lock:
            self.failures.extend([status] * times)

    def reset(self):
        with self.lock:
            self.messages.clear()
            self.failures.clear()

    def authorise(self, header):
        if not header:
            raise Problem(401, "AuthError", "Unauthorized: authentication token must be provided")
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            raise Problem(
                401, "AuthError", "Unauthorized: authentication bearer scheme must be used"
            )
        try:
            issuer = get_token_issuer(token)
        except TokenError:
            raise Problem(
                403, "AuthError", "Invalid token: signature, api token not found"
            ) from None
        secret = self.secrets.get(issuer)
        if secret is None:
            raise Problem(403, "AuthError", "Invalid token: service not found")
        try:
            decode_jwt_token(token, secret)
        except TokenExpiredError:
            raise Problem(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            ) from None
        except TokenError:
            raise Problem(403, "AuthError", "Invalid token: API key not found") from None
        return issuer

    def send_email(self, service_id, body):
        def invalid(message):
            return Problem(400, "ValidationError", message)

        if not isinstance(body, dict):
            raise invalid("Request body is not a JSON object")
        for field in ("email_address", "template_id"):
            if field not in body:
                raise invalid(f"{field} is a required property")
        address, template_id = body["email_address"], body["template_id"]
        if not isinstance(address, str) or not EMAIL.match(address):
            raise invalid("email_address Not a valid email address")
        try:
            uuid.UUID(str(template_id))
        except ValueError:
            raise invalid("template_id is not a valid UUID") from None
        personalisation = body.get("personalisation", {})
        if not isinstance(personalisation, dict):
            raise invalid(f"personalisation {personalisation} is not of type object")
        reference = body.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise invalid(f"reference {reference} is not of type string, null")
        if template_id not in self.templates:
            raise Problem(400, "BadRequestError", "Template not found")
        subject, text = self.templates[template_id]
        missing = sorted(set(PLACEHOLDER.findall(subject + text)) - {k for k in personalisation})
        if missing:
            raise Problem(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        with self.lock:
            if self.failures:
                status = self.failures.pop(0)
                raise Problem(status, *DOCUMENTED[status])
            sent = {
                "id": str(uuid.uuid4()),
                "reference": reference,
                "content": {
                    "subject": fill(subject, personalisation),
                    "body": fill(text, personalisation),
                    "from_email": "wsoa.tracker@notifications.service.gov.uk",
                    "one_click_unsubscribe_url": None,
                },
                "uri": f"{self.url}/v2/notifications/EMAIL_ID",
                "template": {
                    "id": template_id,
                    "version": 1,
                    "uri": f"{self.url}/services/{service_id}/templates/{template_id}",
                },
            }
            sent["uri"] = sent["uri"].replace("EMAIL_ID", sent["id"])
            self.messages.append({**sent, "email_address": address, "service_id": service_id})
        return sent


def fill(text, personalisation):
    return PLACEHOLDER.sub(lambda match: str(personalisation.get(match[1], "")), text)


class RequestHandler(BaseHTTPRequestHandler):
    server_state = None

    def log_message(self, format, *args):  # quiet in the tests
        pass

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"null")
        except ValueError:
            raise Problem(400, "ValidationError", "Request body is not valid JSON") from None

    def do_GET(self):
        if self.path == "/_stand-in/messages":
            with self.server_state.lock:
                return self.answer(200, {"messages": list(self.server_state.messages)})
        self.answer(
            404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "Not found"}]}
        )

    def do_DELETE(self):
        if self.path == "/_stand-in/messages":
            self.server_state.reset()
            return self.answer(200, {"messages": []})
        self.answer(
            404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "Not found"}]}
        )

    def do_POST(self):
        state = self.server_state
        try:
            if self.path == "/_stand-in/fail":
                order = self.body() or {}
                status = int(order.get("status", 0))
                if status not in DOCUMENTED:
                    raise Problem(
                        400, "ValidationError", f"status must be one of {sorted(DOCUMENTED)}"
                    )
                state.fail_next(status, int(order.get("times", 1)))
                return self.answer(200, {"failing_next": list(state.failures)})
            if self.path != "/v2/notifications/email":
                raise Problem(404, "NotFound", "Not found")
            service_id = state.authorise(self.headers.get("Authorization"))
            self.answer(201, state.send_email(service_id, self.body()))
        except Problem as problem:
            self.answer(
                problem.status,
                {
                    "status_code": problem.status,
                    "errors": [{"error": problem.error, "message": problem.message}],
                },
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--api-key", default=API_KEY)
    parser.add_argument("--template-id", default=TEMPLATE_ID)
    options = parser.parse_args()
    stand_in = StandIn(
        api_keys=[options.api_key],
        templates={options.template_id: ("((subject))", "((body))")},
        port=options.port,
    )
    print(f"LISTENING {stand_in.url}", flush=True)
    print(f"NOTIFY_BASE_URL={stand_in.url}")
    print(f"NOTIFY_API_KEY={options.api_key}")
    print(f"NOTIFY_TEMPLATE_ID={options.template_id}", flush=True)
    try:
        stand_in.server.serve_forever()
    except KeyboardInterrupt:
        stand_in.server.server_close()


if __name__ == "__main__":
    main()
