"""Nothing hard-wired to Oxfordshire: a second area, its inspection and finding made by
factories and its plan loaded from a workbook built in the test, alongside the real
record; no page, export, pack, public page, open data file or API list of one area shows
the other's data, and an officer sees only the areas of the roles they hold.

"Otherdale" and everything in it are test data made up for the test."""

import datetime
import html
import io
import json
from io import StringIO

import pypdf
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action, AreaMember, OwnerRole, Plan
from actions.services import workbook_confirm, workbook_upload
from actions.workbook.export import workbook_bytes
from reviews.models import Area, ReviewKind
from tests.factories import (
    ApiTokenFactory,
    AreaFactory,
    FindingFactory,
    OrganisationFactory,
    ReviewFactory,
    RoleHoldingFactory,
    UserFactory,
    VerdictFactory,
)
from tests.helpers import action_by_code, with_rows
from weaknesses.models import Finding, FindingKind

OTHER_FINDING = "otherdale test finding about waiting lists"
OTHER_ACTION = "Otherdale test action: publish the waiting list"
OTHER_ORGANISATION = "Otherdale District Council"
OTHER_ROLE = "Otherdale test lead"
OTHER_VERDICT = "Otherdale test verdict summary"


def load_second_area():
    """Otherdale: its area, organisation, inspection, finding and a monitoring visit's
    verdict by factories; its plan, owner role, action and a rating from a workbook."""
    area = AreaFactory(slug="otherdale", name="Otherdale local area")
    OrganisationFactory(area=area, short_name="ODC", name=OTHER_ORGANISATION)
    inspection = ReviewFactory(
        area=area,
        slug="otherdale-2024-inspection",
        title="Otherdale test inspection",
        kind=ReviewKind.AREA_SEND_INSPECTION,
        start_date=datetime.date(2024, 1, 8),
        end_date=datetime.date(2024, 1, 12),
    )
    finding = FindingFactory(
        review=inspection,
        code="APA1",
        position=1,
        kind=FindingKind.AREA_FOR_PRIORITY_ACTION,
        text=OTHER_FINDING,
    )
    VerdictFactory(
        review=ReviewFactory(
            area=area,
            slug="otherdale-monitoring",
            title="Otherdale test monitoring inspection",
            kind=ReviewKind.MONITORING_INSPECTION,
            start_date=datetime.date(2025, 6, 2),
            end_date=datetime.date(2025, 6, 4),
        ),
        finding=finding,
        summary=OTHER_VERDICT,
    )
    data = with_rows(
        workbook_bytes(),
        {
            "Plan": [
                [
                    "otherdale-pap",
                    "otherdale",
                    "Otherdale test priority action plan",
                    "ODPAP",
                    datetime.date(2024, 3, 31),
                    datetime.date(2025, 3, 31),
                    None,
                    "Made up for the test",
                ]
            ],
            "Findings answered": [["otherdale-2024-inspection", "APA1", None]],
            "Required outcomes": [["APA1-1", "Otherdale test outcome"]],
            "Actions": [["APA1-1.1", OTHER_ACTION, "By June 2024", None, None]],
            "Owner roles": [[OTHER_ROLE, "ODC"]],
            "Owners": [["APA1-1.1", OTHER_ROLE, "Action owner"]],
            "Ratings": [["APA1-1.1", datetime.date(2024, 3, 1), "Amber", "Test"]],
        },
    )
    user = UserFactory(username="loader", is_superuser=True)
    upload = workbook_upload(user=user, file_name="otherdale.xlsx", data=data)
    assert upload.preview["problems"] == [], upload.preview["problems"]
    workbook_confirm(upload=upload, user=user)
    return Plan.objects.get(slug="otherdale-pap")


def plain(text):
    """Text as a reader sees it, for comparing: unescaped, one space, lower case."""
    return " ".join(html.unescape(text).split()).lower()


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf", response.content[:300]
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def xlsx_text(response):
    book = load_workbook(io.BytesIO(response.content))
    return " ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )


