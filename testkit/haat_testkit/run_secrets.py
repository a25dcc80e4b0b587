"""Secrets for a test or benchmark run: random, made once per process and put in the environment, so that
every settings object of the run (made by fixtures, or read from the environment by code such as
migrations, or by child processes) has the same ones. Nothing has a default secret any more."""

from __future__ import annotations

import os
import secrets

from haat.settings import SECRET_FIELDS


def use_random_secrets() -> None:
    for name in SECRET_FIELDS:
        os.environ.setdefault(f"HAAT_{name.upper()}", secrets.token_urlsafe(32))
