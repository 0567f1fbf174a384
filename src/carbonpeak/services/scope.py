"""Who may see and change what, as one value: built once per request from the signed-in account
(:func:`services.permissions.scope_of`) and passed into the services, which apply it in their
queries. No service decides visibility from the names of a result's keys."""

from __future__ import annotations

from dataclasses import dataclass

NO_UNIT = "-"  # an enterprise account whose unit is not registered: it sees no unit


@dataclass(frozen=True)
class Scope:
    """``role`` None is an anonymous visitor (public pages). ``unit`` is the one key unit (USCC)
    an enterprise account sees (:data:`NO_UNIT` when its unit is not registered); None for the
    county's roles and for the public, who see every unit."""
    role: str | None = None
    department: str | None = None
    unit: str | None = None

    @property
    def one_unit(self) -> bool:
        """True when the scope is cut down to a single key unit (an enterprise account)."""
        return self.unit is not None

    def sees(self, uscc: str | None) -> bool:
        """May this scope see the rows of unit ``uscc``?"""
        return self.unit is None or uscc == self.unit


PUBLIC = Scope()  # anonymous visitors: the public results of every unit
COUNTY = Scope("admin")  # every unit (command line, reports, tests)
