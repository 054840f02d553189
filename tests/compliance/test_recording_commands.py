"""generate_recording writes a plausible file the importer accepts, the same for the same
seed; import_recording shows progress, writes it, or refuses it with every bad line in
both languages and exit code 1."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance.models import District, RecordingReport
from compliance.recording import realisation

pytestmark = pytest.mark.django_db

HEADER = "district_code,date,obliged,recorded,printed\n"


def generate(path, *extra):
    call_command(
        "generate_recording",
        "--from=2017-01-01",
        "--to=2017-01-31",
        "--every=10",
        "--regions=15.02,15.09",
        f"--output={path}",
        *extra,
    )


def test_the_generated_file_covers_every_district_and_date_and_imports(tmp_path, capsys):
    path = tmp_path / "rekam.csv"
    generate(path)
    lines = path.read_text().splitlines()
    districts = District.objects.filter(regency__code__in=["15.02", "15.09"]).count()
    assert lines[0] == HEADER.strip()
    assert len(lines) - 1 == districts * 4  # 1, 11, 21 and 31 January
    call_command("import_recording", str(path))
    assert f"{districts * 4} reports written" in capsys.readouterr().out
    assert RecordingReport.objects.count() == districts * 4
    january = realisation(date(2017, 1, 31), "15.02")["realisation"]
    assert 55 <= january <= 97


def test_the_same_seed_gives_the_same_file_and_another_seed_another(tmp_path):
    generate(tmp_path / "a.csv", "--seed=7")
    generate(tmp_path / "b.csv", "--seed=7")
    generate(tmp_path / "c.csv", "--seed=8")
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    assert (tmp_path / "a.csv").read_text() != (tmp_path / "c.csv").read_text()


def test_figures_only_grow_and_stay_ordered(tmp_path):
    path = tmp_path / "rekam.csv"
    generate(path)
    by_district = {}
    for line in path.read_text().splitlines()[1:]:
        code, _, obliged, recorded, printed = line.split(",")
        figures = (int(obliged), int(recorded), int(printed))
        assert figures[2] <= figures[1] <= figures[0]
        previous = by_district.get(code, (0, 0, 0))
        assert all(now >= before for now, before in zip(figures, previous, strict=True))
        by_district[code] = figures


def test_an_xlsx_file_is_generated_and_imported(tmp_path):
    path = tmp_path / "rekam.xlsx"
    generate(path, "--format=xlsx")
    call_command("import_recording", str(path))
    assert RecordingReport.objects.filter(date=date(2017, 1, 31)).exists()


def test_a_refused_file_lists_every_bad_line_in_both_languages_and_exits_1(tmp_path, capsys):
    path = tmp_path / "rekam.csv"
    path.write_text(HEADER + "15.02.01,2017-10-01,10,5,1\n99.99.99,2017-10-01,10,5,1\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_recording", str(path))
    assert refused.value.returncode == 1
    assert "1 errors, nothing written" in str(refused.value)
    assert (
        "baris/line 3: Kode kecamatan 99.99.99 tidak dikenal. / Unknown district code 99.99.99."
        in capsys.readouterr().err
    )
    assert not RecordingReport.objects.exists()
