"""The API on the real record (manage.py load_record): the grid endpoint gives the same
cells as ProgressGrid, cell by cell, now and as at 2019-03-31, over every page; pages are in
a stable order; a future or impossible "as at" is a 400 saying why; and nothing a caller
without a token can reach carries a name, commentary or evidence."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.api.urls import urlpatterns
from actions.models import Action, Plan
from actions.reports.grid import ProgressGrid
from actions.rules import as_at as as_at_rule
from actions.rules.shown import NOT_RATED
from tests.factories import ApiTokenFactory, RatingFactory, RoleHoldingFactory, UserFactory
from tests.helpers import RecordTestCase, reopen_the_wsoa

SENTINELS = ["SENTINEL-COMMENTARY", "SENTINEL-EVIDENCE", "Zebedee", "Quarrington", "zebedee"]


class ApiOnTheRecord(RecordTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        reopen_the_wsoa()
        officer = UserFactory(
            username="zebedee", officer=True, first_name="Zebedee", last_name="Quarrington"
        )
        chair = UserFactory(username="chair-api", chair=True)
        first, second = Action.objects.in_plan_order()[:2]
        RoleHoldingFactory(user=officer, role=first.owners.first())
        common = {
            "recorded_by": officer,
            "commentary": "SENTINEL-COMMENTARY",
            "evidence": "SENTINEL-EVIDENCE",
        }
        RatingFactory(
            action=first,
            month=datetime.date(2018, 7, 1),
            rating="amber",
            accepted_with_board_rating=True,
            board_rating="red",
            decided_by=chair,
            **common,
        )
        RatingFactory(
            action=second, month=datetime.date(2018, 8, 1), rating="green", submitted=True, **common
        )
        cls.token = ApiTokenFactory(user=cls.board_member)

    def api(self, name, *args, **query):
        response = Client().get(
            reverse(name, args=args),
            query,
            headers={"authorization": f"Bearer {self.token.secret}"},
        )
        return response

    def every_page(self, name, *args, **query):
        """Every result over every page, following `next`, with the pages' documents."""
        results, documents = [], []
        response = self.api(name, *args, **query)
        while True:
            assert response.status_code == 200, response.content[:300]
            document = response.json()
            documents.append(document)
            results += document["results"]
            if not document["next"]:
                return results, documents
            response = Client().get(
                document["next"], headers={"authorization": f"Bearer {self.token.secret}"}
            )

    def test_the_grid_endpoint_gives_progress_grids_cells_cell_by_cell(self):
        for as_at in ("", "2019-03-31"):
            for plan in Plan.objects.all():
                actions = Action.objects.filter(required_outcome__plan=plan).in_plan_order()
                grid = ProgressGrid(plan, actions, as_at=as_at_rule.parse(as_at), window=None)
                rows, documents = self.every_page(
                    "api:plan-grid", plan.slug, as_at=as_at, page_size=9
                )
                assert len(documents) > 1 or len(rows) <= 9
                quarters = [quarter.isoformat() for quarter in grid.quarters]
                assert all(d["quarters"] == quarters for d in documents)
                assert [r["code"] for r in rows] == [row.action.code for row in grid.rows()]
                for mine, theirs in zip(rows, grid.rows(), strict=True):
                    for cell, expected, quarter in zip(
                        mine["cells"], theirs.cells, quarters, strict=True
                    ):
                        assert cell == {
                            "quarter_end": quarter,
                            "rating": expected.rating or NOT_RATED,
                            "rating_word": expected.get_rating_display(),
                            "month": expected.month.isoformat() if expected.month else None,
                            "officer_rating": expected.officer_rating,
                            "pending_rating": expected.pending_rating,
                        }, (plan.slug, as_at, mine["code"], quarter)
        now = {r["code"]: r for r in self.every_page("api:plan-grid", "wsoa-2018")[0]}
        september = {c["quarter_end"]: c for c in now["A1.1"]["cells"]}["2018-09-30"]
        assert (september["rating"], september["officer_rating"]) == ("red", "amber")
        pending = {c["quarter_end"]: c for c in now["A1.2"]["cells"]}["2018-09-30"]
        assert (pending["rating"], pending["pending_rating"]) == (NOT_RATED, "green")
        then, documents = self.every_page("api:plan-grid", "wsoa-2018", as_at="2019-03-31")
        assert documents[0]["as_at"] == "2019-03-31"
        assert documents[0]["as_at_words"] == "As at the end of 31 March 2019"
        september = {c["quarter_end"]: c for c in then[0]["cells"]}["2018-09-30"]
        assert (then[0]["code"], september["rating"]) == ("A1.1", NOT_RATED)  # recorded later

    def test_a_future_or_impossible_as_at_is_a_400_saying_why(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        for asked, message in (
            (tomorrow.isoformat(), as_at_rule.FUTURE),
            ("2019-02-30", as_at_rule.INVALID),
            ("next tuesday", as_at_rule.INVALID),
        ):
            response = self.api("api:plan-grid", "wsoa-2018", as_at=asked)
            assert response.status_code == 400
            assert response.json() == {"as_at": [message]}
        assert self.api("api:plan-grid", "no-such-plan").status_code == 404

    def test_pages_are_in_a_stable_order_with_nothing_missed_or_repeated(self):
        for name in ("api:actions", "api:findings", "api:required-outcomes", "api:measures"):
            whole, _ = self.every_page(name, page_size=500)
            paged, documents = self.every_page(name, page_size=7)
            again, _ = self.every_page(name, page_size=7)
            assert paged == whole == again, name
            assert documents[0]["count"] == len(whole)
            key = "slug" if name == "api:measures" else "id"
            assert len({r[key] for r in whole}) == len(whole)
        actions = [r["code"] for r in self.every_page("api:actions")[0]]
        in_order = Action.objects.in_plan_order().order_by(
            "required_outcome__plan__first_quarter_end",
            "required_outcome__weakness__position",
            "required_outcome__number",
            "number",
        )
        assert actions == [a.code for a in in_order]
        assert self.api("api:actions", page=999).status_code == 404

    def test_the_endpoints_carry_what_a_board_member_reads(self):
        findings, _ = self.every_page("api:findings")
        b = next(f for f in findings if f["review"] == "2017-joint-inspection" and f["code"] == "B")
        assert {v["review"]: v["judgement"] for v in b["verdicts"]}["2019-revisit"] == (
            "not_sufficient_progress"
        )
        assert all(v["issued_on"] for f in findings for v in f["verdicts"])
        actions, _ = self.every_page("api:actions")
        assert all(a["owners"] for a in actions[:5])
        assert set(actions[0]["owners"][0]) == {"role", "organisation", "kind"}
        measures, _ = self.every_page("api:measures")
        ehcp = next(m for m in measures if m["slug"] == "ehcp-within-20-weeks")
        assert {"period_end": "2018-06-30", "value": 50.0}.items() <= ehcp["targets"][0].items()
        plans = self.api("api:plans").json()["results"]
        assert plans[0]["slug"] == "wsoa-2018" and plans[0]["status"] == "live"
        assert self.api("api:plan", "wsoa-2018").json()["title"] == plans[0]["title"]

    def test_nothing_reachable_without_a_token_carries_names_commentary_or_evidence(self):
        anonymous = Client()
        for pattern in urlpatterns:
            args = ["wsoa-2018"] if "<slug:plan>" in str(pattern.pattern) else []
            response = anonymous.get(reverse(f"api:{pattern.name}", args=args))
            if pattern.name in ("schema", "docs"):
                assert response.status_code == 200
            else:
                assert response.status_code == 401, pattern.name
                assert set(response.json()) == {"detail"}
            body = response.content.decode()
            for sentinel in SENTINELS:
                assert sentinel not in body, (pattern.name, sentinel)
        with_token = self.api("api:actions").content.decode()
        assert "SENTINEL" not in with_token and "Zebedee" not in with_token
