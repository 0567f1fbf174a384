"""UI strings, Chinese first. Keys are stable; texts may be improved freely."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {
    "app": ("碳峰 · 县域碳达峰平台", "CarbonPeak · county carbon-peaking platform"),
    "overview": ("总览", "Overview"), "accounting": ("核算", "Accounting"), "targets": ("目标", "Targets"),
    "projects": ("项目", "Projects"), "tasks": ("任务", "Tasks"), "data": ("数据", "Data"),
    "audit": ("审计日志", "Audit log"), "scenarios": ("情景", "Scenarios"), "sinks": ("碳汇", "Sinks"),
    "buildings": ("公共建筑", "Buildings"), "monitoring": ("在线监测", "Monitoring"),
    "disclosure": ("监察公开", "Supervision results"), "key_units": ("重点用能单位", "Key energy-using units"),
    "uscc": ("统一社会信用代码", "Credit code"), "category": ("类别", "Category"), "industry": ("行业", "Industry"),
    "points": ("计量点", "Points"), "last_seen": ("最近上传", "Last upload"), "energy_tce": ("能耗 tce", "Energy tce"),
    "co2_t": ("CO2 t", "CO2 t"), "budget": ("用能预算", "Energy budget"), "efficiency": ("能效水平", "Efficiency"),
    "quality": ("数据质量", "Data quality"), "as_of": ("截至", "As of"), "two_high": ("“两高”项目清单", "'Two-high' project list"),
    "rectify": ("需整改", "Must rectify"), "monthly_energy": ("逐月能耗（tce，按单位）", "Monthly energy (tce, by unit)"),
    "cat_online": ("在线监测", "online monitoring"), "cat_supervision": ("节能监察", "energy supervision"),
    "cls_benchmark": ("标杆水平", "benchmark"), "cls_access": ("达到准入值", "access value"),
    "cls_baseline": ("达到基准/限定值", "baseline / limit"), "cls_below_baseline": ("未达基准/超限额", "below baseline / over the limit"),
    "cls_unrated": ("无国家标准值", "no national value"), "simulated": ("模拟数据", "simulated"),
    "new_token": ("签发接口令牌", "Issue API token"), "grade": ("能效等级", "Grade"), "eui": ("能耗强度", "EUI"),
    "constraint": ("约束值", "Constraint"), "guide": ("引导值", "Guide"), "rank": ("类内排名", "Rank in class"),
    "over_constraint": ("超约束值", "Over the constraint"), "no_buildings": ("尚无公共建筑能耗数据：在“数据”页上传建筑表。",
                                                              "No public-building data yet: upload a building table on the Data page."),
    "stock": ("碳储量 tCO2", "Carbon stock tCO2"), "annual_sink": ("年碳汇 tCO2/a", "Annual sink tCO2/a"),
    "forest_cover": ("森林覆盖率", "Forest cover"), "area_ha": ("面积 ha", "Area ha"), "township": ("乡镇", "Township"),
    "species": ("优势树种组", "Species group"), "no_inventory": ("尚无森林资源调查数据：在“数据”页上传小班表。",
                                                    "No forest inventory yet: upload a 小班 table on the Data page."),
    "peak_year": ("达峰年份 P10 / P50 / P90", "Peak year P10 / P50 / P90"), "peak_value": ("峰值（P50）", "Peak (P50)"),
    "p_peak": ("2030年前达峰概率", "P(peak ≤ 2030)"), "fan": ("属地二氧化碳排放：历史与预测（P10–P90）", "Territorial CO2: history and projection (P10–P90)"),
    "fan_el": ("含电力调入调出的排放（P10–P90）", "CO2 with electricity (P10–P90)"),
    "checks": ("目标检验", "Target checks"), "p_met": ("达标概率", "P(met)"), "median": ("中位数", "Median"),
    "wedges": ("减排楔形（相对上级情景）", "Reduction wedges (vs parent scenario)"),
    "lmdi": ("LMDI 分解", "LMDI decomposition"), "levers": ("情景参数", "Levers"), "run": ("运行", "Run"),
    "download_spec": ("下载情景文件（TOML）", "Download spec (TOML)"), "sign_in_to_edit": ("登录后可调整参数", "Sign in to edit the levers"),
    "assumptions_illustrative": ("情景假设与基年数据为示例，非官方预测。", "Scenario assumptions and base data are illustrative, not an official projection."), "login": ("登录", "Sign in"), "logout": ("退出", "Sign out"),
    "username": ("用户名", "Username"), "password": ("密码", "Password"),
    "illustrative": ("示例数据", "illustrative"),
    "illustrative_banner": ("本页数字含示例数据（非统计数据），以 * 标注。", "Figures marked * rest on illustrative (not statistical) data."),
    "barometer": ("目标晴雨表", "Target barometer"), "rule": ("规则", "Rule"),
    "headline": ("主要指标", "Headline indicators"), "trend": ("能源与排放趋势", "Energy and emissions trend"),
    "year": ("年份", "Year"), "value": ("数值", "Value"), "unit": ("单位", "Unit"), "target": ("目标", "Target"),
    "actual": ("实际", "Actual"), "expected": ("时序目标", "On the path"), "light": ("灯", "Light"),
    "by_sector": ("按部门", "By sector"), "by_carrier": ("按能源品种", "By carrier"),
    "energy_flow": ("能源流向（tce）", "Energy flow (tce)"), "sector": ("部门", "Sector"), "carrier": ("能源品种", "Carrier"),
    "energy_tce": ("能耗 tce", "Energy tce"), "co2_direct": ("直接排放 tCO2", "Direct tCO2"),
    "co2_elec": ("电力净调入 tCO2", "Electricity tCO2"), "co2_total": ("合计 tCO2", "Total tCO2"),
    "total": ("合计", "Total"), "lines": ("明细：活动数据 × 因子", "Lines: activity × factor"),
    "click_to_drill": ("点击任一行查看明细与因子来源", "Click any row for its lines and factor sources"),
    "quantity": ("数量", "Quantity"), "factors": ("因子（来源、状态）", "Factors (source, status)"),
    "trajectory": ("目标轨迹", "Trajectory"), "path": ("时序路径", "Time-elapsed path"),
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
    "signed_in_as": ("已登录", "Signed in as"), "public": ("公开", "public"), "no_data": ("无数据", "no data"),
    "findings": ("提示与警告", "Findings"), "provenance": ("因子版本", "Factor releases"),
    "login_failed": ("登录失败", "Sign-in failed"), "convention": ("口径", "Convention"),
}
LIGHTS = {"green": ("绿", "green"), "yellow": ("黄", "yellow"), "red": ("红", "red"), "grey": ("无", "n/a")}
STATUSES = {
    "planned": ("计划", "planned"), "under_construction": ("在建", "under construction"),
    "completed": ("已建成", "completed"), "delayed": ("延期", "delayed"), "cancelled": ("取消", "cancelled"),
    "not_started": ("未开始", "not started"), "in_progress": ("推进中", "in progress"), "done": ("已完成", "done"),
}
INDICATORS = {
    "energy_total": ("能源消费总量", "Total energy"), "co2_total": ("二氧化碳排放", "CO2 emissions"),
    "energy_intensity": ("能耗强度", "Energy intensity"), "energy_intensity_change_vs_base": ("能耗强度较基年", "Energy intensity vs base"),
    "nonfossil_share": ("非化石能源占比", "Non-fossil share"), "net_emissions": ("净排放（扣除森林碳汇）", "Net emissions (after forest sink)"), "renewable_share_local_generation": ("可再生能源发电占比", "Renewable share of local generation"),
}
BASES = {"raw": ("原始口径", "raw"), "assessment": ("考核口径", "assessment basis"), "territorial": ("属地", "territorial"),
         "with_electricity": ("含电力调入调出", "with electricity"), "": ("", "")}


def t(key: str, lang: str, table: dict[str, tuple[str, str]] = UI, **fmt) -> str:
    zh, en = table.get(key, (key, key))
    s = en if lang == "en" else zh
    return s.format(**fmt) if fmt else s
