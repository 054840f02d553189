"""`make run`: web, worker and beat of Procfile.dev under honcho, on PORT (default 8000),
with e-mail links that follow the port, and a Ctrl-C that stops all three cleanly.

honcho's own `start` gives each process type its own PORT (8000, 8100, 8200: the worker's
links would point to 8100), SIGKILLs whatever still runs 5 seconds after the first process
stops (a worker in the middle of a task included), and exits 130 on Ctrl-C, which make
reports as an error. Here every process gets the web server's SITE_URL, the worker has
time for its warm shutdown, and a Ctrl-C that stops everything without a kill is a
normal end (exit 0)."""

import os
import signal
import sys

from honcho import manager as honcho_manager
from honcho.environ import expand_processes, parse_procfile
from honcho.printer import Printer

# Longer than a delivery batch takes: the worker finishes its task, then exits.
STOP_WAIT_SECONDS = 60
INTERRUPTED = {130, 143}  # honcho's return codes for SIGINT and SIGTERM


class Manager(honcho_manager.Manager):
    killed = False

    def kill(self):
        self.killed = True
        super().kill()

    def _killall(self, force=False):
        """honcho signals each process's whole group; a Celery worker's pool children
        then die mid-task and the worker hangs in its shutdown. The worker's main process
        alone gets SIGTERM: its warm shutdown finishes the running tasks, then stops the
        pool. (The web server's reloader and its child still go as a group.) Procfile.dev
        starts each command with `exec`, so that the process honcho knows is the worker."""
        if force:
            return super()._killall(force=True)
        for name, process in self._processes.items():
            if "returncode" in process or process.get("pid") is None:
                continue
            self._system_print(f"sending SIGTERM to {name} (pid {process['pid']})\n")
            if name.startswith("worker"):
                os.kill(process["pid"], signal.SIGTERM)
            else:
                self._procmgr.terminate(process["pid"])


def environment(port):
    env = os.environ.copy()
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    return env


def main(procfile="Procfile.dev"):
    honcho_manager.KILL_WAIT = STOP_WAIT_SECONDS
    port = int(os.environ.get("PORT", "8000"))
    with open(procfile) as f:
        processes = parse_procfile(f.read()).processes
    manager = Manager(Printer(sys.stdout))
    base = environment(port)
    for p in expand_processes(processes, port=port):
        manager.add_process(p.name, p.cmd, quiet=p.quiet, env={**base, **p.env})
    manager.loop()
    if manager.returncode in INTERRUPTED and not manager.killed:
        return 0
    return manager.returncode


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
