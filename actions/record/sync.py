"""The generic sync engine: validate each row, create or update it by natural key, report.

The readers (one module per record file) say what the rows are; this module says how any row is
written. The loader tells its own writes by the history change reason LOADED_BY: a row whose
latest history entry has another reason (an edit in the admin or by an officer) is reported and
left alone. Errors name the file and the record. Nothing here commits: RecordLoader runs the
whole record in one transaction. The plan workbook's upload (actions/workbook/) writes through
the same engine with its own change reason, counting the loader's and every upload's writes as
its own.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError

LOADED_BY = "load_record"  # the change reason on every history row this loader writes


class RecordError(Exception):
    """A record file that cannot be loaded; the message names the file and the record."""


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)  # (model verbose name, outcome) -> n
    conflicts: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (model verbose name, outcome, where, fields)

    def lines(self):
        names = dict.fromkeys(name for name, _ in self.counts)
        for name in names:
            outcomes = ", ".join(
                f"{self.counts[name, outcome]} {outcome}"
                for outcome in ("created", "updated", "unchanged", "not overwritten")
                if self.counts[name, outcome]
            )
            yield f"{name}: {outcomes}"


def loaded_by_the_loader(reason):
    return reason == LOADED_BY


def edited_since_loaded(obj, ours=loaded_by_the_loader):
    """Was `obj` last changed by someone else than this engine's writer (`ours(reason)`)?"""
    latest = obj.history.order_by("-history_date", "-history_id").first()
    return latest is None or not ours(latest.history_change_reason or "")


def read_fields(record, required, optional=()):
    """The record's values, refusing missing and unknown keys (a typo must not pass)."""
    if not isinstance(record, dict):
        raise RecordError(f"expected a mapping of fields, found {record!r}")
    missing = [key for key in required if key not in record]
    unknown = sorted(set(record) - set(required) - set(optional))
    if missing:
        raise RecordError(f"missing field(s): {', '.join(missing)}")
    if unknown:
        raise RecordError(f"unknown field(s): {', '.join(unknown)}")
    return {key: record.get(key) for key in (*required, *optional)}


def text(value):
    return "" if value is None else str(value).strip()


class Sync:
    """Writes the rows of one run, file by file, and counts what it did in `report`."""

    def __init__(self, directory=".", reason=LOADED_BY, ours=loaded_by_the_loader, user=None):
        self.directory = Path(directory)
        self.reason, self.ours, self.user = reason, ours, user
        self.report = LoadReport()
        self.file = ""
        self.where = ""
        self.seen = set()  # (model, natural key) of every row this run has loaded

    def read(self, name):
        """The parsed YAML of a record file; errors from here on name this file."""
        self.file = str(name)
        path = self.directory / name
        try:
            with open(path, encoding="utf-8") as stream:
                return yaml.safe_load(stream)
        except (OSError, yaml.YAMLError) as error:
            raise RecordError(f"{self.file}: cannot be read: {error}") from error

    def at(self, label):
        """Name the record being loaded, for error messages."""
        self.where = label
        return self

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None or isinstance(error, RecordError) and str(error).startswith(self.file):
            return False
        if isinstance(error, ValidationError):
            message = (
                "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
        elif isinstance(error, ObjectDoesNotExist):
            message = f"refers to something not in the record ({error})"
        elif isinstance(error, RecordError | IntegrityError | ValueError | TypeError | KeyError):
            message = str(error)
        else:
            return False
        raise RecordError(f"{self.file}, {self.where}: {message}") from error

    def sync(self, model, lookup, values, many=None, created_at=None):
        """Create the row, leave it as it is, or update it if nobody has edited it since."""
        name = model._meta.verbose_name_plural.capitalize()
        key = (model, tuple((k, getattr(v, "pk", v)) for k, v in sorted(lookup.items())))
        if key in self.seen:
            raise RecordError(f"the record already has this {model._meta.verbose_name}")
        self.seen.add(key)
        obj = model.objects.filter(**lookup).first()
        many = many or {}
        if obj is None:
            obj = model(**lookup, **values)
            if created_at:
                obj._history_date = created_at
            self.save(obj)
            for attname, related in many.items():
                getattr(obj, attname).set(related)
            self.report.counts[name, "created"] += 1
            self.report.rows.append((name, "created", self.where, []))
            return obj
        changed = [key for key, value in values.items() if not self.same(obj, key, value)]
        changed += [
            attname
            for attname, related in many.items()
            if {o.pk for o in getattr(obj, attname).all()} != {o.pk for o in related}
        ]
        if not changed:
            self.report.counts[name, "unchanged"] += 1
            self.report.rows.append((name, "unchanged", self.where, []))
        elif edited_since_loaded(obj, self.ours):
            self.report.counts[name, "not overwritten"] += 1
            self.report.rows.append((name, "not overwritten", self.where, changed))
            self.report.conflicts.append(
                f"{self.file}, {self.where}: edited since it was loaded, so not overwritten "
                f"(the record differs in: {', '.join(changed)})"
            )
        else:
            for key, value in values.items():
                setattr(obj, key, value)
            self.save(obj)
            for attname, related in many.items():
                getattr(obj, attname).set(related)
            self.report.counts[name, "updated"] += 1
            self.report.rows.append((name, "updated", self.where, changed))
        return obj

    @staticmethod
    def same(obj, key, value):
        model_field = obj._meta.get_field(key)
        if model_field.is_relation:
            return getattr(obj, model_field.attname) == (value.pk if value else None)
        try:
            return getattr(obj, key) == model_field.to_python(value)
        except ValidationError:
            return False

    def save(self, obj):
        obj.full_clean()
        obj._change_reason = self.reason
        if self.user is not None:
            obj._history_user = self.user
        obj.save()
