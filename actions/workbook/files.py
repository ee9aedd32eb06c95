"""The first checks of an uploaded workbook, made on the file as a zip before openpyxl
opens it: its size and name, that it is a zip of an Excel workbook (its content types),
no macros (vbaProject.bin, a macro-enabled content type), no links to other workbooks, not
unpacking too large (a zip bomb, huge shared strings), and no sheet of more than MAX_ROWS
rows, counted by streaming the sheet's XML and stopping at the limit."""

import io
import re
import zipfile

from defusedxml import ElementTree
from django.conf import settings

MAX_ROWS = 2000  # rows a sheet may have, headers included
MAX_MEMBERS = 300  # files inside the zip
MAX_UNPACKED = 60 * 1024 * 1024  # all of them unpacked
MAX_MEMBER = 40 * 1024 * 1024  # one of them unpacked (a sheet is streamed)
MAX_SHARED_STRINGS = 5 * 1024 * 1024  # the shared strings, which openpyxl reads whole
WORKBOOK_CONTENT_TYPE = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)
MACRO_CONTENT_TYPE = b"macroEnabled"


def max_bytes():
    return settings.WORKBOOK_MAX_BYTES


class Refused(Exception):
    """The file as a whole cannot be read: not a workbook, too large, macros, links; or one
    sheet (`sheet`) is far too long."""

    def __init__(self, message, sheet=None):
        super().__init__(message)
        self.sheet = sheet


def kb(size):
    return f"{size // 1024:,} KB"


def check_file(name, data):
    """Refuse, before openpyxl sees it, a file that is not a plain .xlsx workbook."""
    limit = max_bytes()
    if len(data) > limit:
        raise Refused(f"The file must be {kb(limit)} or smaller (this one is {kb(len(data))})")
    lower = (name or "").lower()
    if lower.endswith((".xlsm", ".xltm", ".xlsb")):
        raise Refused("The file holds macros (.xlsm): save it as an Excel Workbook (.xlsx)")
    if not lower.endswith(".xlsx"):
        raise Refused("The file must be an Excel workbook (.xlsx)")
    if not data:
        raise Refused("The file is empty")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused("The file is not an Excel workbook (.xlsx), or it is damaged") from None
    names = {member.filename for member in members}
    if len(members) > MAX_MEMBERS:
        raise Refused("The file holds too many parts to be a plan workbook")
    if sum(member.file_size for member in members) > MAX_UNPACKED or any(
        member.file_size > MAX_MEMBER for member in members
    ):
        raise Refused("The file unpacks to far more than a plan workbook could hold")
    if any(
        m.file_size > MAX_SHARED_STRINGS
        for m in members
        if m.filename.endswith("sharedStrings.xml")
    ):
        raise Refused("The file's text is far larger than a plan workbook could hold")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise Refused("The file holds macros: save it as an Excel Workbook (.xlsx)")
    if any("externallink" in n.lower() for n in names):
        raise Refused(
            "The file links to other workbooks: remove the links, or copy the "
            "values in, and save it again"
        )
    if "[Content_Types].xml" not in names:
        raise Refused("The file is not an Excel workbook (.xlsx)")
    try:
        types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise Refused("The file is not an Excel workbook (.xlsx), or it is damaged") from None
    titles = sheet_titles(archive)
    for member in members:
        if member.filename.startswith("xl/worksheets/") and rows_over_limit(archive, member):
            raise Refused(too_many_rows(), sheet=titles.get(member.filename))
    if MACRO_CONTENT_TYPE in types:
        raise Refused("The file holds macros: save it as an Excel Workbook (.xlsx)")
    if WORKBOOK_CONTENT_TYPE not in types:
        raise Refused("The file is not an Excel workbook (.xlsx)")


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def sheet_titles(archive):
    """{zip member: sheet title}, from the workbook part and its relationships (defusedxml
    refuses entity tricks); {} where they cannot be read, when openpyxl will refuse it."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - an unreadable workbook part is refused later
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    titles = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(f"{RELATIONSHIPS}id"), "").lstrip("/")
        titles[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name")
    return titles


ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def rows_over_limit(archive, member):
    """Has the sheet more than MAX_ROWS rows? Counted streaming its XML, and stopping at the
    limit: openpyxl, finding no declared dimension, would parse the whole sheet on opening."""
    count, tail = 0, b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(256 * 1024):
                text = tail + chunk
                cut = max(len(text) - 32, 0)  # a tag starting later is counted with the next
                count += sum(1 for m in ROW_TAG.finditer(text) if m.start() < cut)
                if count > MAX_ROWS:
                    return True
                tail = text[cut:]
        return count + len(ROW_TAG.findall(tail)) > MAX_ROWS
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise Refused("The file is not an Excel workbook (.xlsx), or it is damaged") from None


def too_many_rows():
    return f"The sheet has more than {MAX_ROWS - 1:,} rows: a plan workbook has far fewer"
