"""The plan workbook's shape, defined once: its sheets, each sheet's columns (header, what
it holds, whether it is required, what kind of value it takes, the model field it fills) and
the words its validation lists offer. The export writes this shape, the reader reads it and
the About sheet explains it from here."""

from dataclasses import dataclass

from actions.models import OwnerKind
from actions.models.measures import Better, MeasureUnit
from actions.rules import rating_key
from actions.rules.plan_life import PlanStatus

TEXT, LINE, DATE, NUMBER, WHOLE = "text", "line", "date", "number", "whole"

OWNER_KINDS = {kind.label: kind.value for kind in OwnerKind}
RATING_WORDS = {entry.word: entry.value for entry in rating_key.KEY}
UNITS = {unit.value: unit.value for unit in MeasureUnit}
BETTER = {better.value: better.value for better in Better}
PLAN_STATUSES = {status.label: status.value for status in PlanStatus}


def notes(what):
    """The optional Notes column: what the record notes about the row (its readings)."""
    return Column(
        "Notes", "notes", f"What the record notes about the {what}.", False, TEXT, width=50
    )


def source(what):
    """The optional Source column: the document (and lines) the row comes from."""
    return Column(
        "Source", "source", f"The document and lines the {what} comes from.", False, TEXT, width=40
    )


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the name the reader gives the value, and the model field it fills
    help: str
    required: bool = True
    kind: str = LINE  # LINE: one line of text; TEXT: may have line breaks
    choices: dict | None = None  # the words a validation list offers -> stored values
    width: int = 20


@dataclass(frozen=True)
class Sheet:
    title: str
    help: str
    columns: tuple
    required: bool = True

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    def header_of(self, key):
        """The header of the column filling model field `key`, or None."""
        return next((c.header for c in self.columns if c.key == key), None)


CODE_HELP = "The action's code: its required outcome's code, a full stop and its number (A1.1)."

