"""Reads area.yaml: the local area and its organisations (OCC, OCCG, BOB ICB) with their dates."""

from reviews.models import Area, Organisation

from .sync import read_fields, text


def load(engine, data):
    """The area, and its organisations by short name."""
    with engine.at("area"):
        area = read_fields(data["area"], ["slug", "name"])
        area = engine.sync(Area, {"slug": area["slug"]}, {"name": area["name"]})
    organisations = {}
    for record in data["organisations"]:
        with engine.at(f"organisation {record.get('short_name')}"):
            values = read_fields(
                record, ["short_name", "name", "kind", "active_from", "active_until", "basis"]
            )
            short_name = values.pop("short_name")
            values["basis"] = text(values["basis"])
            organisations[short_name] = engine.sync(
                Organisation, {"area": area, "short_name": short_name}, values
            )
    return area, organisations
