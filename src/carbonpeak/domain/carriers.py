"""The energy-carrier catalogue: names after GB/T 2589-2020, category, canonical unit, CO2 method."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CATEGORIES = ("coal", "oil", "gas", "electricity", "heat", "biomass", "generation", "process")
CO2_METHODS = ("combustion", "electricity", "heat", "generation", "process", "biogenic")


@dataclass(frozen=True)
class Carrier:
    name: str  # Chinese name as in GB/T 2589-2020 (the key)
    name_en: str
    category: str
    fossil: bool
    canonical_unit: str
    co2_method: str

    @property
    def is_consumption(self) -> bool:
        """Consumption carriers count in the energy total; generation output and process
        activity (clinker) do not."""
        return self.category not in ("generation", "process")


@dataclass(frozen=True)
class CarrierCatalogue:
    carriers: dict[str, Carrier]
    aliases: dict[str, str]

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> CarrierCatalogue:
        carriers: dict[str, Carrier] = {}
        aliases: dict[str, str] = {}
        for r in df.fillna("").to_dict("records"):
            c = Carrier(
                name=r["carrier"].strip(), name_en=r["name_en"].strip(), category=r["category"].strip(),
                fossil=str(r["fossil"]).strip().lower() == "true",
                canonical_unit=r["canonical_unit"].strip(), co2_method=r["co2_method"].strip(),
            )
            if c.category not in CATEGORIES or c.co2_method not in CO2_METHODS:
                raise ValueError(f"carrier {c.name}: bad category or method")
            carriers[c.name] = c
            aliases[c.name] = c.name
            aliases[c.name_en.lower()] = c.name
            for a in str(r.get("aliases", "")).split("|"):
                if a.strip():
                    aliases[a.strip()] = c.name
                    aliases[a.strip().lower()] = c.name
        return cls(carriers, aliases)

    def resolve(self, name: str) -> str | None:
        key = str(name).strip()
        return self.aliases.get(key) or self.aliases.get(key.lower())

    def units(self) -> dict[str, str]:
        return {n: c.canonical_unit for n, c in self.carriers.items()}

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([c.__dict__ for c in self.carriers.values()])