PLAN = Sheet(
    "Plan",
    "The plan itself: one row.",
    (
        Column(
            "Plan code",
            "slug",
            "The plan's short code, such as wsoa-2018 (lower-case letters, digits, hyphens). "
            "Uploading a workbook with the same code updates that plan.",
        ),
        Column("Area", "area", "The local area's code in the tracker, such as oxfordshire."),
        Column("Title", "title", "The plan's full title.", width=50),
        Column("Short name", "short_name", "The short name that names exports, such as WSOA."),
        Column(
            "First quarter ends",
            "first_quarter_end",
            "The last day of the first quarter.",
            kind=DATE,
        ),
        Column(
            "Last quarter ends", "last_quarter_end", "The last day of the last quarter.", kind=DATE
        ),
        Column(
            "Fit for purpose on",
            "fit_for_purpose_on",
            "The day inspectors found the plan fit for purpose, if they have.",
            required=False,
            kind=DATE,
        ),
        Column("Source", "source", "The document the plan comes from.", kind=TEXT, width=50),
        notes("plan"),
        # The plan's life (models.PlanLife): all blank where none is recorded.
        Column(
            "Status",
            "status",
            "The plan's life: Draft, Live (monitored, taking updates) or Closed (a record). "
            "Blank, with the next four columns, where no life is recorded (live from its first "
            "month); if any of them is filled, this and Live from are needed.",
            required=False,
            choices=PLAN_STATUSES,
        ),
        Column("Live from", "live_from", "The first day the plan was monitored.", False, DATE),
        Column(
            "Closed on",
            "closed_on",
            "The day a closed plan closed (blank for a draft or live plan).",
            required=False,
            kind=DATE,
        ),
        Column(
            "Superseded by",
            "superseded_by",
            "What replaced a closed plan, such as the Accelerated Progress Plan (APP).",
            required=False,
            width=40,
        ),
        Column(
            "Status basis",
            "basis",
            "The documents (and lines) its status and dates come from.",
            required=False,
            kind=TEXT,
            width=50,
        ),
    ),
)
LIFE = ("status", "live_from", "closed_on", "superseded_by", "basis")  # PlanLife's columns
FINDINGS = Sheet(
    "Findings answered",
    "The inspection's findings the plan answers. The inspection and its findings must already "
    "be in the tracker.",
    (
        Column(
            "Review",
            "review",
            "The inspection's code in the tracker, such as joint-inspection-2017.",
        ),
        Column("Finding code", "code", "The finding's code in that inspection, such as A."),
        Column(
            "Finding",
            "text",
            "The finding's words, for reference: never read back.",
            required=False,
            kind=TEXT,
            width=60,
        ),
    ),
)
OUTCOMES_SOUGHT = Sheet(
    "Outcomes sought",
    "The outcomes the plan seeks for each finding it answers, in the plan's order.",
    (
        Column("Finding code", "finding", "A finding on the Findings answered sheet, such as A."),
        Column("Outcome sought", "text", "The outcome in the plan's words.", kind=TEXT, width=60),
    ),
    required=False,
)
REQUIRED_OUTCOMES = Sheet(
    "Required outcomes",
    "What the plan must achieve for each finding, numbered within the finding.",
    (
        Column(
            "Code",
            "code",
            "The finding's code and the outcome's number: A1 (APA3-1 where the "
            "finding's code ends in a digit).",
        ),
        Column("Title", "title", "The required outcome in the plan's words.", kind=TEXT, width=60),
        source("required outcome"),
        notes("required outcome"),
    ),
)
ACTIONS = Sheet(
    "Actions",
    "What will be done, by when: one row an action, under its required outcome.",
    (
        Column("Code", "code", CODE_HELP),
        Column("Action", "text", "The action in the plan's words.", kind=TEXT, width=60),
        Column(
            "Timescale",
            "timescale",
            "The timescale as the plan writes it, such as "
            "'By March 2019' (blank where none is printed).",
            required=False,
            width=25,
        ),
        Column(
            "Due date",
            "due_date",
            "Where the timescale names one: the end of that month.",
            required=False,
            kind=DATE,
        ),
        Column(
            "Measures of success",
            "measures_of_success",
            "How the plan will know it worked.",
            required=False,
            kind=TEXT,
            width=50,
        ),
        source("action"),
        notes("action"),
    ),
)
OWNER_ROLES = Sheet(
    "Owner roles",
    "The job roles that own or lead actions.",
    (
        Column("Role", "title", "The job title, such as SEN Manager.", width=40),
        Column(
            "Organisation",
            "organisation",
            "The organisation's short name in the tracker, "
            "such as OCC; blank for the partnership as a whole.",
            required=False,
        ),
        Column(
            "Basis",
            "basis",
            "Why this organisation: the document's words.",
            required=False,
            kind=TEXT,
            width=50,
        ),
    ),
)
OWNERS = Sheet(
    "Owners",
    "Who owns each action, in the order the plan prints them.",
    (
        Column("Action code", "action", CODE_HELP),
        Column(
            "Role", "role", "A role on the Owner roles sheet (or already in the tracker).", width=40
        ),
        Column(
            "Owner kind",
            "kind",
            "Whether the plan names the role as action owner or "
            "accountable leader: a word from the list.",
            choices=OWNER_KINDS,
            width=32,
        ),
    ),
)
FRAMEWORK = Sheet(
    "Performance framework",
    "The performance framework's groups, in order, and the measures each lists (whether or "
    "not they carry numbers), one row a measure listed.",
    (
        Column("Group", "group", "The group's name.", width=40),
        Column(
            "Measure listed",
            "name",
            "A measure the group lists, in the framework's order (blank for a group that "
            "lists none).",
            required=False,
            width=60,
        ),
    ),
    required=False,
)
MEASURES = Sheet(
    "Measures",
    "The measures of success that carry numbers.",
    (
        Column("Measure code", "slug", "The measure's short code, such as ehcp-timeliness."),
        Column("Measure", "name", "The measure's name.", width=50),
        Column("Unit", "unit", "percent, count or days.", choices=UNITS),
        Column("Better", "better", "higher or lower: which way is better.", choices=BETTER),
        Column("Baseline", "baseline_value", "The baseline figure.", required=False, kind=NUMBER),
        Column(
            "Baseline period ends",
            "baseline_period_end",
            "The last day of the baseline's period.",
            required=False,
            kind=DATE,
        ),
        Column(
            "Baseline period", "baseline_label", "The baseline's period in words.", required=False
        ),
        Column(
            "Baseline source",
            "baseline_source",
            "Where the baseline comes from.",
            required=False,
            kind=TEXT,
            width=40,
        ),
        Column(
            "Finding codes",
            "findings",
            "The findings it measures, separated by commas.",
            required=False,
        ),
        Column(
            "Action codes",
            "actions",
            "The actions it measures, separated by commas.",
            required=False,
            width=30,
        ),
        Column(
            "Group",
            "group",
            "Its group on the Performance framework sheet, if any.",
            required=False,
            width=30,
        ),
        notes("measure"),
    ),
)
TARGETS = Sheet(
    "Targets",
    "Each measure's targets, one row a period.",
    (
        Column("Measure code", "measure", "A measure on the Measures sheet."),
        Column("Period ends", "period_end", "The last day of the target's period.", kind=DATE),
        Column("Period", "label", "The period in words, such as March 2019."),
        Column("Target", "value", "The target figure.", kind=NUMBER),
        Column("Source", "source", "Where the target comes from.", kind=TEXT, width=40),
    ),
)
FIGURES = Sheet(
    "Figures",
    "Each measure's actual figures as the plan's documents publish them, one row a period "
    "(optional: figures officers record are kept in the tracker, not here).",
    (
        Column("Measure code", "measure", "A measure on the Measures sheet."),
        Column("Period ends", "period_end", "The last day of the figure's period.", kind=DATE),
        Column("Period", "label", "The period in words, such as June 2018."),
        Column("Figure", "value", "The actual figure.", kind=NUMBER),
        Column("Source", "source", "Where the figure comes from.", kind=TEXT, width=40),
        Column("Note", "note", "What the record notes about it.", False, TEXT, width=40),
    ),
    required=False,
)
RATINGS = Sheet(
    "Ratings",
    "Ratings the plan's documents publish, one row an action and month (optional: officers' "
    "monthly updates are recorded in the tracker, not here).",
    (
        Column("Action code", "action", CODE_HELP),
        Column("Month", "month", "The first day of the month rated.", kind=DATE),
        Column(
            "Rating",
            "rating",
            "A word of the rating key: "
            + ", ".join(f"{e.word} ({e.meaning})" for e in rating_key.KEY)
            + ".",
            choices=RATING_WORDS,
        ),
        Column(
            "Source",
            "source_reference",
            "The document and lines that print it.",
            kind=TEXT,
            width=50,
        ),
    ),
    required=False,
)

SHEETS = (
    PLAN,
    FINDINGS,
    OUTCOMES_SOUGHT,
    REQUIRED_OUTCOMES,
    ACTIONS,
    OWNER_ROLES,
    OWNERS,
    FRAMEWORK,
    MEASURES,
    TARGETS,
    FIGURES,
    RATINGS,
)
ABOUT = "About"
BY_TITLE = {sheet.title: sheet for sheet in SHEETS}

INTRODUCTION = (
    "This workbook is a plan in the shape the WSOA Tracker reads. Keep each sheet's name and "
    "first row (the column headers) as they are; fill one row per item below them. Codes join "
    "the sheets: an action's code (A1.1) names its required outcome (A1), whose code names its "
    "finding (A). Uploading the workbook again updates the rows with the same codes and never "
    "duplicates them. Type values, not formulas: the tracker never calculates a formula. Dates "
    "as dates (30/06/2018)."
)
