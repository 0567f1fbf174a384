"""Settings, read once from the environment by a front end and passed down explicitly.

``CARBONPEAK_DATABASE_URL``  SQLAlchemy URL; default: SQLite file ``carbonpeak.db`` in
                             ``CARBONPEAK_HOME`` (default ``./.carbonpeak``), created on first run.
``CARBONPEAK_LANG``          ``zh`` (default) or ``en`` for messages and reports.
``CARBONPEAK_ACTOR``         who is recorded in the audit trail for CLI changes (default: the
                             operating-system user).
``CARBONPEAK_ENV``           ``development`` (default) or ``production``.
``CARBONPEAK_SECRET_KEY``    signs web sessions. Required in production. In development a random
                             key is generated once and kept in ``CARBONPEAK_HOME/secret_key``
                             (mode 0600): never a built-in default.
``CARBONPEAK_ADMIN_PASSWORD`` password of the first administrator, created on the first start of
                             the web server; without it a random one is generated and printed once.
``CARBONPEAK_PUBLIC_DOCS``   ``1``: ``/docs`` and ``/openapi.json`` are public in production too (by
                             default there they need a signed-in account; in development they are public).
``CARBONPEAK_FACTORS``       factor set over the shipped defaults when no ``--factors`` is given (the web
                             server too): a factor file path, or shipped alternative releases such as
                             ``CN-PROVINCIAL-GUIDE.r1`` (docs/reference-data.md).
``CARBONPEAK_LOGIN_LOG_DAYS`` days a sign-in attempt (account, client, time, outcome) is kept in
                             ``login_attempts``, default 90; older ones are deleted as new ones come.
``CARBONPEAK_READINGS_RETENTION_MONTHS`` PostgreSQL: full months of raw meter readings kept before
                             the current one (``carbonpeak monitor maintain`` drops older month
                             partitions; their rollups stay, and readings for them are refused as
                             ``expired``); default: kept for ever. SQLite keeps every reading.
``CARBONPEAK_READINGS_BACKFILL_MONTHS`` full months before the current one that a meter reading may
                             still start in (a device's or a file's backfill), default 120; earlier
                             periods are refused as ``too_old`` on both databases, so one batch cannot
                             make a partition for every month back to 1970.
``CARBONPEAK_COUNTIES``       several counties on one deployment: their codes, comma-separated
                             (``anhua,yueyang``). Each county gets a database of its own (a schema
                             ``county_<code>`` on PostgreSQL, a file ``carbonpeak-<code>.db`` on SQLite)
                             and a folder ``CARBONPEAK_HOME/counties/<code>``; the configured database
                             then holds the city's own accounts (services/tenancy.py, docs/tenancy.md).
                             Unset: one county in the configured database, as before.
``CARBONPEAK_PASSWORD_HASH_PROFILE`` ``standard`` (default): Argon2id with the library's defaults
                             (RFC 9106 low-memory profile). ``fast``: minimal Argon2 parameters, which
                             protect nothing; for the test suite only, refused in production.

Limits of every imported file (web upload, ``carbonpeak import``, monitoring backfill), checked
before and while the file is read (see :class:`ImportLimits`):

``CARBONPEAK_IMPORT_MAX_FILE_MB``          file size, default 50 (MB, decimals allowed)
``CARBONPEAK_IMPORT_MAX_UNCOMPRESSED_MB``  XLSX contents once unzipped, default 200 (MB)
``CARBONPEAK_IMPORT_MAX_ROWS``             rows after the header, default 200000
``CARBONPEAK_IMPORT_MAX_COLUMNS``          columns, default 100
``CARBONPEAK_IMPORT_MAX_CELL_CHARS``       characters in one cell, default 2000
``CARBONPEAK_IMPORT_MAX_CELLS``            cells in all (rows x columns as filled), default 3000000
``CARBONPEAK_IMPORT_MAX_ISSUES``           issues listed when a file is refused, default 100 (the
                                           total is always given)
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar


class SettingsError(RuntimeError):
    pass


MB = 1024 * 1024
# Argon2 parameters of stored passwords (services/users.py): the library defaults, or for the
# test suite minimal ones (each account then costs microseconds instead of a quarter second).
PASSWORD_HASH_PROFILES = ("standard", "fast")


@dataclass(frozen=True)
class ImportLimits:
    """Bounds on one imported file, so that no upload can exhaust memory or time."""
    max_file_bytes: int = 50 * MB
    max_uncompressed_bytes: int = 200 * MB
    max_rows: int = 200_000
    max_columns: int = 100
    max_cell_chars: int = 2_000
    max_cells: int = 3_000_000
    max_issues: int = 100

    # the environment variable that sets each limit (named in the messages of refused files)
    ENV: ClassVar[dict[str, str]] = {
        "max_file_bytes": "CARBONPEAK_IMPORT_MAX_FILE_MB",
        "max_uncompressed_bytes": "CARBONPEAK_IMPORT_MAX_UNCOMPRESSED_MB",
        "max_rows": "CARBONPEAK_IMPORT_MAX_ROWS",
        "max_columns": "CARBONPEAK_IMPORT_MAX_COLUMNS",
        "max_cell_chars": "CARBONPEAK_IMPORT_MAX_CELL_CHARS",
        "max_cells": "CARBONPEAK_IMPORT_MAX_CELLS",
        "max_issues": "CARBONPEAK_IMPORT_MAX_ISSUES",
    }

    @classmethod
    def from_env(cls, env: dict[str, str]) -> ImportLimits:
        values: dict[str, int] = {}
        for field_name, var in cls.ENV.items():
            text = env.get(var, "").strip()
            if not text:
                continue
            try:
                number = float(text) * (MB if var.endswith("_MB") else 1)
            except ValueError:
                number = 0
            if not 1 <= number < float("inf"):  # also refuses NaN
                raise SettingsError(f"{var} must be a positive number, not {text!r}")
            values[field_name] = int(number)
        return cls(**values)


def _positive_int(env: dict[str, str], var: str, default: int) -> int:
    text = env.get(var, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise SettingsError(f"{var} must be a positive whole number, not {text!r}")
    return int(text)


COUNTY_CODE = re.compile(r"[a-z][a-z0-9_]{1,30}")


def _counties(text: str) -> tuple[str, ...]:
    codes = tuple(c.strip() for c in text.split(",") if c.strip())
    bad = [c for c in codes if not COUNTY_CODE.fullmatch(c)]
    if bad:
        raise SettingsError(f"CARBONPEAK_COUNTIES: {bad[0]!r} is not a county code (lower-case letters, digits "
                            "and _, 2-31 characters, starting with a letter)")
    if "city" in codes:
        raise SettingsError("CARBONPEAK_COUNTIES: 'city' is reserved for the deployment's own database")
    if len(set(codes)) != len(codes):
        raise SettingsError("CARBONPEAK_COUNTIES names a county twice")
    return codes


@dataclass(frozen=True)
class Smtp:
    """The mail server of reminder e-mails (services/reporting/reminders.py); None: no e-mail."""
    host: str
    port: int = 25
    sender: str = "carbonpeak@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str]) -> Smtp | None:
        host = env.get("CARBONPEAK_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(host, _positive_int(env, "CARBONPEAK_SMTP_PORT", 25),
                   env.get("CARBONPEAK_SMTP_FROM", "").strip() or "carbonpeak@localhost",
                   env.get("CARBONPEAK_SMTP_USER") or None, env.get("CARBONPEAK_SMTP_PASSWORD") or None,
                   env.get("CARBONPEAK_SMTP_STARTTLS", "").strip().lower() in ("1", "true", "yes"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    home: Path
    lang: str = "zh"
    actor: str = "cli"
    env: str = "development"
    secret_key: str | None = None
    admin_password: str | None = None
    public_docs: bool = False
    factors: str | None = None
    import_limits: ImportLimits = field(default_factory=ImportLimits)
    password_hash_profile: str = "standard"  # see PASSWORD_HASH_PROFILES
    login_log_days: int = 90  # retention of login_attempts (services/login_throttle.py)
    smtp: Smtp | None = None  # reminder e-mails (CARBONPEAK_SMTP_*); None: in-app notifications only
    readings_retention_months: int | None = None  # PostgreSQL partitions of meter readings (store/partitions.py)
    readings_backfill_months: int = 120  # how far back a reading may start (services/ingest.py)
    counties: tuple[str, ...] = ()  # CARBONPEAK_COUNTIES: the counties of a deployment (services/tenancy.py)
    county: str | None = None  # the county these settings address; None: the deployment itself
    deployment_home: Path | None = None  # a county's: the deployment's folder (its counties' homes are below it)

    @property
    def is_deployment_tier(self) -> bool:
        """Whether these settings address a several-county deployment's own database (the city's tier)."""
        return bool(self.counties) and not self.county

    def __post_init__(self) -> None:
        if self.password_hash_profile not in PASSWORD_HASH_PROFILES:
            raise SettingsError(f"CARBONPEAK_PASSWORD_HASH_PROFILE must be one of {PASSWORD_HASH_PROFILES}, "
                                f"not {self.password_hash_profile!r}")
        if self.env == "production" and self.password_hash_profile != "standard":
            raise SettingsError("CARBONPEAK_PASSWORD_HASH_PROFILE=fast is for tests only, not for production")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        home = Path(env.get("CARBONPEAK_HOME", ".carbonpeak")).expanduser()
        url = env.get("CARBONPEAK_DATABASE_URL") or f"sqlite:///{(home / 'carbonpeak.db').as_posix()}"
        lang = env.get("CARBONPEAK_LANG", "zh")
        try:
            default_actor = getpass.getuser()
        except (KeyError, OSError):
            default_actor = "cli"
        mode = env.get("CARBONPEAK_ENV", "development")
        if mode not in ("development", "production"):
            raise SettingsError(f"CARBONPEAK_ENV must be development or production, not {mode!r}")
        return cls(database_url=url, home=home, lang=lang if lang in ("zh", "en") else "zh",
                   actor=env.get("CARBONPEAK_ACTOR", f"cli:{default_actor}"), env=mode,
                   secret_key=env.get("CARBONPEAK_SECRET_KEY") or None,
                   admin_password=env.get("CARBONPEAK_ADMIN_PASSWORD") or None,
                   public_docs=env.get("CARBONPEAK_PUBLIC_DOCS", "").strip().lower() in ("1", "true", "yes"),
                   factors=env.get("CARBONPEAK_FACTORS", "").strip() or None,
                   import_limits=ImportLimits.from_env(env),
                   password_hash_profile=env.get("CARBONPEAK_PASSWORD_HASH_PROFILE", "").strip() or "standard",
                   login_log_days=_positive_int(env, "CARBONPEAK_LOGIN_LOG_DAYS", 90), smtp=Smtp.from_env(env),
                   readings_retention_months=_positive_int(env, "CARBONPEAK_READINGS_RETENTION_MONTHS", 0) or None,
                   readings_backfill_months=_positive_int(env, "CARBONPEAK_READINGS_BACKFILL_MONTHS", 120),
                   counties=_counties(env.get("CARBONPEAK_COUNTIES", "")))

    def session_secret(self) -> str:
        """The key that signs sessions: from the environment; in development only, generated
        once per installation and stored in the home folder."""
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise SettingsError("CARBONPEAK_SECRET_KEY must be at least 32 characters")
            return self.secret_key
        if self.env == "production":
            raise SettingsError("CARBONPEAK_SECRET_KEY must be set when CARBONPEAK_ENV=production")
        path = self.home / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
        return path.read_text().strip()
