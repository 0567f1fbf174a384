"""The messages of target sources (domain/target_sources.py), merged into the catalogue
(domain/messages.py). No imports: the catalogue imports this module."""

MESSAGES: dict[str, tuple[str, str]] = {
    "plan.target_no_source": ("目标“{target}”未写明数据来源（由哪个模块计算或由哪个部门报送）",
                              "target '{target}' names no source (source: computed:<module> or reported:<department>)"),
    "plan.target_unknown_module": ("目标“{target}”的来源“{source}”：平台没有模块“{module}”（可用：{modules}）",
                                   "target '{target}' source '{source}': no module '{module}' (known: {modules})"),
    "plan.target_module_cannot": ("目标“{target}”的来源“{source}”：该模块不能计算指标 {indicator}",
                                  "target '{target}' source '{source}': the module cannot compute indicator {indicator}"),
    "plan.target_unknown_department": ("目标“{target}”的报送部门“{department}”不在方案部门名单中",
                                       "target '{target}' is reported by '{department}', not among the plan's departments"),
    "target.sources_disagree": (
        "目标“{target}”{year}年：计算值{computed}与录入值{entered}相差{diff}%（超过{tol}%），请核对{module}与报送数据",
        ("target '{target}' {year}: computed {computed} and entered {entered} differ by {diff}% (over {tol}%); "
        "check {module} against the reported figure")),
    "target.source_no_records": ("目标“{target}”由{module_zh}计算，但该模块尚无可用记录",
                                 "target '{target}' is computed from {module_en}, which holds no usable records yet"),
    "target.uses.computed": ("晴雨表采用计算值：来自平台记录，可逐条追溯；录入值并列供核对",
                             ("the barometer uses the computed value: it comes from the platform's records, each one "
                             "traceable; the entered value is shown beside it as a check")),
    "target.uses.entered": ("晴雨表采用录入值：{module}的记录尚不能给出该年数值",
                            "the barometer uses the entered value: {module} holds no records that answer this year"),
    "target.uses.reported": ("由{department}报送", "reported by {department}"),
    "target.uses.none": ("未写明数据来源", "no source named"),
    "barometer.why.peak_probability": (
        ("政策情景：{year}年前达峰概率{p}（绿≥{green}“很可能”，黄≥{yellow}“可能”，其下“不太可能”，"
        "按IPCC可能性用语）→ {light}"),
        ("policy scenario: P(peak ≤ {year}) = {p} (green ≥ {green} 'likely', yellow ≥ {yellow} 'about as likely as "
        "not', below 'unlikely', IPCC calibrated language) → {light}")),
    "barometer.peak_rule": ("达峰目标按政策情景的达峰概率判定：≥{green}绿，≥{yellow}黄，其下红（IPCC可能性用语）",
                            ("a peak target is rated on the policy scenario's probability of peaking in time: "
                            "≥ {green} green, ≥ {yellow} yellow, below red (IPCC calibrated language)")),
    "barometer.why.peak_no_run": ("政策情景无法运行（无清单数据） → 灰", "the policy scenario cannot run (no inventory) → grey"),
    # --- the rules of the source modules (services/target_sources/) ------------------------------
    "source.rule.capacity": (
        ("现有装机（方案数据）加项目库中{year}年底前已投运（填有投运年份，未取消）的发电项目容量（类型：{types_zh}；"
        "抽水蓄能按统计惯例计入装机），有进展记录的按各年投运容量累计，否则有建成容量用建成容量、再否则用计划容量；单位{unit_zh}"),
        ("existing capacity (plan data) plus the registry's generation projects commissioned by the end of {year} "
        "(with a commissioning year, not cancelled; types {types_en}; pumped storage counted, as in the statistics), "
        "with progress records the sum of what each year put into service, else at their as-built capacity, else "
        "the planned one; in {unit_en}")),
    "source.rule.projects": (
        ("项目库中{year}年底前已投运（填有投运年份，未取消）的{what_zh}项目（{types_zh}）规模之和，"
        "有进展记录的按各年投运规模累计，否则有建成规模用建成规模、再否则用计划规模；单位{unit_zh}"),
        ("sum over the registry's {what_en} projects ({types_en}) commissioned by the end of {year} (with a "
        "commissioning year, not cancelled): with progress records the sum of what each year put into service, "
        "else their as-built size, else the planned one; in {unit_en}")),
    "source.rule.projects_year": (
        "项目库中{year}年内投运的{what_zh}项目（{types_zh}）规模之和（有进展记录的取该年投运规模）；单位{unit_zh}",
        ("sum over the registry's {what_en} projects ({types_en}) commissioned in {year} (with progress records: "
        "what the year put into service); in {unit_en}")),
    "source.rule.sink_projects": (
        ("项目库中{year}年底前已投运的{what_zh}项目（{types_zh}）面积之和（有进展记录的按各年投运面积累计），单位{unit_zh}；"
        "以年碳汇量（吨二氧化碳/年）填报的项目按碳汇一本账每公顷年净碳汇量折算为面积：{rates_zh}"),
        ("sum of the areas of the registry's {what_en} projects ({types_en}) in service by the end of {year} (with "
        "progress records: the area each year put into service), in {unit_en}; a project stating its annual removal "
        "(tCO2/a) counts it divided by the ledger's net sink per hectare: {rates_en}")),
    "source.rule.projects_share": (
        "{year}年底前已投运的{what_zh}项目（{types_zh}）规模 ÷ {denominator}（{denominator_source}）× 100",
        "{what_en} projects ({types_en}) commissioned by the end of {year} ÷ {denominator} ({denominator_source}) × 100"),
    "source.rule.share_no_denominator": (
        "比例目标：需在方案文件中写明分母（数值、单位、来源），才能由{what_zh}项目（{types_zh}）计算",
        ("a share target: the plan file must state its denominator (value, unit, source) before the {what_en} "
        "projects ({types_en}) can answer it")),
    "source.rule.monitoring": (
        ("名录中年综合能耗≥{threshold}吨标准煤的重点用能单位为全体；截至{as_of}的最近{window}天内，数据缺失或"
        "实时数据完整率低于{completeness}的天数不超过{allowance}天（故障修复期）的单位计为已建成在线监测"),
        ("the registry's key units using ≥ {threshold} tce a year are the whole; a unit counts as connected when, "
        "in the last {window} days up to {as_of}, its data are missing or below {completeness} complete on at most "
        "{allowance} days (the repair allowance)")),
    "source.rule.forest_cover": (
        "{year}年森林资源调查中林地（{land_types}）面积 ÷ 县域土地面积{land}平方公里（{land_source}）× 100",
        ("forest land ({land_types}) of the {year} forest inventory ÷ the county's land area {land} km² "
        "({land_source}) × 100")),
    "source.rule.no_land_area": ("方案文件未写明县域土地面积，无法计算森林覆盖率",
                                 "the plan file states no land area (land_area_km2): forest cover cannot be computed"),
    "source.rule.building_share": (
        ("{year}年公共建筑名录（{buildings}栋）中，单位面积能耗不高于GB/T 51161-2016约束值的建筑面积占比；"
        "替代口径：名录只含公共建筑，目标指城镇全部既有民用建筑"),
        ("share of the floor area of the {year} public-building register ({buildings} buildings) whose energy "
        "use intensity is at or below its GB/T 51161-2016 constraint value; a proxy: the register holds public "
        "buildings only, the target speaks of all existing civil buildings in towns")),
    "source.rule.peak": (
        ("政策情景发布运行（{draws}次抽样，随机种子{seed}，至{horizon}年）：达峰年份取中位数（P50），"
        "灯号按{year}年前达峰概率{p}判定"),
        ("published run of the policy scenario ({draws} draws, seed {seed}, to {horizon}): the peak year is the median "
        "(P50); the light follows P(peak ≤ {year}) = {p}")),
    # --- project progress (services/project_progress.py) ------------------------------------------
    "input.progress_unknown_project": ("项目库中没有项目“{value}”", "no project '{value}' in the registry"),
    "input.progress_nothing": ("该行未填本年投运规模、本年完成投资或状态",
                               "the row states no quantity put into service, investment or status"),
    "input.progress_unit": ("单位“{value}”无法折算为该项目的单位“{project_unit}”",
                            "unit '{value}' does not convert to the project's unit '{project_unit}'"),
    "input.progress_cancelled": ("已取消的项目不能有投运规模（{value}）",
                                 "a cancelled project puts nothing into service ({value})"),
    # --- why a record counts as it does -------------------------------------------------------------
    "source.note.as_planned": ("未填建成规模，按计划规模计", "no as-built size: counted at its planned size"),
    "source.note.no_year": ("未填投运年份，不计入", "no commissioning year: not counted"),
    "source.note.later": ("投运晚于该年，不计入", "commissioned after that year: not counted"),
    "source.note.cancelled": ("已取消，不计入", "cancelled: not counted"),
    "source.note.no_quantity": ("该年进展未填投运规模，不计入", "that year's progress states no quantity: not counted"),
    "source.note.other_year": ("非该年进展，不计入该年", "progress of another year: not counted in this one"),
    "source.note.sink_converted": ("按碳汇一本账每公顷年碳汇量折算为面积", "converted to area by the ledger's sink per hectare"),
    "source.note.unit_mismatch": ("规模单位无法折算为目标单位，不计入", "its unit does not convert to the target's: not counted"),
    "source.note.connected": ("数据按完整率规则到达", "data arrive within the completeness rule"),
    "source.note.incomplete": ("数据缺失或完整率不足的天数超过修复期", "missing or incomplete on more days than the repair allowance"),
    "source.note.within_constraint": ("不高于约束值", "at or below the constraint value"),
    "source.note.over_constraint": ("高于约束值", "above the constraint value"),
    "source.note.peaked": ("多数抽样已达峰", "most draws have peaked"),
    "source.note.not_peaked": ("多数抽样至情景末年仍未达峰", "most draws have not peaked by the horizon"),
}


# Names of the project types the source rules count (zh, en): the rule texts name them, never the code.
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "hydro": ("水电", "hydropower"), "pv": ("光伏", "solar PV"), "wind": ("风电", "wind"),
    "biomass_power": ("生物质发电", "biomass power"), "pumped_storage": ("抽水蓄能", "pumped storage"),
    "mine_restoration": ("矿山修复", "mine restoration"), "firebreak": ("防火隔离带", "firebreak"),
    "large_timber": ("大径材", "large timber"), "charging": ("充电设施", "charging"),
    "charging_scenic": ("景区充电设施", "scenic-spot charging"), "rooftop_pv": ("屋顶光伏", "rooftop PV"),
    "carbon_sink": ("碳汇", "carbon sink"), "carbon_sink_bamboo": ("竹林碳汇", "bamboo carbon sink"),
    "carbon_sink_arbor": ("乔木林碳汇", "arbor carbon sink"),
    "public_building_retrofit": ("公共建筑改造", "public-building retrofit"),
    "residential_retrofit": ("居住建筑改造", "residential retrofit"), "building_retrofit": ("老旧小区改造", "old-community retrofit"),
    "renewable_building": ("可再生能源建筑", "renewable-energy building"),
}
