"""Log formatting that cannot be forged: each record is exactly one line.

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
