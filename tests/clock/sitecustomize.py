"""Child processes of a test run (Celery workers, manage.py commands, the embedded
default's web, worker and beat) keep the clock the run was given with `--today`.

Only on the PYTHONPATH of a run started with `--today` (tests/conftest.py puts it there);
TEST_CLOCK_OFFSET is how many seconds the run's clock is ahead of the machine's."""

import os

_offset = os.environ.get("TEST_CLOCK_OFFSET")
if _offset:
    import datetime as _dt

    import time_machine as _time_machine

    _time_machine.travel(
        _dt.datetime.now(_dt.UTC) + _dt.timedelta(seconds=float(_offset)), tick=True
    ).start()
