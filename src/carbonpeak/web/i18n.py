"""UI strings, Chinese first. Keys are stable; texts may be improved freely."""

from __future__ import annotations

from ..services.audit import changes as field_changes
from . import county_texts, fmt, help_texts, labels

UI: dict[str, tuple[str, str]] = {
    "app": ("碳峰 · 县域碳达峰平台", "CarbonPeak · county carbon-peaking platform"),
    "overview": ("总览", "Overview"), "accounting": ("核算", "Accounting"), "targets": ("目标", "Targets"),
    "projects": ("项目", "Projects"), "tasks": ("任务", "Tasks"), "data": ("数据", "Data"),
    "audit": ("审计日志", "Audit"), "scenarios": ("情景", "Scenarios"), "sinks": ("碳汇", "Sinks"),
    "buildings": ("公共建筑", "Buildings"), "monitoring": ("在线监测", "Monitoring"),
    "supervision": ("节能监察", "Inspection"),
    "carbon": ("碳排放双控", "Carbon control"),
    "reporting": ("统计填报", "Reporting"),
    "must_change_password": ("管理员已重置您的密码：请先修改密码再继续使用。", "An administrator reset your password: change it before going on."),
    "manage_accounts": ("账号管理", "Manage accounts"),
    "disclosure": ("监察公开", "Disclosure"), "key_units": ("重点用能单位", "Key energy-using units"),
    "uscc": ("统一社会信用代码", "Credit code"), "category": ("类别", "Category"), "industry": ("行业", "Industry"),
    "points": ("计量点", "Points"), "last_seen": ("最近上传", "Last upload"),
    "co2_t": ("二氧化碳（吨）", "CO2 t"), "budget": ("用能预算", "Energy budget"), "efficiency": ("能效水平", "Efficiency"),
    "quality": ("数据质量", "Data quality"),
    "qf.monitoring.incomplete": ("数据完整率不足", "Incomplete days"), "qf.monitoring.gap": ("数据中断", "Gaps"),
    "qf.monitoring.calibration_expired": ("计量器具检定过期", "Calibration expired"),
    "qf.monitoring.calibration_due": ("计量器具检定即将到期", "Calibration due"),
    "qf.monitoring.day_vs_month": ("日数据与月数据不符", "Days against the month value"),
    "qf.monitoring.reconcile_205_1": ("在线数据与205-1报表不符", "Metered against the 205-1 form"),
    "as_of": ("截至", "As of"), "two_high": ("“两高”项目清单", "'Two-high' project list"),
    "rectify": ("需整改", "Must rectify"), "monthly_energy": ("逐月能耗（吨标准煤，按单位）", "Monthly energy (tce, by unit)"),
    "cat_online": ("在线监测", "online monitoring"), "cat_supervision": ("节能监察", "energy supervision"),
    "cls_benchmark": ("标杆水平", "benchmark"), "cls_access": ("达到准入值", "access value"),
    "cls_baseline": ("达到基准/限定值", "baseline / limit"), "cls_below_baseline": ("未达基准/超限额", "below baseline / over the limit"),
    "cls_unrated": ("无国家标准值", "no national value"), "simulated": ("模拟数据", "simulated"),
    "new_token": ("签发接口令牌", "Issue API token"),
    "reports": ("报告", "Reports"), "open_data": ("开放数据", "Open data"),
    "assessment_report": ("年度评估报告", "Annual assessment report"), "generate": ("生成报告", "Generate"),
    "dispatch": ("调度通报", "Dispatch report"), "committed": ("本期承诺", "Committed"), "done_count": ("完成", "Done"),
    "missed": ("未完成", "Missed"), "assigned": ("承担", "Assigned"), "items_missed": ("未完成事项", "Missed items"),
    "rectifications_overdue": ("整改逾期", "Rectifications overdue"),
    "by_department": ("按部门（任务）", "By department (tasks)"), "by_township": ("按乡镇（项目）", "By township (projects)"),
    "download": ("下载", "Download"), "grade": ("能效等级", "Grade"), "eui": ("能耗强度", "EUI"),
    "constraint": ("约束值", "Constraint"), "guide": ("引导值", "Guide"), "rank": ("类内排名", "Rank in class"),
    "over_constraint": ("超约束值", "Over the constraint"), "no_buildings": ("尚无公共建筑能耗数据：在“数据”页上传建筑表。",
                                                              "No public-building data yet: upload a building table on the Data page."),
    "stock": ("碳储量（吨二氧化碳）", "Carbon stock tCO2"), "annual_sink": ("年碳汇（吨二氧化碳/年）", "Annual sink tCO2/a"),
    "forest_cover": ("森林覆盖率", "Forest cover"), "area_ha": ("面积（公顷）", "Area ha"), "township": ("乡镇", "Township"),
    "species": ("优势树种组", "Species group"), "no_inventory": ("尚无森林资源调查数据：在“数据”页上传小班表。",
                                                    "No forest inventory yet: upload a 小班 table on the Data page."),
    "peak_year": ("达峰年份 P10 / P50 / P90", "Peak year P10 / P50 / P90"), "peak_value": ("峰值（P50）", "Peak (P50)"),
    "p_peak": ("2030年前达峰概率", "P(peak ≤ 2030)"),
    "p_not_peaked": ("至展望末年未达峰概率", "P(not peaked by the horizon)"),
    "fan": ("属地二氧化碳排放：历史与预测（P10–P90）", "Territorial CO2: history and projection (P10–P90)"),
    "fan_el": ("含电力调入调出的排放（P10–P90）", "CO2 with electricity (P10–P90)"),
    "checks": ("目标检验", "Target checks"), "p_met": ("达标概率", "P(met)"), "median": ("中位数", "Median"),
    "wedges": ("减排楔形（相对上级情景）", "Reduction wedges (vs parent scenario)"),
    "lmdi": ("LMDI 分解", "LMDI decomposition"), "levers": ("情景参数", "Levers"), "run": ("运行", "Run"),
    "download_spec": ("下载情景文件（TOML）", "Download spec (TOML)"), "sign_in_to_edit": ("登录后可调整参数", "Sign in to edit the levers"),
    "assumptions_illustrative": ("情景假设与基年数据为示例，非官方预测。", "Scenario assumptions and base data are illustrative, not an official projection."), "login": ("登录", "Sign in"), "logout": ("退出", "Sign out"),
    "username": ("用户名", "Username"), "password": ("密码", "Password"),
    "account": ("我的账号", "My account"), "change_password": ("修改密码", "Change password"),
    "current_password": ("当前密码", "Current password"), "new_password": ("新密码", "New password"),
    "new_password_again": ("再次输入新密码", "New password again"),
    "password_mismatch": ("两次输入的新密码不一致", "the two new passwords differ"),
    "password_changed": ("密码已修改；本账号的其他登录会话已全部退出。",
                         "Password changed; every other session of this account has been signed out."),
    "password_rules": ("至少10个字符；不能是常见密码、不能包含用户名、不能是重复或连续的字符。",
                       "At least 10 characters; not a common password, not containing the username, not repeated or consecutive characters."),
    "illustrative": ("示例数据", "illustrative"),
    "illustrative_banner": ("本页数字含示例数据（非统计数据），以 * 标注。", "Figures marked * rest on illustrative (not statistical) data."),
    "barometer": ("目标晴雨表", "Target barometer"), "rule": ("规则", "Rule"),
    "headline": ("主要指标", "Headline indicators"), "trend": ("能源与排放趋势", "Energy and emissions trend"),
    "year": ("年份", "Year"), "value": ("数值", "Value"), "unit": ("单位", "Unit"), "target": ("目标", "Target"),
    "actual": ("实际", "Actual"), "expected": ("时序目标", "On the path"), "light": ("灯", "Light"),
    "by_sector": ("按部门", "By sector"), "by_carrier": ("按能源品种", "By carrier"),
    "energy_flow": ("能源流向（吨标准煤）", "Energy flow (tce)"), "sector": ("部门", "Sector"), "carrier": ("能源品种", "Carrier"),
    "energy_tce": ("能耗（吨标准煤）", "Energy tce"), "co2_direct": ("直接排放（吨二氧化碳）", "Direct tCO2"),
    "co2_elec": ("电力净调入（吨二氧化碳）", "Electricity tCO2"), "co2_total": ("合计（吨二氧化碳）", "Total tCO2"),
    "total": ("合计", "Total"), "lines": ("明细：活动数据 × 因子", "Lines: activity × factor"),
    "click_to_drill": ("点击任一行查看明细与因子来源", "Click any row for its lines and factor sources"),
    "quantity": ("数量", "Quantity"), "factors": ("因子（来源、状态）", "Factors (source, status)"),
    "trajectory": ("目标轨迹", "Trajectory"), "path": ("时序路径", "Time-elapsed path"),
    # targets fed by their records (services/target_drilldown.py)
    "src_computed": ("计算值", "Computed"), "src_entered": ("录入值", "Entered"), "src_rule": ("计算规则", "Rule"),
    "src_record": ("依据记录", "Record"), "src_amount": ("计量", "Amount"), "src_counted": ("计入", "Counted"),
    "src_disagree": ("计算值与录入值不一致", "computed and entered disagree"), "src_reported": ("报送部门", "Reported by"),
    "src_in_service": ("已投运", "in service"), "src_no_source": ("未写明数据来源", "no source named"), "src_none": ("", ""),
    "filters": ("筛选", "Filters"), "type": ("类型", "Type"), "town": ("乡镇", "Town"), "status": ("状态", "Status"),
    "all": ("全部", "All"), "apply": ("应用", "Apply"), "capacity": ("规模", "Capacity"),
    "actual_capacity": ("实际规模", "Actual capacity"), "actual_year": ("投运年份", "Year commissioned"),
    "save": ("保存", "Save"), "saved": ("已保存", "Saved"), "history": ("历史", "History"),
    "capacity_chart": ("发电装机（按类型与年份）与装机目标", "Generation capacity by type and year vs target"),
    "departments": ("责任单位", "Departments"), "deadline": ("截止日期", "Deadline"),
    "progress_note": ("进展说明", "Progress note"), "overdue": ("逾期", "Overdue"), "my_tasks": ("本单位任务在前", "Your department's tasks first"),
    "upload": ("上传数据", "Upload data"), "validate": ("校验", "Validate"), "import": ("导入", "Import"),
    "kind": ("数据类型", "Kind"), "auto": ("自动识别", "Detect"), "templates": ("下载模板", "Templates"),
    "factor_library": ("因子库", "Factor library"), "source": ("来源", "Source"),
    "validation_ok": ("校验通过：将新增 {inserted} 行、更新 {updated} 行、不变 {unchanged} 行。尚未写入。",
                      "Valid: would insert {inserted}, update {updated}, leave {unchanged}. Nothing written yet."),
    "imported": ("已导入：新增 {inserted} 行、更新 {updated} 行、不变 {unchanged} 行。",
                 "Imported: inserted {inserted}, updated {updated}, unchanged {unchanged}."),
    "rejected": ("文件被拒绝，未写入任何数据：", "File rejected, nothing written:"),
    "when": ("时间", "When"), "who": ("操作人", "Who"), "entity": ("对象", "Entity"), "key": ("记录", "Record"),
    "action": ("操作", "Action"), "before": ("修改前", "Before"), "after": ("修改后", "After"),
    "menu": ("菜单", "Menu"), "main_nav": ("主导航", "Main navigation"),
    "signed_in_as": ("已登录", "Signed in as"), "public": ("公开", "public"), "no_data": ("无数据", "no data"),
    "findings": ("提示与警告", "Findings"), "provenance": ("因子版本", "Factor releases"),
    "login_failed": ("登录失败", "Sign-in failed"), "convention": ("口径", "Convention"),
    "indicators": ("主要指标", "Indicators"), "indicator": ("指标", "Indicator"), "basis": ("口径", "Basis"),
    "depends_on": ("电力折标与价格基年", "Electricity convention and prices"),
    "co2_word": ("二氧化碳", "CO2"),
    "sink_method": ("碳储量 = 面积 × 单位面积蓄积 × 基本木材密度 × 生物量扩展因子 × (1 + 根茎比) × 含碳率 × 44/12；年碳汇 = 碳储量变化 ÷ 间隔年数",
                    "C = area × V × D × BEF × (1 + R) × CF; CO2 = C × 44/12; sink = Δstock / Δyears"),
    "sink_area_method": ("碳储量 = 面积 × 单位面积碳储量 × 44/12；年净吸收 = 面积 × (单位面积吸收量 − 单位面积排放量)（竹林地按竹林、茶园按茶园计；参数由县里设定：面积法碳汇参数）",
                         "stock = area × stock/ha × 44/12; net removal = area × (removal − emission)/ha (竹林地 → bamboo, 茶园 → tea gardens; parameters set by the county: area-method sink parameters)"),
    "co2_t_convention": ("含电力调入调出排放 = 属地排放 + 电力净调入量 × 电网排放因子",
                         "with electricity (territorial + net electricity import × grid factor)"),
}
UI.update(county_texts.UI)  # the county chooser and the city's page
UI.update(help_texts.UI)  # cockpit, year selectors, task filters, township schematic, help page
LIGHTS = {"green": ("绿", "green"), "yellow": ("黄", "yellow"), "red": ("红", "red"), "grey": ("无", "n/a")}
STATUSES = {
    "planned": ("计划", "planned"), "under_construction": ("在建", "under construction"),
    "completed": ("已建成", "completed"), "delayed": ("延期", "delayed"), "cancelled": ("取消", "cancelled"),
    "not_started": ("未开始", "not started"), "in_progress": ("推进中", "in progress"), "done": ("已完成", "done"),
    "draft": ("草稿", "draft"), "submitted": ("已报送待审核", "submitted"), "returned": ("已退回", "returned"),
    "approved": ("已审核通过", "approved"),  # statistical reporting (services/reporting)
}
INDICATORS = {
    "energy_total": ("能源消费总量", "Total energy"), "co2_total": ("二氧化碳排放", "CO2 emissions"),
    "energy_intensity": ("能耗强度", "Energy intensity"), "energy_intensity_change_vs_base": ("能耗强度较基年", "Energy intensity vs base"),
    "nonfossil_share": ("非化石能源占比", "Non-fossil share"), "net_emissions": ("净排放（扣除森林碳汇）", "Net emissions (after forest sink)"), "renewable_share_local_generation": ("可再生能源发电占比", "Renewable share of local generation"),
    "gdp_constant": ("地区生产总值（不变价）", "GDP at constant prices"), "nonfossil_energy": ("非化石能源消费量", "Non-fossil energy"),
    "co2_intensity": ("碳排放强度", "CO2 intensity"), "co2_intensity_change_vs_base": ("碳排放强度较基年", "CO2 intensity vs base"),
    "energy_intensity_change_yoy": ("能耗强度较上年", "Energy intensity vs previous year"),
    "co2_intensity_change_yoy": ("碳排放强度较上年", "CO2 intensity vs previous year"),
}
BASES = {"raw": ("原始口径", "raw"), "assessment": ("考核口径", "assessment basis"), "territorial": ("属地", "territorial"),
         "with_electricity": ("含电力调入调出", "with electricity"), "": ("", "")}


