"""Load the real record (fixtures/*.yaml) into the database.

One transaction for the whole record: a broken record file stores nothing, and the error
names the file and the record. Rows are found by their natural keys, so a second run
changes nothing. A row whose latest history entry was not written by this loader has been
edited since (in the admin or by an officer): it is reported, never overwritten.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.models import Area, Organisation, Review
from weaknesses.models import Finding, FindingContinuation, Verdict

from .models import (
    Action,
    ActionOwner,
    ApprovalStatus,
    FrameworkMeasure,
    Measure,
    MeasureFigure,
    MeasureTarget,
    OutcomeSought,
    OwnerRole,
    PerformanceGroup,
    Plan,
    Rating,
    RatingSource,
    RequiredOutcome,
)

LOADED_BY = "load_record"  # the change reason on every history row this loader writes


class RecordError(Exception):
    """A record file that cannot be loaded; the message names the file and the record."""


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)  # (model verbose name, outcome) -> n
    conflicts: list = field(default_factory=list)

    def lines(self):
        names = dict.fromkeys(name for name, _ in self.counts)
        for name in names:
            outcomes = ", ".join(
                f"{self.counts[name, outcome]} {outcome}"
                for outcome in ("created", "updated", "unchanged", "not overwritten")
                if self.counts[name, outcome]
            )
            yield f"{name}: {outcomes}"


def edited_since_loaded(obj):
    latest = obj.history.order_by("-history_date", "-history_id").first()
    return latest is None or latest.history_change_reason != LOADED_BY


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


class RecordLoader:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.report = LoadReport()
        self.where = ""
        self.seen = set()  # (model, natural key) of every row this run has loaded

    def load(self):
        with transaction.atomic():
            self.load_area(self.read("area.yaml"))
            self.load_reviews(self.read("reviews.yaml"))
            self.load_plan(self.read("wsoa/plan.yaml"), self.read("wsoa/roles.yaml"))
            self.actions_by_code = {}
            for path in sorted((self.directory / "wsoa").glob("[A-Z].yaml")):
                self.load_weakness(self.read(path.relative_to(self.directory)))
            self.load_measures(self.read("measures.yaml"))
        return self.report

    # Reading and writing rows ---------------------------------------------------------

    def read(self, name):
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
            return obj
        changed = [key for key, value in values.items() if not self.same(obj, key, value)]
        changed += [
            attname
            for attname, related in many.items()
            if {o.pk for o in getattr(obj, attname).all()} != {o.pk for o in related}
        ]
        if not changed:
            self.report.counts[name, "unchanged"] += 1
        elif edited_since_loaded(obj):
            self.report.counts[name, "not overwritten"] += 1
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

    @staticmethod
    def save(obj):
        obj.full_clean()
        obj._change_reason = LOADED_BY
        obj.save()

    # The record, file by file ---------------------------------------------------------

    def load_area(self, data):
        with self.at("area"):
            area = read_fields(data["area"], ["slug", "name"])
            self.area = self.sync(Area, {"slug": area["slug"]}, {"name": area["name"]})
        self.organisations = {}
        for record in data["organisations"]:
            with self.at(f"organisation {record.get('short_name')}"):
                values = read_fields(
                    record, ["short_name", "name", "kind", "active_from", "active_until", "basis"]
                )
                short_name = values.pop("short_name")
                values["basis"] = text(values["basis"])
                self.organisations[short_name] = self.sync(
                    Organisation, {"area": self.area, "short_name": short_name}, values
                )

    def load_reviews(self, data):
        reviews = {}
        for record in data["reviews"]:
            with self.at(f"review {record.get('slug')}"):
                values = read_fields(
                    record,
                    [
                        "slug",
                        "title",
                        "kind",
                        "bodies",
                        "start_date",
                        "end_date",
                        "outcome",
                        "source_document",
                    ],
                    ["letter_date", "published_date", "notes"],
                )
                slug = values.pop("slug")
                for key in ("outcome", "source_document", "notes"):
                    values[key] = text(values[key])
                values["area"] = self.area
                reviews[slug] = self.sync(Review, {"slug": slug}, values)
        self.findings = {}
        for position, record in enumerate(data["findings"], start=1):
            with self.at(f"finding {record.get('code')}"):
                values = read_fields(
                    record,
                    ["code", "review", "kind", "text", "source_lines"],
                    ["responsible", "continues", "notes"],
                )
                review = reviews[values["review"]]
                position = sum(1 for f in self.findings.values() if f.review_id == review.pk) + 1
                responsible = [self.organisations[name] for name in values["responsible"] or []]
                finding = self.sync(
                    Finding,
                    {"review": review, "code": values["code"]},
                    {
                        "kind": values["kind"],
                        "text": text(values["text"]),
                        "position": position,
                        "source": text(values["source_lines"]),
                        "notes": text(values["notes"]),
                    },
                    many={"responsible_organisations": responsible},
                )
                self.findings[review.slug, finding.code] = finding
                for link in values["continues"] or []:
                    link = read_fields(link, ["finding", "basis"])
                    earlier = self.earlier_finding(link["finding"], review)
                    self.sync(
                        FindingContinuation,
                        {"later_finding": finding, "earlier_finding": earlier},
                        {"basis": text(link["basis"])},
                    )
        for record in data["verdicts"]:
            with self.at(f"verdict of {record.get('review')} on {record.get('finding')}"):
                values = read_fields(
                    record,
                    ["review", "finding", "judgement", "summary", "reasons", "source_lines"],
                    ["notes"],
                )
                review = reviews[values["review"]]
                self.sync(
                    Verdict,
                    {"review": review, "finding": self.earlier_finding(values["finding"], review)},
                    {
                        "judgement": values["judgement"],
                        "summary": text(values["summary"]),
                        "reasons": text(values["reasons"]),
                        "source": text(values["source_lines"]),
                        "notes": text(values["notes"]),
                    },
                )

    def earlier_finding(self, code, review):
        """The finding with this code from the latest review before `review` (or itself)."""
        candidates = [
            finding
            for (slug, found_code), finding in self.findings.items()
            if found_code == code and finding.review.start_date <= review.start_date
        ]
        if not candidates:
            raise RecordError(f"no earlier finding with the code {code!r}")
        return max(candidates, key=lambda finding: finding.review.start_date)

    def load_plan(self, data, roles):
        with self.at("plan"):
            plan = read_fields(
                data["plan"],
                [
                    "slug",
                    "title",
                    "short_name",
                    "fit_for_purpose_on",
                    "first_quarter_end",
                    "last_quarter_end",
                    "answers",
                    "source",
                ],
                ["notes"],
            )
            answers = read_fields(plan.pop("answers"), ["review", "findings"])
            answered = [self.findings[answers["review"], code] for code in answers["findings"]]
            slug = plan.pop("slug")
            plan.update(area=self.area, source=text(plan["source"]), notes=text(plan["notes"]))
            self.plan = self.sync(Plan, {"slug": slug}, plan, many={"findings": answered})
            self.weaknesses = {finding.code: finding for finding in answered}
            # A printed rating is dated the day the plan was declared fit for purpose, so
            # that the grid "as at" a date after it shows the published ratings.
            self.published_at = timezone.make_aware(
                datetime.datetime.combine(self.plan.fit_for_purpose_on, datetime.time())
            )
        with self.at("published ratings"):
            published = read_fields(data["published_ratings"], ["month", "source_reference"])
            self.published_month = published["month"]
            self.published_reference = text(published["source_reference"])
            if not isinstance(self.published_month, datetime.date):
                raise RecordError("month must be a date such as 2018-03-01")
        self.file = "wsoa/roles.yaml"
        self.roles = {}
        for record in roles["roles"]:
            with self.at(f"owner role {record.get('title')!r}"):
                values = read_fields(record, ["title", "organisation", "basis"], ["also_written"])
                organisation = values["organisation"]
                role = self.sync(
                    OwnerRole,
                    {"area": self.area, "title": values["title"]},
                    {
                        "organisation": self.organisations[organisation] if organisation else None,
                        "basis": text(values["basis"]),
                    },
                )
                for written in [values["title"], *(values["also_written"] or [])]:
                    if written in self.roles:
                        raise RecordError(f"{written!r} names two roles")
                    self.roles[written] = role

    def load_weakness(self, data):
        with self.at("weakness"):
            values = read_fields(
                data, ["weakness", "source", "outcomes_sought", "required_outcomes"], ["readings"]
            )
            weakness = self.weaknesses[values["weakness"]]
            document = text(values["source"]).split()[0]
        for position, outcome in enumerate(values["outcomes_sought"], start=1):
            with self.at(f"outcome sought {position}"):
                outcome = read_fields(outcome, ["text"])
                self.sync(
                    OutcomeSought,
                    {"plan": self.plan, "finding": weakness, "position": position},
                    {"text": text(outcome["text"])},
                )
        for record in values["required_outcomes"]:
            with self.at(f"required outcome {weakness.code}{record.get('number')}"):
                fields = read_fields(
                    record, ["number", "title", "actions"], ["source_lines", "notes"]
                )
                required_outcome = self.sync(
                    RequiredOutcome,
                    {"plan": self.plan, "weakness": weakness, "number": fields["number"]},
                    {
                        "title": text(fields["title"]),
                        "notes": text(fields["notes"]),
                        "source": f"{document} lines {fields['source_lines']}",
                    },
                )
            for action in fields["actions"]:
                self.load_action(required_outcome, action, document)

    def load_action(self, required_outcome, record, document):
        with self.at(f"action {required_outcome.code}.{record.get('number')}"):
            fields = read_fields(
                record,
                [
                    "number",
                    "text",
                    "timescale",
                    "owners",
                    "measures_of_success",
                    "published_rating",
                ],
                ["due_date", "source_lines", "notes"],
            )
            source = f"{document} lines {fields['source_lines']}"
            action = self.actions_by_code[f"{required_outcome.code}.{fields['number']}"] = (
                self.sync(
                    Action,
                    {"required_outcome": required_outcome, "number": fields["number"]},
                    {
                        "text": text(fields["text"]),
                        "timescale": text(fields["timescale"]),
                        "due_date": fields["due_date"],
                        "measures_of_success": text(fields["measures_of_success"]),
                        "source": source,
                        "notes": text(fields["notes"]),
                    },
                )
            )
            for position, owner in enumerate(fields["owners"], start=1):
                owner = read_fields(owner, ["role", "kind"], ["organisation"])
                if owner["role"] not in self.roles:
                    raise RecordError(f"owner role {owner['role']!r} is not in wsoa/roles.yaml")
                self.sync(
                    ActionOwner,
                    {"action": action, "role": self.roles[owner["role"]]},
                    {"kind": owner["kind"], "position": position},
                )
            if fields["published_rating"]:
                self.sync(
                    Rating,
                    {"action": action, "month": self.published_month},
                    {
                        "rating": text(fields["published_rating"]).lower(),
                        # The board published these itself: they count as accepted.
                        "approval_status": ApprovalStatus.ACCEPTED,
                        "accepted_rating": text(fields["published_rating"]).lower(),
                        "source": RatingSource.PUBLISHED_DOCUMENT,
                        "recorded_by": None,
                        "recorded_at": self.published_at,
                        "source_reference": f"{self.published_reference} ({source})",
                    },
                    created_at=self.published_at,
                )

    def load_measures(self, data):
        groups = {}
        for position, record in enumerate(data["groups"], start=1):
            with self.at(f"performance group {record.get('name')!r}"):
                record = read_fields(record, ["name", "measures"])
                group = groups[record["name"]] = self.sync(
                    PerformanceGroup,
                    {"plan": self.plan, "name": record["name"]},
                    {"position": position},
                )
                for number, name in enumerate(record["measures"], start=1):
                    self.sync(
                        FrameworkMeasure, {"group": group, "position": number}, {"name": text(name)}
                    )
        for record in data["measures"]:
            with self.at(f"measure {record.get('slug')!r}"):
                self.load_measure(record, groups)

    def load_measure(self, record, groups):
        fields = read_fields(
            record,
            [
                "slug",
                "name",
                "group",
                "unit",
                "better",
                "findings",
                "actions",
                "baseline",
                "targets",
                "figures",
            ],
            ["notes"],
        )
        baseline = read_fields(
            fields["baseline"] or {}, [], ["value", "period_end", "label", "source"]
        )
        unknown = [code for code in fields["actions"] if code not in self.actions_by_code]
        if unknown:
            raise RecordError(f"no action with the code(s) {', '.join(unknown)}")
        measure = self.sync(
            Measure,
            {"slug": fields["slug"]},
            {
                "plan": self.plan,
                "name": text(fields["name"]),
                "group": groups[fields["group"]] if fields["group"] else None,
                "unit": fields["unit"],
                "better": fields["better"],
                "baseline_value": baseline["value"],
                "baseline_period_end": baseline["period_end"],
                "baseline_label": text(baseline["label"]),
                "baseline_source": text(baseline["source"]),
                "notes": text(fields["notes"]),
            },
            many={
                "findings": [self.weaknesses[code] for code in fields["findings"]],
                "actions": [self.actions_by_code[code] for code in fields["actions"]],
            },
        )
        for model, key in ((MeasureTarget, "targets"), (MeasureFigure, "figures")):
            for point in fields[key] or []:
                optional = ["note"] if model is MeasureFigure else []
                point = read_fields(point, ["period_end", "label", "value", "source"], optional)
                values = {
                    "label": text(point["label"]),
                    "value": point["value"],
                    "source": text(point["source"]),
                }
                if model is MeasureFigure:
                    values["note"] = text(point.get("note"))
                self.sync(model, {"measure": measure, "period_end": point["period_end"]}, values)
