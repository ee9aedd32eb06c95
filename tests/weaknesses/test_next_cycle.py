"""The 2023 cycle on the same model: a monitoring inspection (or a DfE and NHS England
stocktake) an administrator records in the admin screens judges findings one by one, shown
on the calibration and finding pages beside the earlier verdicts; and a priority action plan
loaded through the workbook answers the 2023 findings, its actions linked to the area they
answer and, through the record's continuations, to the 2017 weakness they continue.

The monitoring inspection, its verdict and the plan's actions here are test data made up
for the test: the repository's fixtures hold only what the documents say."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from actions.models import Action, Plan
from actions.services import workbook_confirm, workbook_upload
from actions.workbook.export import workbook_bytes
from reviews.models import Area, Review, ReviewKind
from tests.factories import UserFactory
from tests.helpers import with_rows
from weaknesses.models import Finding, Verdict

INSPECTION_2023 = "2023-area-send-inspection"


def priority_action_plan_workbook():
    """A priority action plan answering all nine 2023 findings, one required outcome and
    one action each, built from the blank template."""
    codes = [f"APA{n}" for n in range(1, 6)] + [f"AFI{n}" for n in range(1, 5)]
    return with_rows(
        workbook_bytes(),
        {
            "Plan": [
                [
                    "pap-2024",
                    "oxfordshire",
                    "Priority action plan (test)",
                    "PAP",
                    datetime.date(2024, 3, 31),
                    datetime.date(2025, 3, 31),
                    None,
                    "Made up for the test",
                ]
            ],
            "Findings answered": [[INSPECTION_2023, code, None] for code in codes],
            "Required outcomes": [[f"{code}-1", f"Outcome for {code}"] for code in codes],
            "Actions": [
                [f"{code}-1.1", f"Test action for {code}", "By March 2025", None, None]
                for code in codes
            ],
            "Owner roles": [["Test lead", "OCC"]],
            "Owners": [[f"{code}-1.1", "Test lead", "Action owner"] for code in codes],
        },
    )


class NextCycleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_record", stdout=StringIO())
        cls.administrator = UserFactory(username="administrator", administrator=True)
        cls.board_member = UserFactory(username="board", board_member=True)
        cls.apa3 = Finding.objects.get(review__slug=INSPECTION_2023, code="APA3")
        cls.c = Finding.objects.get(review__slug="2017-joint-inspection", code="C")

    def load_the_plan(self):
        user = UserFactory(is_superuser=True)
        upload = workbook_upload(
            user=user, file_name="pap.xlsx", data=priority_action_plan_workbook()
        )
        assert upload.preview["problems"] == []
        workbook_confirm(upload=upload, user=user)
        return Plan.objects.get(slug="pap-2024")

    def record_a_monitoring_inspection_in_the_admin(self):
        self.client.force_login(self.administrator)
        response = self.client.post(
            reverse("admin:reviews_review_add"),
            {
                "area": Area.objects.get(slug="oxfordshire").pk,
                "slug": "test-monitoring-inspection",
                "title": "Test monitoring inspection",
                "kind": ReviewKind.MONITORING_INSPECTION,
                "bodies": "Test inspectors",
                "start_date": "2025-01-13",
                "end_date": "2025-01-17",
                "letter_date": "2025-02-20",
                "published_date": "",
                "outcome": "Test outcome",
                "source_document": "Test letter",
                "notes": "",
            },
        )
        assert response.status_code == 302, response.content[:3000]
        review = Review.objects.get(slug="test-monitoring-inspection")
        response = self.client.post(
            reverse("admin:weaknesses_verdict_add"),
            {
                "review": review.pk,
                "finding": self.apa3.pk,
                "judgement": "not_sufficient_progress",
                "summary": "Test summary of the judgement on APA3",
                "reasons": "Test reasons for the judgement on APA3",
                "source": "Test letter, lines 1-2",
                "notes": "",
            },
        )
        assert response.status_code == 302, response.content[:3000]
        return review

    def test_the_follow_up_kinds_are_review_kinds(self):
        assert ReviewKind.MONITORING_INSPECTION.label == "Area SEND monitoring inspection"
        assert ReviewKind.STOCKTAKE.label == "DfE and NHS England stocktake"
        self.client.force_login(self.administrator)
        page = self.client.get(reverse("admin:reviews_review_add")).content.decode()
        assert 'value="monitoring_inspection"' in page and 'value="stocktake"' in page

    def test_a_recorded_monitoring_inspection_judgement_is_on_the_calibration_page(self):
        self.load_the_plan()
        self.record_a_monitoring_inspection_in_the_admin()
        self.client.force_login(self.board_member)
        response = self.client.get(reverse("findings:calibration"))
        items = response.context["items"]
        ours = [i for i in items if i.verdict.review.slug == "test-monitoring-inspection"]
        assert [i.verdict.finding for i in ours] == [self.apa3]
        # The board's picture on the inspection's first day: the plan's one APA3 action.
        assert ours[0].picture.day == datetime.date(2025, 1, 13)
        assert ours[0].picture.total == 1
        page = response.content.decode()
        assert "Test monitoring inspection, 13 January 2025" in page
        assert "Area SEND monitoring inspection by Test inspectors" in page
        assert "Test summary of the judgement on APA3" in page
        # The earlier verdicts are still there, in order before it.
        slugs = [i.verdict.review.slug for i in items]
        assert slugs.index("2019-revisit") < slugs.index("test-monitoring-inspection")

    def test_a_recorded_monitoring_inspection_judgement_is_on_the_finding_pages(self):
        self.record_a_monitoring_inspection_in_the_admin()
        self.client.force_login(self.board_member)
        apa3 = self.client.get(reverse("findings:detail", args=[self.apa3.pk]))
        page = apa3.content.decode()
        assert "Test summary of the judgement on APA3" in page
        assert [c.verdict.review.slug for c in apa3.context["calibrations"]] == [
            "test-monitoring-inspection"
        ]
        # Beside the earlier verdict on the weakness it continues, oldest first.
        assert [(v.review.slug, v.finding.code) for v in apa3.context["verdicts"]] == [
            ("2019-revisit", "C"),
            ("2019-revisit", "D"),
            ("2021-app-review", "C"),
            ("test-monitoring-inspection", "APA3"),
        ]
        assert "(area send monitoring inspection), January 2025: Not sufficient progress" in page
        assert ", on C: " in page
        # And weakness C's page shows the later judgement on APA3 after its own.
        c = self.client.get(reverse("findings:detail", args=[self.c.pk]))
        verdicts = [(v.review.slug, v.finding.code) for v in c.context["verdicts"]]
        assert verdicts[-1] == ("test-monitoring-inspection", "APA3")
        assert ("2019-revisit", "C") in verdicts
        assert "Test summary of the judgement on APA3" in c.content.decode()

    def test_a_judgement_not_issued_by_the_as_at_day_is_not_shown(self):
        self.record_a_monitoring_inspection_in_the_admin()
        self.client.force_login(self.board_member)
        for url in (
            reverse("findings:detail", args=[self.apa3.pk]),
            reverse("findings:detail", args=[self.c.pk]),
            reverse("findings:calibration"),
        ):
            page = self.client.get(url, {"as_at": "2025-02-19"}).content.decode()
            assert "Test summary of the judgement on APA3" not in page, url

    def test_a_priority_action_plan_loads_through_the_workbook_answering_the_2023_findings(self):
        plan = self.load_the_plan()
        assert sorted(f.code for f in plan.findings.all()) == [
            "AFI1",
            "AFI2",
            "AFI3",
            "AFI4",
            "APA1",
            "APA2",
            "APA3",
            "APA4",
            "APA5",
        ]
        actions = Action.objects.filter(required_outcome__plan=plan).in_plan_order()
        assert len(actions) == 9
        for action in actions:
            finding = action.required_outcome.weakness
            assert finding.review.slug == INSPECTION_2023
            assert action.code == f"{finding.code}-1.1"
        # The 2017 weaknesses each action continues, where the record says so.
        continued = {
            action.code: sorted(f.code for f in action.required_outcome.weakness.continues.all())
            for action in actions
        }
        assert continued["APA3-1.1"] == ["C", "D"]
        assert continued["APA1-1.1"] == []
        # The action page and the 2017 weakness's page both show the link.
        apa3_action = Action.objects.get(
            required_outcome__plan=plan, required_outcome__weakness=self.apa3
        )
        self.client.force_login(self.board_member)
        c = self.client.get(reverse("findings:detail", args=[self.c.pk]))
        plans = dict(c.context["plans"])
        assert plans[plan] == [apa3_action]
        assert "(for APA3)" in c.content.decode()
        detail = self.client.get(apa3_action.get_absolute_url()).content.decode()
        assert "APA3" in detail and "Continues 2017 significant weakness C" in detail
        # Its grid is its own, and the WSOA's is untouched.
        grid = self.client.get(reverse("actions:grid"), {"plan": "pap-2024"})
        assert len(list(grid.context["grid"].rows())) == 9
        assert Verdict.objects.filter(finding__review__slug=INSPECTION_2023).count() == 0
