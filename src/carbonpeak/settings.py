"""Settings, read once from the environment by a front end and passed down explicitly.

``CARBONPEAK_DATABASE_URL``  SQLAlchemy URL; default: SQLite file ``carbonpeak.db`` in
                             ``CARBONPEAK_HOME`` (default ``./.carbonpeak``), created on first run.
``CARBONPEAK_LANG``          ``zh`` (default) or ``en`` for messages and reports.
``CARBONPEAK_ACTOR``         who is recorded in the audit trail for CLI changes (default: the
                             operating-system user).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database_url: str
    home: Path
    lang: str = "zh"
    actor: str = "cli"

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
        return cls(database_url=url, home=home, lang=lang if lang in ("zh", "en") else "zh",
                   actor=env.get("CARBONPEAK_ACTOR", f"cli:{default_actor}"))