@override_settings(BOARD_PACK_IN_BACKGROUND=False)
class SecondAreaTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_record", stdout=StringIO())
        cls.wsoa = Plan.objects.get(area__slug="oxfordshire")
        cls.other_plan = load_second_area()
        cls.other_action = Action.objects.get(required_outcome__plan=cls.other_plan)
        cls.other_finding = Finding.objects.get(review__area__slug="otherdale")
        cls.ours = action_by_code("A1.1")  # the WSOA's first action
        cls.our_finding = cls.ours.required_outcome.weakness
        cls.board_member = UserFactory(username="board", board_member=True)
        for area in Area.objects.all():  # a member of both areas' boards
            AreaMember.objects.create(user=cls.board_member, area=area)
        cls.their_board_member = UserFactory(username="their-board", board_member=True)
        AreaMember.objects.create(user=cls.their_board_member, area=cls.other_plan.area)
        cls.no_ones = UserFactory(username="nobodys-board", board_member=True)
        cls.their_officer = UserFactory(username="their-officer", officer=True)
        RoleHoldingFactory(user=cls.their_officer, role=OwnerRole.objects.get(title=OTHER_ROLE))
        cls.our_officer = UserFactory(username="our-officer", officer=True)
        RoleHoldingFactory(user=cls.our_officer, role=OwnerRole.objects.get(title="SEN Manager"))

    def page(self, url, params=None, user=None):
        self.client.force_login(user or self.board_member)
        response = self.client.get(url, params or {})
        assert response.status_code == 200, (url, params, response.status_code)
        return response

    def text(self, url, params=None, user=None):
        return self.page(url, params, user).content.decode()

    def assert_only_ours(self, text, where):
        """Oxfordshire's data and none of Otherdale's."""
        text = plain(text)
        for theirs in (OTHER_FINDING, OTHER_ACTION, OTHER_ORGANISATION, OTHER_ROLE, OTHER_VERDICT):
            assert plain(theirs) not in text, (where, theirs)

    def assert_only_theirs(self, text, where):
        text = plain(text)
        for ours in (
            self.ours.text[:60],
            self.our_finding.text[:60],
            "Oxfordshire County Council",
            "SEN Manager",
        ):
            assert plain(ours) not in text, (where, ours)

    def test_the_second_area_loaded_alongside_the_first(self):
        assert list(Area.objects.order_by("pk").values_list("slug", flat=True)) == [
            "oxfordshire",
            "otherdale",
        ]
        assert self.other_action.code == "APA1-1.1"
        assert OwnerRole.objects.get(title=OTHER_ROLE).area.slug == "otherdale"

    def test_the_grid_and_its_filters_are_one_areas(self):
        ours = self.page(reverse("actions:grid"))
        assert ours.context["plan"] == self.wsoa
        assert [p.slug for p in ours.context["plans"]] == [self.wsoa.slug]
        self.assert_only_ours(ours.content.decode(), "grid")
        form = ours.context["form"]
        assert OTHER_ORGANISATION not in str(form["organisation"])
        for params in ({"area": "otherdale"}, {"plan": "otherdale-pap"}):
            theirs = self.page(reverse("actions:grid"), params)
            assert theirs.context["plan"] == self.other_plan
            assert [row.action for row in theirs.context["grid"].rows()] == [self.other_action]
            text = theirs.content.decode()
            assert OTHER_ACTION in text and "Otherdale local area" in text
            self.assert_only_theirs(text, f"grid {params}")
        # A plan of one area asked for with the other's area is no page.
        self.client.force_login(self.board_member)
        response = self.client.get(
            reverse("actions:grid"), {"plan": "otherdale-pap", "area": "oxfordshire"}
        )
        assert response.status_code == 404

    def test_the_exports_are_one_areas(self):
        for name in ("actions:grid-csv", "actions:grid-xlsx"):
            ours, theirs = (
                self.page(reverse(name)),
                self.page(reverse(name), {"area": "otherdale"}),
            )
            if name.endswith("csv"):
                ours_text = b"".join(ours.streaming_content).decode("utf-8-sig")
                theirs_text = b"".join(theirs.streaming_content).decode("utf-8-sig")
            else:
                ours_text, theirs_text = xlsx_text(ours), xlsx_text(theirs)
            assert "A1.1" in ours_text and "APA1-1.1" not in ours_text
            self.assert_only_ours(ours_text, name)
            assert OTHER_ACTION in theirs_text
            self.assert_only_theirs(theirs_text, name)
            assert "A1.1" not in theirs_text

    def test_the_board_pack_is_one_areas(self):
        theirs = pdf_text(self.page(reverse("actions:board-pack"), {"area": "otherdale"}))
        assert "Otherdale test priority action plan" in theirs and OTHER_ACTION in theirs
        self.assert_only_theirs(theirs, "board pack")
        ours = pdf_text(
            self.page(
                reverse("actions:board-pack"),
                {"weakness": self.our_finding.pk, "as_at": "2018-03-31"},
            )
        )
        assert self.wsoa.title in ours
        self.assert_only_ours(ours, "board pack")

    def test_the_actions_list_needs_attention_and_approvals_are_one_areas(self):
        for name in ("actions:list", "actions:needs-attention", "actions:approvals"):
            ours = self.text(reverse(name))
            assert "Oxfordshire local area" in ours, name
            self.assert_only_ours(ours, name)
            theirs = self.text(reverse(name), {"area": "otherdale"})
            assert "Otherdale local area" in theirs, name
            self.assert_only_theirs(theirs, name)
        assert OTHER_ACTION in self.text(reverse("actions:list"), {"area": "otherdale"})
        assert plain(self.ours.text[:60]) in plain(self.text(reverse("actions:list")))

    def test_the_findings_pages_and_calibration_are_one_areas(self):
        ours = self.text(reverse("findings:list"))
        assert plain(self.our_finding.text[:60]) in plain(ours)
        self.assert_only_ours(ours, "findings")
        theirs = self.text(reverse("findings:list"), {"area": "otherdale"})
        assert plain(OTHER_FINDING) in plain(theirs)
        self.assert_only_theirs(theirs, "findings")
        ours = self.text(reverse("findings:calibration"))
        self.assert_only_ours(ours, "calibration")
        theirs = self.text(reverse("findings:calibration"), {"area": "otherdale"})
        assert OTHER_VERDICT in theirs
        self.assert_only_theirs(theirs, "calibration")
        self.assert_only_ours(
            self.text(reverse("findings:detail", args=[self.our_finding.pk])), "finding"
        )
        theirs = self.text(reverse("findings:detail", args=[self.other_finding.pk]))
        assert plain(OTHER_FINDING) in plain(theirs)
        self.assert_only_theirs(theirs, "finding page")

    def test_the_public_pages_name_their_area_and_show_only_its_findings(self):
        self.client.logout()
        ours = self.client.get(reverse("public-progress")).content.decode()
        assert "Oxfordshire local area" in ours
        self.assert_only_ours(ours, "public")
        theirs = self.client.get(reverse("public-progress"), {"area": "otherdale"})
        text = theirs.content.decode()
        assert "Otherdale local area" in text and OTHER_FINDING in text
        self.assert_only_theirs(text, "public")
        one = self.client.get(
            reverse("public-finding", args=["otherdale-2024-inspection", "APA1"])
        ).content.decode()
        assert "Otherdale local area" in one and "?area=otherdale" in one
        self.assert_only_theirs(one, "public finding")
        assert self.client.get(reverse("public-progress"), {"area": "nowhere"}).status_code == 404

    def test_the_open_data_is_one_areas(self):
        self.client.logout()
        from actions.reports.open_data import TABLES

        for table in TABLES:
            ours = self.client.get(reverse("open-data-json", args=[table]))
            document = json.loads(ours.content)
            assert document["area"] == "oxfordshire" and ours["X-Area"] == "oxfordshire"
            self.assert_only_ours(ours.content.decode(), table)
            theirs = self.client.get(reverse("open-data-json", args=[table]), {"area": "otherdale"})
            assert json.loads(theirs.content)["area_name"] == "Otherdale local area"
            self.assert_only_theirs(theirs.content.decode(), table)
            csv = self.client.get(reverse("open-data-csv", args=[table]), {"area": "otherdale"})
            assert csv["X-Area"] == "otherdale"
            self.assert_only_theirs(csv.content.decode("utf-8-sig"), table)
        rows = json.loads(
            self.client.get(
                reverse("open-data-json", args=["actions"]), {"area": "otherdale"}
            ).content
        )["rows"]
        assert [row["code"] for row in rows] == ["APA1-1.1"]
        page = self.client.get(reverse("open-data")).content.decode()
        assert "Otherdale local area" in page and "Oxfordshire local area" in page

    def test_the_api_lists_are_one_areas(self):
        token = ApiTokenFactory(user=self.board_member)
        header = {"authorization": f"Bearer {token.secret}"}
        self.client.logout()
        for name in (
            "api:plans",
            "api:findings",
            "api:required-outcomes",
            "api:actions",
            "api:measures",
        ):
            ours = self.client.get(reverse(name), headers=header)
            assert ours.status_code == 200, name
            self.assert_only_ours(ours.content.decode(), name)
            assert "otherdale" not in ours.content.decode(), name
            theirs = self.client.get(reverse(name), {"area": "otherdale"}, headers=header)
            self.assert_only_theirs(theirs.content.decode(), name)
        plans = self.client.get(reverse("api:plans"), {"area": "otherdale"}, headers=header).json()
        assert [(p["slug"], p["area"]) for p in plans["results"]] == [
            ("otherdale-pap", "otherdale")
        ]
        grid = self.client.get(reverse("api:plan-grid", args=["otherdale-pap"]), headers=header)
        assert [row["code"] for row in grid.json()["results"]] == ["APA1-1.1"]

    def test_an_officer_sees_only_the_areas_of_the_roles_they_hold(self):
        theirs = self.text(reverse("actions:list"), user=self.their_officer)
        assert OTHER_ACTION in theirs and "Otherdale local area" in theirs
        self.assert_only_theirs(theirs, "their officer's list")
        ours = self.text(reverse("actions:list"), user=self.our_officer)
        self.assert_only_ours(ours, "our officer's list")
        self.client.force_login(self.our_officer)
        for url, params in (
            (reverse("actions:list"), {"area": "otherdale"}),
            (reverse("actions:grid"), {"plan": "otherdale-pap"}),
            (reverse("actions:grid"), {"area": "otherdale"}),
            (reverse("findings:list"), {"area": "otherdale"}),
            (reverse("findings:detail", args=[self.other_finding.pk]), {}),
            (self.other_action.get_absolute_url(), {}),
        ):
            assert self.client.get(url, params).status_code == 404, (url, params)
        self.client.force_login(self.their_officer)
        assert self.client.get(self.ours.get_absolute_url()).status_code == 404
        # The grid they see by default is their own area's plan.
        grid = self.page(reverse("actions:grid"), user=self.their_officer)
        assert grid.context["plan"] == self.other_plan

    def test_a_board_member_sees_only_the_areas_they_are_a_member_of(self):
        theirs = self.page(reverse("actions:grid"), user=self.their_board_member)
        assert theirs.context["plan"] == self.other_plan
        self.assert_only_theirs(theirs.content.decode(), "their board member's grid")
        for name in ("actions:list", "findings:list", "findings:calibration"):
            text = self.text(reverse(name), user=self.their_board_member)
            assert "Otherdale local area" in text and "Other areas" not in text, name
            self.assert_only_theirs(text, name)
        self.client.force_login(self.their_board_member)
        for url, params in (
            (reverse("actions:grid"), {"plan": self.wsoa.slug}),
            (reverse("findings:list"), {"area": "oxfordshire"}),
            (reverse("findings:detail", args=[self.our_finding.pk]), {}),
            (self.ours.get_absolute_url(), {}),
        ):
            assert self.client.get(url, params).status_code == 404, (url, params)

    def test_with_two_areas_a_board_member_of_neither_sees_neither(self):
        self.client.force_login(self.no_ones)
        assert self.client.get(reverse("actions:grid")).status_code == 404
        for name in ("actions:list", "findings:list", "findings:calibration"):
            text = self.text(reverse(name), user=self.no_ones)
            self.assert_only_ours(text, name)
            self.assert_only_theirs(text, name)

    def test_an_administrator_sees_every_area(self):
        administrator = UserFactory(username="administrator", administrator=True)
        assert OTHER_ACTION in self.text(
            reverse("actions:list"), {"area": "otherdale"}, user=administrator
        )
        assert plain(self.ours.text[:60]) in plain(
            self.text(reverse("actions:list"), user=administrator)
        )
