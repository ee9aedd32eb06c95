"""Log formatting that cannot be forged: each record is exactly one line, by default one
JSON object (JsonLineFormatter, on python-json-logger), or plain text (SingleLineFormatter).

Usernames, paths and error texts come from users. A newline in one would start what looks
like a new record ("x\\nFORGED ... authz_denied"), and terminal escapes could hide text
from whoever reads the log. SingleLineFormatter formats the record as usual (message, its
arguments and any traceback), then escapes every control character in the result: CR, LF
and tab as \\r, \\n and \\t, the others (C0, DEL, C1, the Unicode line and paragraph
separators) as \\xNN or \\uNNNN, and the backslash itself as \\\\, so that what a user
typed can never pass for an escape.
"""

import logging
import re
from datetime import UTC, datetime

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")
NAMED = {"\n": r"\n", "\r": r"\r", "\t": r"\t", "\\": "\\\\"}


def escape(text):
    def replace(match):
        char = match.group()
        if char in NAMED:
            return NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return CONTROL.sub(replace, text)


class SingleLineFormatter(logging.Formatter):
    def format(self, record):
        return escape(super().format(record))


class JsonLineFormatter(JsonFormatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, then the
    record's extra fields (request_id, job_id... from wsoa_tracker.request_log) and a
    traceback if there is one.

    json.dumps escapes quotes, backslashes and every control character, and ensure_ascii
    the line and paragraph separators, so whatever a user typed stays inside its own
    string. The first four fields are written last, so that no extra field named "level"
    or "message" can replace them. Django's own records carry the request object as an
    extra; it is left out (its text has the query string).
    """

    CORE = ("time", "level", "logger", "message")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", *self.CORE])
        kwargs.setdefault("rename_fields", {"exc_info": "traceback"})
        kwargs.setdefault("json_ensure_ascii", True)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        extra = {}
        super().add_fields(extra, record, message_dict)
        log_data["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat(
            timespec="milliseconds"
        )
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.message
        for key, value in extra.items():
            log_data.setdefault(key, value)
