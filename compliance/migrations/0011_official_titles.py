"""Office kinds named as the state names them (issue 14 item 5), and the seats titled
after them: the Director General's in full, the officers', directors' and auditors' seats
after the Directorate General and the Inspectorate General, the Dukcapil heads' after the
Dinas Kependudukan dan Pencatatan Sipil. A seat given another title by hand keeps it."""

from django.db import migrations, models

# kind: (old title or prefix, new), a prefix when it ends with a space or "("
RETITLE = {
    "director_general": [
        ("Direktur Jenderal Dukcapil", "Direktur Jenderal Kependudukan dan Pencatatan Sipil"),
    ],
    "ministry_officer": [
        (
            "Pejabat Kementerian (",
            "Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (",
        ),
    ],
    "ministry_director": [
        (
            "Direktur Kementerian (",
            "Direktur pada Direktorat Jenderal Kependudukan dan Pencatatan Sipil (",
        ),
    ],
    "auditor": [("Auditor (Inspektorat) (", "Auditor Inspektorat Jenderal (")],
    "provincial_dukcapil_head": [
        ("Kepala Dinas Dukcapil ", "Kepala Dinas Kependudukan dan Pencatatan Sipil "),
    ],
    "regency_dukcapil_head": [
        ("Kepala Dinas Dukcapil ", "Kepala Dinas Kependudukan dan Pencatatan Sipil "),
    ],
}


def retitle(apps, schema_editor, *, forward=True):
    Office = apps.get_model("compliance", "Office")
    taken = set(Office.objects.values_list("title", flat=True))
    for kind, renames in RETITLE.items():
        for old, new in renames:
            old, new = (old, new) if forward else (new, old)
            prefix = old.endswith((" ", "("))
            offices = Office.objects.filter(kind=kind)
            offices = offices.filter(title__startswith=old) if prefix else offices.filter(title=old)
            for office in offices:
                title = new + office.title[len(old) :]
                if title in taken or len(title) > 200:
                    continue  # a seat already bears it: this one keeps its own
                taken.discard(office.title)
                taken.add(title)
                office.title = title
                office.save(update_fields=["title"])


def restore(apps, schema_editor):
    retitle(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0010_event_feed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="office",
            name="kind",
            field=models.CharField(
                choices=[
                    ("minister", "Menteri Dalam Negeri"),
                    ("director_general", "Direktur Jenderal Kependudukan dan Pencatatan Sipil"),
                    (
                        "ministry_officer",
                        "Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
                    ),
                    (
                        "ministry_director",
                        "Direktur pada Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
                    ),
                    ("governor", "Gubernur"),
                    (
                        "provincial_dukcapil_head",
                        "Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi",
                    ),
                    ("regent", "Bupati"),
                    ("mayor", "Wali Kota"),
                    (
                        "regency_dukcapil_head",
                        "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten/Kota",
                    ),
                    ("auditor", "Auditor Inspektorat Jenderal"),
                ],
                max_length=32,
                verbose_name="jenis jabatan",
            ),
        ),
        migrations.RunPython(retitle, restore),
    ]
