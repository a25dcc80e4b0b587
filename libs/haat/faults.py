"""Crash points for failure tests: `HAAT_CRASH_AT=<name>` kills the process there, like `kill -9`.

The resilience tests start a real worker process with this set and check that nothing is lost or doubled.
Unset (always, outside those tests) a crash point is one dictionary lookup.
"""

from __future__ import annotations

import os
import sys

ENV_VAR = "HAAT_CRASH_AT"
EXIT_CODE = 137  # what a shell reports for SIGKILL


def crash_point(name: str) -> None:
    if os.environ.get(ENV_VAR) == name:
        sys.stderr.write(f"haat: crash point {name} reached, exiting abruptly\n")
        sys.stderr.flush()
        os._exit(EXIT_CODE)
