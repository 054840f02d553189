"""The demo's recording reports: Jambi's districts through 2017, imported as an upload."""

from datetime import date

# --- recording reports ----------------------------------------------------------------

# The article: Sarolangun and Merangin near 60 % of their residents recorded in October
# 2017, the other regencies near the provincial average. Recorded shares on 1 January and
# in mid-October (day 287) per regency; each district varies by up to two points.
RECORDING_SHARES = {"15.02": (0.50, 0.60), "15.03": (0.49, 0.59)}
OTHER_SHARES = (0.78, 0.89)
RECORDING_DAYS = (1, 10, 20)  # reports on these days of every month of 2017


def recording_report_rows():
    """Jambi's districts through 2017 as (code, date, obliged, recorded, printed)."""
    from .models import District
    from .recording_generator import curve

    start, october = date(2017, 1, 1), date(2017, 10, 15)
    curves = [
        (code, curve(code, 2017, share=share, target=target, target_days=(october - start).days))
        for code, regency in District.objects.filter(regency__province__code="15")
        .order_by("code")
        .values_list("code", "regency__code")
        for share, target in [RECORDING_SHARES.get(regency, OTHER_SHARES)]
    ]
    for month in range(1, 13):
        for day in RECORDING_DAYS:
            when = date(2017, month, day)
            yield from ((code, when, *c.at((when - start).days)) for code, c in curves)


def load_recording_reports():
    """Through the importer, as a ministry officer's upload would be."""
    import io

    from .recording_generator import write_csv
    from .recording_import import import_file

    text = io.StringIO()
    write_csv(recording_report_rows(), text)
    result = import_file(io.BytesIO(text.getvalue().encode()), fmt="csv")
    if not result.ok:
        raise RuntimeError(f"demo recording reports refused: {result.errors[:3]}")
    return result.rows_written
