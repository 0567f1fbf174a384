"""The supervision tests' seeded registry and helpers (tests/services/supervision, tests/api,
tests/store, tests/web): three illustrative units, one product output, one 205-1 row; principals
of the departments; a batch and a case."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from carbonpeak.services import supervision
from carbonpeak.services.supervision import BatchIn, CaseIn, FindingIn
from carbonpeak.services.users import Principal
from carbonpeak.store.models import EnergyReport, KeyUnit, UnitOutput

CEMENT = "91430923000000001N"  # 益阳海螺水泥 (demo registry, illustrative)
TEA = "914309230000000053"
SMALL = "914309230000000061"
NDRC = Principal(1, "fgj", "dept_editor", "县发展和改革局")
SAMR = Principal(2, "scj", "dept_editor", "县市场监督管理局")
HOUSING = Principal(3, "zjj", "dept_editor", "县住房和城乡建设局")
ADMIN = Principal(4, "root", "admin")
CEMENT_CO = Principal(5, "hailuo", "enterprise", enterprise=CEMENT)
TEA_CO = Principal(6, "tea", "enterprise", enterprise=TEA)
VIEWER = Principal(7, "view", "viewer")
PDF = b"%PDF-1.4\n% rectification report\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def sup_platform(platform):
    """A migrated database with three registry units (illustrative, as in the demo registry), one
    product output and one 205-1 row: what supervision reads, without the whole demo."""
    with platform.sessions.begin() as s:
        units = [KeyUnit(uscc=CEMENT, name="益阳海螺水泥", industry_code="C3011", industry="水泥制造", town="东坪镇",
                         annual_energy_tce=120000, category="online", illustrative=True),
                 KeyUnit(uscc=TEA, name="安化黑茶加工企业（示例）", industry_code="C1530", industry="精制茶加工",
                         town="梅城镇", annual_energy_tce=1600, category="supervision", illustrative=True),
                 KeyUnit(uscc=SMALL, name="小型企业（示例）", industry_code="C1530", industry="精制茶加工", town="梅城镇",
                         annual_energy_tce=600, category="supervision", illustrative=True)]
        s.add_all(units)
        s.flush()
        s.add(UnitOutput(unit_id=units[0].id, year=2024, product="水泥熟料", output_t=1100000, energy_tce=115000,
                         illustrative=True))
        s.add(EnergyReport(unit_id=units[2].id, year=2024, month=1, carrier="原煤", unit="t", consumption=1500.0,
                           illustrative=True))  # 1 500 t × 0.7143 = 1 071 tce: subject by its 205-1 form
    return platform


def _file(tmp_path, name: str, body: bytes):
    p = tmp_path / name
    p.write_bytes(body)
    return p


def _findings() -> list[FindingIn]:
    return [FindingIn("metering", "主要用能设备未按 GB 17167 配备二级计量器具", "general", "按 GB 17167 配备并检定计量器具",
                      date(2025, 6, 30)),
            FindingIn("unit_product_energy", "熟料单位产品综合能耗超过限定值", "serious", "实施节能技术改造，降至限定值以下",
                      date(2025, 12, 31))]


def _batch(p, who=NDRC) -> supervision.BatchView:
    return supervision.create_batch(p, who, BatchIn("2025-1", 2025, "2025年第一批节能监察", None, date(2025, 3, 1),
                                                    date(2025, 6, 30), [CEMENT, TEA]))


def _case(p) -> supervision.CaseView:
    _batch(p)
    return supervision.open_case(p, NDRC, CaseIn(CEMENT, date(2025, 3, 12), _findings(), batch="2025-1",
                                                 inspectors="张三、李四", record="现场检查记录"))


def _count(p, model) -> int:
    with p.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))
