"""The project's one unit registry and the unit-string normaliser.

Every quantity that enters the platform goes through :func:`parse_unit`, which accepts the unit
spellings of Chinese statistics (吨, 万吨, 万kWh, 万m³, 亿元, tce ...) and refuses anything it does
not know. Conversion factors are computed once per distinct unit (see :func:`conversion_factor`),
never per number.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

import pint

__all__ = ["UnitError", "make_registry", "normalise_unit", "parse_unit", "conversion_factor"]


class UnitError(ValueError):
    """A unit is unknown, or does not fit the quantity it is attached to."""


# Spellings seen in statistical tables that pint cannot read as they stand (superscripts,
# compound Chinese/Latin words). Keys are compared after NFKC normalisation and lower-casing.
_ALIASES: dict[str, str] = {
    "t": "metric_ton",
    "吨": "metric_ton",
    "万t": "万吨",
    "kg": "kilogram",
    "kwh": "kilowatt_hour",
    "kw·h": "kilowatt_hour",
    "kw.h": "kilowatt_hour",
    "mwh": "megawatt_hour",
    "gwh": "gigawatt_hour",
    "万kwh": "万千瓦时",
    "万kw·h": "万千瓦时",
    "亿kwh": "亿千瓦时",
    "m3": "立方米",
    "nm3": "立方米",
    "标准立方米": "立方米",
    "万m3": "万立方米",
    "万nm3": "万立方米",
    "亿m3": "亿立方米",
    "亿nm3": "亿立方米",
    "gj": "gigajoule",
    "mj": "megajoule",
    "tj": "terajoule",
    "kgce": "kgce",
    "tce": "tce",
    "万tce": "万tce",
    "吨标煤": "tce",
    "万吨标煤": "万吨标准煤",
    "kgco2/kwh": "kgCO2 / kilowatt_hour",
    "tco2/mwh": "tCO2 / megawatt_hour",
    "tco2/t": "tCO2 / metric_ton",
    "tco2/t clinker": "tCO2 / metric_ton",
    "tc/gj": "tC / gigajoule",
    "tc/tj": "tC / terajoule",
    "gj/t": "gigajoule / metric_ton",
    "gj/万m3": "gigajoule / 万立方米",
    "gj/10^4m3": "gigajoule / 万立方米",
    "gj/10^4nm3": "gigajoule / 万立方米",
    "kgce/kg": "kgce / kilogram",
    "kgce/t": "kgce / metric_ton",
    "kgce/m3": "kgce / 立方米",
    "kgce/kwh": "kgce / kilowatt_hour",
    "kgce/mj": "kgce / megajoule",
    "kgce/gj": "kgce / gigajoule",
    "%": "percent",
    "1": "dimensionless",
    "-": "dimensionless",
}


def _alias_key(text: str) -> str:
    return text.lower().replace(" ", "")


_ALIAS_KEYS = {_alias_key(k): v for k, v in _ALIASES.items()}


def make_registry() -> pint.UnitRegistry:
    """Build a fresh registry with the project units (``units.txt``, citing GB/T 2589-2020)."""
    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    text = resources.files(__package__).joinpath("units.txt").read_text(encoding="utf-8")
    ureg.load_definitions(text.splitlines())
    return ureg


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry:
    # One registry per process: pint quantities from different registries cannot be mixed.
    # It is immutable after construction, so caching it is not mutable global state.
    return make_registry()


def normalise_unit(text: str) -> str:
    """Map a unit as written in a table to a spelling the registry understands.

    Full-width characters and superscripts are folded (NFKC), whitespace trimmed, and known
    statistical spellings replaced. Unknown spellings are passed through for pint to judge.
    """
    if text is None:
        raise UnitError("empty unit")
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    if not folded:
        raise UnitError("empty unit")
    return _ALIAS_KEYS.get(_alias_key(folded), folded)


def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string; raise :class:`UnitError` for anything unknown or malformed."""
    spelled = normalise_unit(text)
    try:
        unit = _registry().parse_units(spelled)
    except (pint.UndefinedUnitError, pint.DefinitionSyntaxError, AttributeError, TypeError,
            ValueError, SyntaxError, AssertionError) as exc:
        raise UnitError(f"unknown unit {text!r}") from exc
    return unit


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Factor ``f`` such that ``x [from_unit] == x * f [to_unit]``.

    Raises :class:`UnitError` when either unit is unknown or their dimensions differ
    (for example 万吨 → m³, or tce → t). No density or calorific value is ever assumed.
    """
    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    ureg = _registry()
    try:
        return float(ureg.Quantity(1.0, src).to(dst).magnitude)
    except pint.DimensionalityError as exc:
        raise UnitError(
            f"unit {from_unit!r} ({ureg.get_dimensionality(src)}) cannot be converted to "
            f"{to_unit!r} ({ureg.get_dimensionality(dst)})"
        ) from exc
