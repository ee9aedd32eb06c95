"""Uploaded workbooks are untrusted files: each malformed one, built here in memory, is
refused with one clear message and nothing stored, fast, without being loaded whole."""

import io
import random
import time
import zipfile

import pytest

from actions.models import WorkbookUpload
from actions.services import WorkbookRefused, workbook_upload
from actions.workbook import layout
from actions.workbook.export import workbook_bytes
from actions.workbook.read import MAX_ROWS, read
from tests.actions.test_workbook import counts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx), or it is damaged"
ACTIONS_SHEET = f"xl/worksheets/sheet{[s.title for s in layout.SHEETS].index('Actions') + 2}.xml"


@pytest.fixture(scope="module")
def template():
    return workbook_bytes()


def rezip(data, replace=None, add=None, drop=()):
    """The workbook's zip with members replaced, added or dropped."""
    replace, add = dict(replace or {}), dict(add or {})
    source = zipfile.ZipFile(io.BytesIO(data))
    for name in set(add) & set(source.namelist()):
        replace[name] = add.pop(name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename in drop:
                continue
            target.writestr(member.filename, replace.get(member.filename, source.read(member)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def rows_sheet(rows, dimension=True):
    """An Actions sheet with its headers and `rows` empty rows after them."""
    headers = "".join(
        f'<c r="{chr(65 + n)}1" t="inlineStr"><is><t>{column.header}</t></is></c>'
        for n, column in enumerate(layout.ACTIONS.columns)
    )
    empty = "<row/>" * rows  # numbered by their place, as the format allows
    size = f'<dimension ref="A1:E{rows + 1}"/>' if dimension else ""
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{size}<sheetData><row r="1">{headers}</row>{empty}</sheetData></worksheet>'
    ).encode()


def only_problem(name, data):
    parsed = read(name, data)
    assert len(parsed.problems) == 1, parsed.problems
    return str(parsed.problems[0])


def malformed(template):
    content_types = zipfile.ZipFile(io.BytesIO(template)).read("[Content_Types].xml")
    docx = rezip(
        template,
        replace={
            "[Content_Types].xml": content_types.replace(
                b"spreadsheetml.sheet.main+xml", b"wordprocessingml.document.main+xml"
            )
        },
    )
    macro_type = content_types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    return {
        "truncated zip": ("plan.xlsx", template[: len(template) // 2], NOT_A_WORKBOOK),
        "not a zip at all": ("plan.xlsx", b"%PDF-1.7\n" + b"\x00" * 100, NOT_A_WORKBOOK),
        "empty file": ("plan.xlsx", b"", "The file is empty"),
        "a CSV": ("plan.csv", b"Code,Action\n", "The file must be an Excel workbook (.xlsx)"),
        "wrong content type (a Word document)": (
            "plan.xlsx",
            docx,
            "The file is not an Excel workbook (.xlsx)",
        ),
        "macro-enabled name": ("plan.xlsm", template, "The file holds macros (.xlsm)"),
        "macro-enabled content type": (
            "plan.xlsx",
            rezip(template, replace={"[Content_Types].xml": macro_type}),
            "The file holds macros",
        ),
        "vbaProject.bin inside": (
            "plan.xlsx",
            rezip(template, add={"xl/vbaProject.bin": b"\x00" * 64}),
            "The file holds macros",
        ),
        "external link": (
            "plan.xlsx",
            rezip(template, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
            "The file links to other workbooks",
        ),
        "huge shared strings": (
            "plan.xlsx",
            rezip(
                template,
                add={"xl/sharedStrings.xml": strings + b"x" * 6_000_000 + b"</t></si></sst>"},
            ),
            "The file's text is far larger than a plan workbook could hold",
        ),
        "zip bomb": (
            "plan.xlsx",
            rezip(template, add={"xl/media/image1.png": b"\x00" * 70_000_000}),
            "The file unpacks to far more than a plan workbook could hold",
        ),
        "no workbook part": (
            "plan.xlsx",
            rezip(template, drop=("xl/workbook.xml",)),
            NOT_A_WORKBOOK,
        ),
    }


CASES = [
    "truncated zip",
    "not a zip at all",
    "empty file",
    "a CSV",
    "wrong content type (a Word document)",
    "macro-enabled name",
    "macro-enabled content type",
    "vbaProject.bin inside",
    "external link",
    "huge shared strings",
    "zip bomb",
    "no workbook part",
]


@pytest.mark.parametrize("case", CASES)
def test_each_malformed_workbook_is_refused_clearly_and_nothing_is_stored(template, case):
    name, data, message = malformed(template)[case]
    assert message in only_problem(name, data)
    before = counts()
    with pytest.raises(WorkbookRefused):
        workbook_upload(user=UserFactory(), file_name=name, data=data)
    assert counts() == before and not WorkbookUpload.objects.exists()


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_a_sheet_of_a_million_empty_rows_is_refused_fast_without_loading_it(template, dimension):
    data = rezip(template, replace={ACTIONS_SHEET: rows_sheet(1_000_000, dimension)})
    assert len(data) < 900 * 1024  # small on the wire: only unpacked is it large
    started = time.monotonic()
    problem = only_problem("plan.xlsx", data)
    assert time.monotonic() - started < 5
    assert (
        problem
        == f"Actions: The sheet has more than {MAX_ROWS - 1:,} rows: a plan workbook has far fewer"
    )


def test_a_sheet_within_the_row_limit_reads(template):
    data = rezip(template, replace={ACTIONS_SHEET: rows_sheet(100)})
    parsed = read("plan.xlsx", data)
    assert parsed.problems == [] or all("Plan sheet" in str(p) for p in parsed.problems)


def test_randomly_damaged_workbooks_are_always_refused_with_a_message_never_an_error(template):
    chance = random.Random(16)
    for _ in range(40):
        damaged = bytearray(template)
        for _ in range(chance.randint(1, 20)):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        parsed = read("plan.xlsx", bytes(damaged))
        assert parsed.problems, "a damaged file must not read as a plan"
        assert all(str(p) for p in parsed.problems)
