"""Reads wsoa/<letter>.yaml: a weakness's outcomes sought, required outcomes, actions and owners."""

from actions.models import Action, ActionOwner, OutcomeSought, RequiredOutcome

from . import ratings
from .sync import RecordError, read_fields, text


def load(engine, data, plan, weaknesses, roles, printed):
    """The weakness's actions by code ("A1.1")."""
    with engine.at("weakness"):
        values = read_fields(
            data, ["weakness", "source", "outcomes_sought", "required_outcomes"], ["readings"]
        )
        weakness = weaknesses[values["weakness"]]
        document = text(values["source"]).split()[0]
    for position, outcome in enumerate(values["outcomes_sought"], start=1):
        with engine.at(f"outcome sought {position}"):
            outcome = read_fields(outcome, ["text"])
            engine.sync(
                OutcomeSought,
                {"plan": plan, "finding": weakness, "position": position},
                {"text": text(outcome["text"])},
            )
    actions = {}
    for record in values["required_outcomes"]:
        with engine.at(f"required outcome {weakness.code}{record.get('number')}"):
            fields = read_fields(record, ["number", "title", "actions"], ["source_lines", "notes"])
            required_outcome = engine.sync(
                RequiredOutcome,
                {"plan": plan, "weakness": weakness, "number": fields["number"]},
                {
                    "title": text(fields["title"]),
                    "notes": text(fields["notes"]),
                    "source": f"{document} lines {fields['source_lines']}",
                },
            )
        for record in fields["actions"]:
            with engine.at(f"action {required_outcome.code}.{record.get('number')}"):
                action = load_action(engine, required_outcome, record, document, roles, printed)
            actions[action.code] = action
    return actions


def load_action(engine, required_outcome, record, document, roles, printed):
    """An action, its owners in printed order, and its printed rating."""
    fields = read_fields(
        record,
        ["number", "text", "timescale", "owners", "measures_of_success", "published_rating"],
        ["due_date", "source_lines", "notes"],
    )
    source = f"{document} lines {fields['source_lines']}"
    action = engine.sync(
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
    for position, owner in enumerate(fields["owners"], start=1):
        owner = read_fields(owner, ["role", "kind"])
        if owner["role"] not in roles:
            raise RecordError(f"owner role {owner['role']!r} is not in wsoa/roles.yaml")
        engine.sync(
            ActionOwner,
            {"action": action, "role": roles[owner["role"]]},
            {"kind": owner["kind"], "position": position},
        )
    ratings.load(engine, action, fields["published_rating"], source, printed)
    return action
