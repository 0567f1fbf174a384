"""Energy supervision (节能监察) and clean-production audits (清洁生产审核): the rules, as pure values.

The county plan, 三（三）1 and 专栏7: units using 1 000 tce a year or more are inspected in yearly
batches, energy audits are ordered where needed, the supervision work and the list of violators are
published, violations are acted on (administrative penalty, credit record, green electricity
prices), and by 2025 the building-materials, mining and food industries complete their mandatory
clean-production audits; 节能监察信息公开率 and 违法用能行为查处执行率 both reach 100 %.

The legal bases below are the articles of the Energy Conservation Law (《中华人民共和国节约能源法》,
2018 revision) an inspector usually cites for each checklist item; they are proposals shown on the
form, the inspector confirms or edits them (docs/supervision.md).
"""

from __future__ import annotations

from dataclasses import dataclass

SUPERVISION_THRESHOLD_TCE = 1_000  # plan: units using ≥ 1 000 tce a year are supervised in batches
# The departments the plan makes responsible for 三（三）1 (they open and decide cases)
SUPERVISION_DEPARTMENTS = ("县发展和改革局", "县科学技术和工业信息化局", "县市场监督管理局")
# Clean-production audits: also the ecology and environment bureau (the plan reports T16 through it)
CLEAN_AUDIT_DEPARTMENTS = (*SUPERVISION_DEPARTMENTS, "市生态环境局安化分局")


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    zh: str
    en: str
    legal_basis: str  # proposed legal basis of a finding on this item


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("energy_management", "能源管理制度与能源管理岗位", "energy management system and energy manager",
                  "《中华人民共和国节约能源法》第二十五条、第五十五条"),
    ChecklistItem("metering", "能源计量器具配备与管理（GB 17167-2006《用能单位能源计量器具配备和管理通则》）",
                  "energy metering instruments (GB 17167-2006)",
                  "《中华人民共和国节约能源法》第二十七条、第七十四条；GB 17167-2006"),
    ChecklistItem("unit_product_energy", "单位产品能耗是否超过能耗限额标准（限定值）",
                  "unit product energy consumption against the limit standard",
                  "《中华人民共和国节约能源法》第十六条、第七十二条；对应产品能耗限额国家标准"),
    ChecklistItem("eliminated_equipment", "是否使用国家明令淘汰的用能设备、生产工艺",
                  "use of equipment or processes the state has ordered eliminated",
                  "《中华人民共和国节约能源法》第十七条、第七十一条；《产业结构调整指导目录》"),
    ChecklistItem("energy_review", "固定资产投资项目节能审查意见落实情况", "energy-saving review of investment projects",
                  "《中华人民共和国节约能源法》第十五条、第六十八条；《固定资产投资项目节能审查办法》"),
)
CHECKLIST_CODES = tuple(i.code for i in CHECKLIST)
CHECKLIST_BY_CODE = {i.code: i for i in CHECKLIST}

# Severity of a finding: "advice" is no violation (a recommendation); the others are violations.
SEVERITIES = {"advice": ("提示建议（非违法）", "advice (no violation)"), "general": ("一般违法", "violation"),
              "serious": ("严重违法", "serious violation")}
VIOLATIONS = ("general", "serious")

CASE_STATUSES = {"open": ("已检查待决定", "inspected, undecided"), "decided": ("已作出处理决定", "decided"),
                 "closed": ("已结案", "closed")}
RECTIFICATION_STATUSES = {"demanded": ("待整改", "rectification demanded"), "submitted": ("已提交整改材料", "evidence submitted"),
                          "accepted": ("整改通过", "accepted"), "rejected": ("整改未通过", "rejected")}
# A decision may propose a green electricity price for units above the limit value
PRICE_PROPOSALS = {"": ("无", "none"), "differentiated": ("建议执行差别电价", "differentiated electricity price proposed"),
                   "punitive": ("建议执行惩罚性电价", "punitive electricity price proposed")}

# Clean-production audits (清洁生产审核): the industries the plan makes mandatory and the stages
MANDATORY_GROUPS = {"building_materials": ("建材", "building materials"), "mining": ("矿产业", "mining"),
                    "food": ("食品加工业", "food processing")}
INDUSTRY_GROUPS = {**MANDATORY_GROUPS, "other": ("其他（自愿性审核）", "other (voluntary)")}
AUDIT_STAGES = ("listed", "started", "report_submitted", "assessed", "accepted")
AUDIT_STAGE_NAMES = {"listed": ("列入名单", "listed"), "started": ("启动审核", "audit started"),
                     "report_submitted": ("提交审核报告", "report submitted"), "assessed": ("通过评估", "assessed"),
                     "accepted": ("通过验收", "accepted (completed)")}

# Rectification evidence: PDF or image, sniffed from its first bytes (the name alone proves nothing)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {"application/pdf": (b"%PDF-",), "image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",)}
EVIDENCE_SUFFIXES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def evidence_type(name: str, head: bytes) -> str | None:
    """The content type of an evidence file when its name and its first bytes agree, else None."""
    dot = name.rfind(".")
    declared = EVIDENCE_SUFFIXES.get(name[dot:].lower()) if dot >= 0 else None
    if declared is None:
        return None
    return declared if any(head.startswith(m) for m in EVIDENCE_TYPES[declared]) else None


def next_stage(stage: str) -> str | None:
    i = AUDIT_STAGES.index(stage)
    return AUDIT_STAGES[i + 1] if i + 1 < len(AUDIT_STAGES) else None


def name(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = table.get(key, (key, key))
    return en if lang == "en" else zh


def item_name(code: str, lang: str) -> str:
    item = CHECKLIST_BY_CODE.get(code)
    return code if item is None else (item.en if lang == "en" else item.zh)


def rate(numerator: int, denominator: int) -> float | None:
    """A share in percent; None when nothing is counted (no data is not 0 % and not 100 %)."""
    return None if denominator == 0 else round(100.0 * numerator / denominator, 1)


# The rule of each computed target: message codes (domain/messages.py), zh and en
RULE_CODES = {"T16": "supervision.rule.T16", "T18": "supervision.rule.T18", "T19": "supervision.rule.T19"}
INDICATOR_TARGETS = {"clean_production_audit_rate": "T16", "inspection_disclosure_rate": "T18",
                     "violation_enforcement_rate": "T19"}  # the plan's indicators of these targets
