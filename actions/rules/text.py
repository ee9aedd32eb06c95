"""What text people may type, and how stored text is printed.

Text people type may hold line breaks and tabs, never other control characters: Word
pastes a vertical tab (U+000B) for Shift+Enter and a form feed for a page break, which
spreadsheets cannot hold (openpyxl refuses to write them) and which mean nothing to a
reader. So:

- `clean_typed_text()` turns Word's and Windows' line breaks (U+000B, U+000C, CRLF and a
  lone CR) into plain ones; every form's typed text goes through it (`TypedTextField`).
- `TypedText` refuses any control character left (except a tab and a line break, and
  none at all in a one-line name), with a message naming the field. It sits on the
  models' fields, so that the admin and `full_clean` obey it too.
- `printable()` is for text already stored, which no validator can change (history is
  append-only): every export (CSV, XLSX, the board pack's HTML before WeasyPrint) passes
  what it writes through it, so one stray character never breaks an export again.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
# C0 controls and DEL; a tab and a line break are allowed in text of several lines.
CONTROL = re.compile("[\x00-\x1f\x7f]")
ALLOWED_IN_TEXT = {"\t", "\n"}


def clean_typed_text(value):
    """Word's and Windows' line breaks as plain line breaks; everything else as typed."""
    if not isinstance(value, str):
        return value
    return LINE_BREAKS.sub("\n", value)


@deconstructible
class TypedText:
    """Refuses control characters, naming the field: `TypedText("Commentary")`, or
    `TypedText("Short name", one_line=True)` for a name (no line breaks or tabs either)."""

    def __init__(self, name, one_line=False):
        self.name, self.one_line = name, one_line

    def __call__(self, value):
        allowed = set() if self.one_line else ALLOWED_IN_TEXT
        found = sorted({c for c in CONTROL.findall(value or "") if c not in allowed})
        if not found:
            return
        if self.one_line:
            message = f"{self.name} cannot contain control characters, line breaks or tabs"
        else:
            message = (
                f"{self.name} cannot contain control characters, which some programs paste "
                f"({', '.join(f'U+{ord(c):04X}' for c in found)}): remove them and try again"
            )
        raise ValidationError(message, code="control_character")

    def __eq__(self, other):
        return isinstance(other, TypedText) and (self.name, self.one_line) == (
            other.name,
            other.one_line,
        )


class TypedTextField(forms.CharField):
    """A form's field for typed text: Word's line breaks become plain ones before any
    validation. Given `name`, it refuses control characters itself (for a field that no
    model field validates); a model form leaves that to the model's validator."""

    def __init__(self, *args, name=None, **kwargs):
        super().__init__(*args, **kwargs)
        if name:
            self.validators.append(TypedText(name))

    def to_python(self, value):
        return super().to_python(clean_typed_text(value))


def printable(value):
    """Stored text as an export can write it: Word's line breaks as plain ones, and any
    character a spreadsheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE) left out."""
    if not isinstance(value, str):
        return value
    value = value.replace("\x0b", "\n").replace("\x0c", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", value)
