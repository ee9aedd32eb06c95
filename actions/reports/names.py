"""Safe names for the files the reports download.

A plan's short name (or any text) becomes part of a Content-Disposition header; a line
break there makes Django refuse the header, and quotes or slashes change what the browser
saves. `download_name()` is the one way an export names its file: ASCII letters and
digits in lower case, joined by hyphens.
"""

import re
import unicodedata


def slug(text):
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def download_name(*parts):
    """ "wsoa-progress-as-at-2018-06-30" from ("WSOA", "progress-as-at-2018-06-30")."""
    return "-".join(filter(None, (slug(part) for part in parts))) or "export"
