"""A busy board day, for locust (run by benchmarks/load_test.py, which sets the accounts up).

Board members read the grid, findings and actions, and now and then download the board
pack; officers open their actions and save ratings (a new month's rating, then
corrections). Every user signs in first, through the real sign-in page, then gives the
code of their authenticator app (computed here, as the app would: django_otp.oath.totp).
"""

import datetime
import itertools
import os
import random
import re
from urllib.parse import urlencode

from django_otp.oath import totp
from locust import FastHttpUser, between, task

PASSWORD = os.environ["LOAD_PASSWORD"]
TOTP_KEY = bytes.fromhex(os.environ["LOAD_TOTP_KEY"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ACTION_LINK = re.compile(r'href="/actions/(\d+)/"')
FINDING_LINK = re.compile(r'href="/findings/(\d+)/"')
REFUSED_CLEARLY = re.compile(r"was changed by|already has a rating")
THIS_MONTH = datetime.date.today()
NUMBERS = {"board-member": itertools.count(1), "officer": itertools.count(1)}


class SignedInUser(FastHttpUser):
    abstract = True
    wait_time = between(3, 10)  # reading a page before the next click
    account = ""

    def on_start(self):
        number = next(NUMBERS[self.account])
        self.username = f"load-{self.account}-{number:03d}"
        self.post_form("/sign-in/", {"username": self.username, "password": PASSWORD}, "sign-in")
        self.post_form("/sign-in/code/", {"code": f"{totp(TOTP_KEY):06d}"}, "sign-in code")

    def post_form(self, url, fields, name, page=None):
        """POST a form as a browser would, with the CSRF token of the page it came from
        (fetched first unless given)."""
        page = page or self.client.get(url, name=f"{name} (form)")
        token = CSRF.search(page.text or "")
        if not token:
            return None
        with self.client.post(
            url,
            data=urlencode({"csrfmiddlewaretoken": token.group(1), **fields}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.host + url,
            },
            name=f"{name} (save)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            elif response.status_code == 200 and REFUSED_CLEARLY.search(response.text):
                # Someone with the same role saved first: refused, with a clear message.
                response.success()
            else:
                response.failure(f"{response.status_code}: not saved")
        return response


class BoardMember(SignedInUser):
    weight = 7
    account = "board-member"

    def on_start(self):
        super().on_start()
        self.findings = self.actions = []

    def links(self):
        """The findings and actions to click on (read again if an earlier read failed)."""
        if not self.findings:
            page = self.client.get("/findings/", name="findings")
            self.findings = FINDING_LINK.findall(page.text or "") or ["1"]
        if not self.actions:
            page = self.client.get("/actions/", name="actions")
            self.actions = ACTION_LINK.findall(page.text or "") or ["1"]

    @task(5)
    def grid(self):
        self.client.get("/actions/grid/", name="grid")

    @task(3)
    def finding(self):
        self.links()
        self.client.get(f"/findings/{random.choice(self.findings)}/", name="finding")

    @task(2)
    def action(self):
        self.links()
        self.client.get(f"/actions/{random.choice(self.actions)}/", name="action")

    @task(1)
    def actions_list(self):
        self.client.get("/actions/", name="actions")

    @task(1)
    def board_pack(self):
        self.client.get("/actions/board-pack.pdf", name="board pack PDF")


class Officer(SignedInUser):
    weight = 3
    account = "officer"

    def on_start(self):
        super().on_start()
        self.mine = []

    def my_action(self):
        if not self.mine:
            self.my_actions()
        return random.choice(self.mine or ["1"])

    @task(2)
    def my_actions(self):
        page = self.client.get("/actions/", name="actions")
        self.mine = ACTION_LINK.findall(page.text or "") or self.mine

    @task(2)
    def action(self):
        self.client.get(f"/actions/{self.my_action()}/", name="action")

    @task(2)
    def save_rating(self):
        action = self.my_action()
        correct = f"/actions/{action}/ratings/{THIS_MONTH.year}/{THIS_MONTH.month}/correct/"
        with self.client.get(correct, name="rating (form)", catch_response=True) as page:
            if page.status_code == 404:  # not rated this month yet: record it
                page.success()
                self.post_form(
                    f"/actions/{action}/update/",
                    {
                        "month": THIS_MONTH.strftime("%Y-%m"),
                        "rating": "amber",
                        "commentary": "Load test: progress noted at the board meeting",
                        "evidence": "",
                    },
                    "rating",
                )
                return
        version = VERSION.search(page.text or "")
        if version:
            self.post_form(
                correct,
                {
                    "rating": random.choice(["amber", "red"]),
                    "commentary": "Load test: corrected after the meeting",
                    "evidence": "",
                    "reason": "Load test correction",
                    "version": version.group(1),
                },
                "rating correction",
                page=page,
            )
