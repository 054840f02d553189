"""A working day on the site: ministry officers, directors, governors and regents, each
signing in the way the app has them sign in and visiting the pages and API lists their role
uses (docs/pages.md "Who sees what", docs/api.md).

Run it with `bench/bench_http.py --locust` (`--no-wrk --locust` for the scenario alone),
which builds the data, creates the accounts (with fresh recovery codes for the offices that
need a second factor), starts gunicorn and runs

    locust -f bench/locustfile.py --headless -u 50 -r 2 -t 120s \
        --host http://127.0.0.1:8765 --csv <folder>/run

with BENCH_HTTP_SCENARIO naming the JSON file of the accounts and what they visit (in a
temporary folder, removed at the end), then prints failures and p95 per page.

Proportions (the weights): the users counted are those signed in at the same time. There are
514 regents and mayors (with their Dukcapil heads) but each comes when a directive or a
letter arrives; a few dozen ministry officers work in the application all day; 38 governors
(or their provincial Dukcapil heads) follow their province a few times a week; a handful of
directors decide approvals. Hence about half regents, a third officers, a sixth governors
and one director in twenty: weights 10, 6, 3 and 1.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SCENARIO = json.loads(open(os.environ["BENCH_HTTP_SCENARIO"]).read())  # noqa: SIM115
# Each locust user takes the next account of its role (several users may share one).
# Which province, regency or directive a click goes to: any, evenly.
choose = random.SystemRandom().choice
ACCOUNTS = {role: itertools.cycle(entries) for role, entries in SCENARIO["roles"].items()}


class Official(HttpUser):
    abstract = True
    role = None
    wait_time = between(1, 4)  # reading a page before the next click

    def on_start(self):
        self.account = next(ACCOUNTS[self.role])
        self.sign_in()

    def sign_in(self):
        """The sign-in form (/masuk/), then, for an office that needs a second factor, a
        recovery code on /masuk/kode/ (single use: a fresh one each time)."""
        form = self.client.get("/masuk/", name="/masuk/")
        response = self.client.post(
            "/masuk/",
            data={
                "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
                "username": self.account["username"],
                "password": SCENARIO["password"],
            },
            name="/masuk/ (POST)",
        )
        if "/masuk/kode/" in response.url:
            self.client.post(
                "/masuk/kode/",
                data={
                    "csrfmiddlewaretoken": CSRF.search(response.text).group(1),
                    "code": self.account["codes"].pop(),
                },
                name="/masuk/kode/ (POST)",
            )

    def page(self, url, name):
        """A GET that must answer 200 without being sent back to sign in."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/masuk/" in response.url:
                response.failure("sent back to sign in")

    def province(self):
        return choose(SCENARIO["provinces"])

    def regency(self):
        return choose(SCENARIO["regencies"])

    def directive(self):
        return choose(SCENARIO["directives"])


class MinistryOfficer(Official):
    """Follows the country, its provinces and regencies, and the directives' progress."""

    weight = 6
    role = "officer"

    @task
    def work(self):
        self.page("/kerja/", "/kerja/")

    @task(3)
    def console(self):
        self.page("/console/", "/console/")

    @task(2)
    def province_page(self):
        self.page(f"/console/provinces/{self.province()}/", "/console/provinces/[code]/")

    @task(2)
    def regency_page(self):
        self.page(f"/console/regencies/{self.regency()}/", "/console/regencies/[code]/")

    @task
    def directives(self):
        self.page("/directives/", "/directives/")

    @task
    def directive_page(self):
        self.page(f"/directives/{self.directive()}/", "/directives/[id]/")

    @task
    def search(self):
        self.page("/cari/?q=Merangin", "/cari/?q=")

    @task
    def regencies_api(self):
        self.page(f"/api/v1/regencies/?province={self.province()}", "/api/v1/regencies/?province=")

    @task
    def assignments_api(self):
        url = f"/api/v1/assignments/?directive={self.directive()}"
        self.page(url, "/api/v1/assignments/?directive=")

    @task
    def assignment_api(self):
        url = f"/api/v1/assignments/{choose(SCENARIO['assignments'])}/"
        self.page(url, "/api/v1/assignments/[id]/")


class MinistryDirector(Official):
    """Decides suspensions, reconnections and extensions: the approvals queue first."""

    weight = 1
    role = "director"

    @task(2)
    def work(self):
        self.page("/kerja/", "/kerja/")

    @task(2)
    def console(self):
        self.page("/console/", "/console/")

    @task(3)
    def approvals(self):
        self.page("/console/approvals/", "/console/approvals/")

    @task
    def regency_page(self):
        self.page(f"/console/regencies/{self.regency()}/", "/console/regencies/[code]/")

    @task
    def suspension_requests_api(self):
        url = "/api/v1/suspension-requests/?status=pending"
        self.page(url, "/api/v1/suspension-requests/?status=pending")


class Governor(Official):
    """His province: the console narrowed to it, his inbox, his directives."""

    weight = 3
    role = "governor"

    @task(2)
    def work(self):
        self.page("/kerja/", "/kerja/")

    @task(3)
    def console(self):
        self.page("/console/", "/console/")

    @task(2)
    def province_page(self):
        code = self.account["province"]
        self.page(f"/console/provinces/{code}/", "/console/provinces/[code]/")

    @task
    def inbox(self):
        self.page("/inbox/", "/inbox/")

    @task
    def directives(self):
        self.page("/directives/", "/directives/")

    @task
    def approvals(self):
        self.page("/console/approvals/", "/console/approvals/")

    @task
    def overdue_api(self):
        url = f"/api/v1/assignments/?province={self.account['province']}&overdue=true"
        self.page(url, "/api/v1/assignments/?province=&overdue=true")


class Regent(Official):
    """His assignments by urgency, one assignment, his regency's one path, his letters."""

    weight = 10
    role = "regent"

    @task(2)
    def work(self):
        self.page("/kerja/", "/kerja/")

    @task(3)
    def inbox(self):
        self.page("/inbox/", "/inbox/")

    @task(3)
    def assignment(self):
        pk = choose(self.account["assignments"])
        self.page(f"/inbox/assignments/{pk}/", "/inbox/assignments/[id]/")

    @task(2)
    def my_regency(self):
        code = self.account["regency"]
        self.page(f"/inbox/regency/{code}/", "/inbox/regency/[code]/")

    @task
    def letters(self):
        self.page("/inbox/letters/", "/inbox/letters/")

    @task
    def mine_api(self):
        self.page("/api/v1/assignments/?mine=true", "/api/v1/assignments/?mine=true")
