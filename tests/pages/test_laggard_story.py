"""Issue 7, end to end with real parts: a ministry officer uploads a national file in the
console, a real Celery worker imports it while the job page reports progress, the console
shows the laggards on its chart, and (through the console's button, as the weekly task
would) the regents of the laggards get their directives and e-mails through a real SMTP
server, the governor in copy."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance.models import District, RecordingImport
from tests.factories import official
from tests.pages.confirming import confirmation, press_confirm
from tests.workflow.delivery_rig import MailServer, Worker, broker, new_prefix, wait_for
from workflow.default_policies import ensure_default_policies
from workflow.models import Directive, EscalationPolicy, EscalationStep, Notification

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Last year, so that no date is ever in the future: half recorded on 1 January, then by
# 23 November everyone near the path to 100 % except Merangin and Sarolangun.
YEAR = timezone.localdate().year - 1
START, LATEST = date(YEAR, 1, 1), date(YEAR, 11, 23)
BEHIND = {"15.02": 550, "15.03": 560}  # recorded of 1,000 obliged: 55 % and 56 %
ON_TRACK = 960


def national_file():
    lines = ["district_code,date,obliged,recorded,printed"]
    for code, regency in District.objects.values_list("code", "regency__code").order_by("code"):
        lines.append(f"{code},{START},1000,500,450")
        recorded = BEHIND.get(regency, ON_TRACK)
        lines.append(f"{code},{LATEST},1000,{recorded},{recorded - 50}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def rig(postgres, regions, log_flushable, redis_url, tmp_path):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    prefix, server = new_prefix(), MailServer().start()
    worker = Worker(
        broker_url=redis_url,
        prefix=prefix,
        mail_url=server.url,
        log_path=tmp_path / "worker.log",
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),  # where the upload is kept
    )
    with broker(redis_url, prefix):
        yield server, worker.start()
        worker.stop()
        server.stop()


def test_upload_import_laggards_directives_and_emails(client, rig):
    server, worker = rig
    client.force_login(official("ministry_officer", username="petugas.rekam"))

    # 1. the upload: the job page polls until the worker has imported all 14,570 rows
    upload = SimpleUploadedFile("rekam-nasional.csv", national_file())
    response = client.post(reverse("recording:upload"), {"file": upload})
    job = RecordingImport.objects.get()
    assert response.url == reverse("recording:job", args=[job.pk])
    status_url = reverse("recording:job-status", args=[job.pk])
    assert 'hx-trigger="every 1s"' in client.get(status_url).content.decode()
    wait_for(lambda: RecordingImport.objects.get().is_finished, 90, worker.log)
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("succeeded", 7285 * 2), (job.errors[:5], worker.log())
    assert "hx-trigger" not in client.get(status_url).content.decode()

    # 2. the console's chart and table mark the two laggards (figures as of the file's date)
    html = client.get(reverse("console:country")).content.decode()
    laggards = re.search(r'data-testid="laggards">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<tr data-code="([\d.]+)"', laggards) == ["15.02", "15.03"]
    assert "<svg" in html

    # 3. the directives, one per laggard, and their e-mails through SMTP
    asked = client.post(reverse("console:issue_acceleration"), {"at": LATEST.isoformat()})
    assert "2 kepala daerah akan menerima direktif percepatan" in confirmation(asked)[2]
    press_confirm(client, asked)
    directives = Directive.objects.filter(origin_key__startswith="acceleration:")
    assert sorted(d.assignments.get().office.regency.code for d in directives) == [
        "15.02",
        "15.03",
    ]
    wait_for(
        lambda: (
            set(Notification.objects.values_list("state", flat=True)) == {"sent"}
            and Notification.objects.count() == 4
        ),
        60,
        worker.log,
    )
    merangin = next(
        m for m in server.handler.messages if "Merangin" in m.get_body(("plain",)).get_content()
    )
    text = merangin.get_body(("plain",)).get_content()
    assert re.search(r"55[.,]0", text)  # the regency's realisation, in the e-mail
    recipients = sorted(m["To"] for m in server.handler.messages)
    assert len(recipients) == 4  # two regents, the governor of Jambi in copy twice
    governor = official_email("governor", "15")
    assert sum(governor in r for r in recipients) == 2


def official_email(kind, province_code):
    from compliance.models import Office

    return Office.objects.get(kind=kind, province__code=province_code).email