def t(key: str, lang: str, table: dict[str, tuple[str, str]] = UI, **fmt) -> str:
    zh, en = table.get(key, (key, key))
    s = en if lang == "en" else zh
    return s.format(**fmt) if fmt else s


def _drill_labels(lang: str) -> dict[str, str]:
    """Factor parameters, statuses and units by name, for what scripts render (the drill-down)."""
    out = {}
    for table in (labels.UNITS, labels.REF_STATUSES, labels.PARAMETERS):
        out.update({k: fmt.name(table, k, lang) for k in table})
    return out


def helpers(lang: str) -> dict:
    """What every template gets to write codes, numbers, units and times for the reader (fmt.py)."""
    def named(table):
        return lambda code: fmt.name(table, code, lang)

    return {"n": fmt.num, "cmp": fmt.direction, "unit": lambda u: fmt.unit(u, lang), "when": lambda at: fmt.when(at, lang),
            "ptype": named(labels.PROJECT_TYPES), "fkind": named(labels.FACTOR_KINDS),
            "param": named(labels.PARAMETERS), "ref_status": named(labels.REF_STATUSES),
            "entity_name": named(labels.ENTITIES), "field_name": named(labels.FIELDS),
            "action_name": named(labels.ACTIONS), "role_name": named(labels.ROLES),
            "field_changes": field_changes, "entity_codes": tuple(labels.ENTITIES), "drill_labels": _drill_labels(lang),
            "key_text": lambda k: "|".join(fmt.name(labels.VALUES, x, lang) for x in str(k).split("|")), "value_text": lambda field, v: value_text(field, v, lang)}


def value_text(field: str, v, lang: str) -> str:
    """A recorded value as a reader reads it: 是/否, a status or role by name, numbers formatted."""
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return fmt.name(labels.VALUES, str(v).lower(), lang)
    if field == "status":
        return t(str(v), lang, STATUSES) if v in STATUSES else fmt.name(labels.REF_STATUSES, v, lang)
    if field == "role":
        return fmt.name(labels.ROLES, v, lang)
    if field == "unit":
        return fmt.unit(v, lang)
    if field in ("kind", "parameter") and (v in labels.FACTOR_KINDS or v in labels.PARAMETERS):
        return fmt.name(labels.FACTOR_KINDS if field == "kind" else labels.PARAMETERS, v, lang)
    if isinstance(v, (int, float)):
        return str(v) if field in ("year", "month", "actual_year") else fmt.num(v)
    if isinstance(v, str) and v in labels.VALUES:
        return fmt.name(labels.VALUES, v, lang)
    if isinstance(v, str) and len(v) >= 19 and v[4] == "-" and v[10] == "T":
        return fmt.when(v, lang)
    return str(v)
