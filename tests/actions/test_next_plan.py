"""The next plan: an administrator starts a plan answering the 2023 areas for priority
action in the admin screens, and it has its own grid without touching the WSOA's."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from actions.models import Action, ActionOwner, OwnerRole, Plan, RequiredOutcome
from actions.services import rating_decide, rating_record
from tests.factories import UserFactory
from tests.helpers import cells, csv_rows
from weaknesses.models import Finding


class NextPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_record", stdout=StringIO())
        cls.administrator = UserFactory(username="administrator", administrator=True)
        cls.board_member = UserFactory(username="board", board_member=True)
        cls.apa3 = Finding.objects.get(review__slug="2023-area-send-inspection", code="APA3")
        cls.apa1 = Finding.objects.get(review__slug="2023-area-send-inspection", code="APA1")

    def create_the_plan_in_the_admin(self):
        self.client.force_login(self.administrator)
        wsoa = Plan.objects.get()
        response = self.client.post(
            reverse("admin:actions_plan_add"),
            {
                "area": wsoa.area_id,
                "slug": "app-2024",
                "title": "Priority action plan 2024",
                "short_name": "PAP",
                "first_quarter_end": "2024-03-31",
                "last_quarter_end": "2025-03-31",
                "findings": [self.apa1.pk, self.apa3.pk],
                "source": "Board minutes, January 2024",
            },
        )
        assert response.status_code == 302, response.content[:2000]
        plan = Plan.objects.get(slug="app-2024")
        response = self.client.post(
            reverse("admin:actions_requiredoutcome_add"),
            {
                "plan": plan.pk,
                "weakness": self.apa3.pk,
                "number": 1,
                "title": "EHC plans are timely and quality assured",
                "actions-TOTAL_FORMS": 1,
                "actions-INITIAL_FORMS": 0,
                "actions-MIN_NUM_FORMS": 0,
                "actions-MAX_NUM_FORMS": 1000,
                "actions-0-number": 1,
                "actions-0-text": "Audit every new EHC plan for quality each month",
                "actions-0-timescale": "Monthly, from April 2024",
                "actions-0-due_date": "",
                "actions-0-measures_of_success": "90% of audited plans good or better",
            },
        )
        assert response.status_code == 302, response.content[:2000]
        action = Action.objects.get(required_outcome__plan=plan)
        response = self.client.post(
            reverse("admin:actions_action_change", args=[action.pk]),
            {
                "required_outcome": action.required_outcome_id,
                "number": 1,
                "text": action.text,
                "timescale": action.timescale,
                "measures_of_success": action.measures_of_success,
                "action_owners-TOTAL_FORMS": 1,
                "action_owners-INITIAL_FORMS": 0,
                "action_owners-MIN_NUM_FORMS": 0,
                "action_owners-MAX_NUM_FORMS": 1000,
                "action_owners-0-position": 1,
                "action_owners-0-role": OwnerRole.objects.get(title="SEN Manager").pk,
                "action_owners-0-kind": "action_owner",
                "ratings-TOTAL_FORMS": 0,
                "ratings-INITIAL_FORMS": 0,
                "ratings-MIN_NUM_FORMS": 0,
                "ratings-MAX_NUM_FORMS": 1000,
            },
        )
        assert response.status_code == 302, response.content[:3000]
        assert ActionOwner.objects.get(action=action).role.title == "SEN Manager"
        return plan, action

    def test_a_second_plan_has_its_own_grid_and_the_wsoas_is_untouched(self):
        self.client.force_login(self.board_member)
        wsoa_before = cells(self.client.get(reverse("actions:grid")))
        plan, action = self.create_the_plan_in_the_admin()

        officer = UserFactory(username="officer", officer=True)
        update = rating_record(
            action=action,
            month=datetime.date(2024, 5, 1),
            user=officer,
            rating="amber",
            commentary="First audit done",
            evidence="",
            evidence_links="",
        )
        rating_decide(rating=update, user=UserFactory(chair=True), expected_version=1, accept=True)

        self.client.force_login(self.board_member)
        response = self.client.get(reverse("actions:grid"), {"plan": "app-2024"})
        assert response.context["plan"] == plan
        assert [f"{q:%b %Y}" for q in response.context["grid"].quarters] == [
            "Mar 2024",
            "Jun 2024",
            "Sep 2024",
            "Dec 2024",
            "Mar 2025",
        ]
        assert cells(response) == {
            "APA3-1.1": ["Not rated", "Amber", "Not rated", "Not rated", "Not rated"]
        }
        page = response.content.decode()
        assert "Priority action plan 2024" in page and "APA3: Leaders" in page

        wsoa = self.client.get(reverse("actions:grid"))
        assert wsoa.context["plan"].slug != "app-2024"
        assert cells(wsoa) == wsoa_before
        assert len(wsoa_before) == 82

        rows = csv_rows(self.client.get(reverse("actions:grid-csv"), {"plan": "app-2024"}))
        assert [row[2] for row in rows[1:]] == ["APA3-1.1"]
        assert self.client.get(reverse("actions:grid"), {"plan": "nope"}).status_code == 404

    def test_the_grid_filters_offer_the_plans_own_findings(self):
        plan, _ = self.create_the_plan_in_the_admin()
        self.client.force_login(self.board_member)
        form = self.client.get(reverse("actions:grid"), {"plan": plan.slug}).context["form"]
        assert list(form.fields["weakness"].queryset) == [self.apa1, self.apa3]

    def test_a_findings_page_links_the_plans_and_actions_answering_it_over_the_years(self):
        plan, action = self.create_the_plan_in_the_admin()
        self.client.force_login(self.board_member)
        c = Finding.objects.get(review__slug="2017-joint-inspection", code="C")
        response = self.client.get(reverse("findings:detail", args=[c.pk]))
        plans = response.context["plans"]
        assert [p.slug for p, _ in plans] == [
            Plan.objects.exclude(pk=plan.pk).get().slug,
            "app-2024",
        ]
        assert plans[1][1] == [action]
        page = response.content.decode()
        assert f'href="{action.get_absolute_url()}"' in page and "(for APA3)" in page
        assert f"?plan={plan.slug}" in page
        apa3 = self.client.get(reverse("findings:detail", args=[self.apa3.pk]))
        assert [p.slug for p, _ in apa3.context["plans"]][-1] == "app-2024"
        assert RequiredOutcome.objects.filter(plan=plan).count() == 1
