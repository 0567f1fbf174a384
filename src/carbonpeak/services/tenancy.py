"""Several counties on one deployment (issue #17): one database and one folder per county.

A deployment lists its counties in ``CARBONPEAK_COUNTIES`` (``anhua,yueyang``). Each county is a
:class:`~carbonpeak.services.platform.Platform` of its own: its database (a PostgreSQL schema
``county_<code>`` in the configured database, or a SQLite file beside the configured one), its
folder ``CARBONPEAK_HOME/counties/<code>`` (evidence, attachments, report template), its caches.
Every service already works on one platform, so a request that resolves to one county reads and
writes that county alone: isolation follows from the construction, not from a filter each query
must remember. The configured database itself then holds the city's accounts (roles that see the
counties side by side, services/city.py); without ``CARBONPEAK_COUNTIES`` it is the one county, as
before.

Which county a request addresses is decided in one place (:meth:`Deployment.resolve`): the county
of the signed-in account, else the county a visitor chose, else the first county.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import Settings
from ..store.db import county_url, ensure_schema, own_schema
from .errors import ConfigurationError, NotFound
from .platform import Platform, open_platform

CITY = ""  # the code of the deployment's own tier (the city's accounts) in a session


def county_settings(settings: Settings, code: str) -> Settings:
    """The settings of county ``code`` of the deployment configured by ``settings``."""
    return dataclasses.replace(settings, database_url=county_url(settings.database_url, code),
                               home=settings.home / "counties" / code, county=code, deployment_home=settings.home)


@dataclass(frozen=True)
class CountyInfo:
    """A county as a chooser shows it: its code and its name (the stored plan's region)."""
    code: str
    name: str


@dataclass
class Deployment:
    """The platforms of one deployment: ``home`` (the configured database) and one per county."""
    settings: Settings
    home: Platform
    counties: dict[str, Platform] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def multi(self) -> bool:
        """True when the deployment holds several counties (each in its own database)."""
        return bool(self.counties)

    @property
    def default_code(self) -> str:
        """The county a visitor who chose none sees: the first one listed."""
        return next(iter(self.counties), CITY)

    def county(self, code: str) -> Platform:
        """The platform of county ``code``; NotFound for a code this deployment does not hold."""
        if not self.multi:
            return self.home
        try:
            return self.counties[code]
        except KeyError:
            raise NotFound(f"没有该县：{code[:40]} / no such county: {code[:40]}") from None

    def platform_of(self, code: str | None) -> Platform:
        """The platform of a session's tier: CITY is the deployment's own database."""
        return self.home if code == CITY or not self.multi else self.county(code or self.default_code)

    def resolve(self, session_county: str | None, chosen: str | None) -> tuple[str, Platform]:
        """The county of a request: a county account's own county always (a choice naming another
        county is ignored); otherwise the county chosen, else the first. Unknown choice: NotFound."""
        if not self.multi:
            return CITY, self.home
        if session_county:
            return session_county, self.county(session_county)
        code = chosen or self.default_code
        return code, self.county(code)

    def info(self) -> list[CountyInfo]:
        """Every county with its name (the region of its stored plan, read once per process; the
        code until a plan is stored)."""
        from .plans import stored_plan  # plans builds on platform, as this module

        out = []
        for code, p in self.counties.items():
            with self._lock:
                name = self._names.get(code)
            if name is None:
                plan = stored_plan(p)
                name = plan.region if plan else code
                if plan:
                    with self._lock:
                        self._names[code] = name
            out.append(CountyInfo(code, name))
        return out


def open_deployment(settings: Settings, factor_file: Path | None = None, migrate: bool = True,
                    home: Platform | None = None) -> Deployment:
    """Open (and on first use create and migrate) the deployment's database and every county's.
    With counties, the deployment's own database names its schema (its backup is its own), and it
    must hold no county's plan (a city's or province's it may: services/city_targets.py): one that
    does is a one-county deployment's, whose accounts would become the city's (docs/tenancy.md says
    how to move it into a county)."""
    if settings.counties:
        settings = dataclasses.replace(settings, database_url=own_schema(settings.database_url))
    base = home or open_platform(settings, factor_file, migrate)
    counties = {}
    for code in settings.counties:
        s = county_settings(settings, code)
        if migrate:
            ensure_schema(s.database_url)
        counties[code] = open_platform(s, factor_file, migrate)
    if counties:
        from .plans import stored_plan  # plans builds on platform, as this module

        if (plan := stored_plan(base)) is not None and plan.tier == "county":
            raise ConfigurationError(
                f"部署自身的数据库存有 {plan.region} 的规划：多县部署中它只存市级账号。请先把它移入一个县"
                f"（docs/tenancy.md）/ the deployment's own database holds the plan of {plan.region}: with "
                "several counties it holds the city's accounts only; move it into a county first (docs/tenancy.md)")
    return Deployment(settings, base, counties)


def selected(settings: Settings, code: str | None) -> Settings:
    """The settings a command runs on: county ``code`` of a several-county deployment. Naming no
    county there is refused (which county would be changed?), unless ``code`` is ``city``, the
    deployment's own database; with one county, ``code`` must be empty or that county."""
    if not settings.counties:
        if code and code != "city":
            raise ConfigurationError(f"本部署只有一个县，未设置 CARBONPEAK_COUNTIES：不能选择 {code} / this deployment "
                                     f"holds one county (CARBONPEAK_COUNTIES is not set): --county {code} is not known")
        return settings
    if code == "city":  # the deployment's own database, its schema named (a backup of it is its own)
        return dataclasses.replace(settings, database_url=own_schema(settings.database_url))
    if not code:
        raise ConfigurationError("本部署有多个县，请用 --county 指定其一：" + "、".join(settings.counties)
                                 + " / this deployment holds several counties: name one with --county "
                                 + ", ".join(settings.counties) + " (or --county city for the city's accounts)")
    if code not in settings.counties:
        raise ConfigurationError(f"没有该县：{code}（本部署：{'、'.join(settings.counties)}） / no such county: {code}")
    return county_settings(settings, code)
