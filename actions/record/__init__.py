"""Loads the real record (fixtures/*.yaml) into the database, running the readers in order.

One transaction for the whole record: a broken record file stores nothing, and the error names
the file and the record. Rows are found by their natural keys, so a second run changes nothing.
A row whose latest history entry was not written by this loader has been edited since (in the
admin or by an officer): it is reported, never overwritten. How a row is written is in sync.py;
what each file holds is in its reader (area, reviews, plan, ratings, roles, wsoa, measures).
"""

from django.db import transaction

from . import area, measures, plan, ratings, reviews, roles, wsoa
from .sync import LOADED_BY, LoadReport, RecordError, Sync

__all__ = ["LOADED_BY", "LoadReport", "RecordError", "RecordLoader"]


class RecordLoader:
    def __init__(self, directory):
        self.engine = Sync(directory)
        self.directory = self.engine.directory
        self.report = self.engine.report

    def load(self):
        engine = self.engine
        with transaction.atomic():
            the_area, organisations = area.load(engine, engine.read("area.yaml"))
            findings = reviews.load(engine, engine.read("reviews.yaml"), the_area, organisations)
            plan_data = engine.read("wsoa/plan.yaml")
            the_plan, weaknesses = plan.load(engine, plan_data, the_area, findings)
            printed = ratings.reading(engine, plan_data, the_plan)
            owner_roles = roles.load(
                engine, engine.read("wsoa/roles.yaml"), the_area, organisations
            )
            actions = {}
            for path in sorted((self.directory / "wsoa").glob("[A-Z].yaml")):
                data = engine.read(path.relative_to(self.directory))
                actions |= wsoa.load(engine, data, the_plan, weaknesses, owner_roles, printed)
            measures.load(engine, engine.read("measures.yaml"), the_plan, weaknesses, actions)
        return self.report
