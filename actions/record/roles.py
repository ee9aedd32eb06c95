"""Reads wsoa/roles.yaml: the owner roles, the other ways each is printed, and its organisation.

An action's owner always shows its role's organisation: the weakness files name roles only.
"""

from actions.models import OwnerRole

from .sync import RecordError, read_fields, text


def load(engine, data, area, organisations):
    """Every role by each way the WSOA prints it (its title and `also_written`)."""
    roles = {}
    for record in data["roles"]:
        with engine.at(f"owner role {record.get('title')!r}"):
            values = read_fields(record, ["title", "organisation", "basis"], ["also_written"])
            organisation = values["organisation"]
            role = engine.sync(
                OwnerRole,
                {"area": area, "title": values["title"]},
                {
                    "organisation": organisations[organisation] if organisation else None,
                    "basis": text(values["basis"]),
                },
            )
            for written in [values["title"], *(values["also_written"] or [])]:
                if written in roles:
                    raise RecordError(f"{written!r} names two roles")
                roles[written] = role
    return roles
