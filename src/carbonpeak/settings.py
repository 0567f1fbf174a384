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
"""

from __future__ import annotations

import getpass
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


class SettingsError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str
    home: Path
    lang: str = "zh"
    actor: str = "cli"
    env: str = "development"
    secret_key: str | None = None
    admin_password: str | None = None

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
                   admin_password=env.get("CARBONPEAK_ADMIN_PASSWORD") or None)

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
