"""Words of the county chooser and the city's page (zh, en): several counties on one deployment."""

UI = {
    "county_tier": ("所属单位", "Sign in to"),
    "city_tier": ("市级（各县汇总）", "City (all counties)"),
    "county_choose": ("切换县", "Choose a county"),
    "city": ("市级汇总", "City overview"),
    "city_title": ("各县碳达峰进展对比与汇总", "The counties side by side and summed"),
    "city_sign_in": ("市级汇总页面需以市级账号登录。", "The city overview needs a city account."),
    "city_county": ("县（市、区）", "County"),
    "city_total": ("合计", "Total"),
    "city_rank": ("降幅排名", "Rank (decline)"),
    "city_change": ("能耗强度较基年", "Energy intensity vs base year"),
    "city_lights": ("目标晴雨表", "Barometer"),
    "city_lights_key": ("绿/黄/红/无", "green/yellow/red/n/a"),
    "city_no_data": ("该年无数据", "no data in the year"),
    "city_no_plan": ("尚未载入规划", "no plan loaded yet"),
    "city_rule": ("汇总规则", "How the totals are formed"),
    "city_withheld": ("不给合计", "not summed"),
    "city_illustrative": ("含示例数据", "rests on illustrative data"),
    "upper_title": ("目标：各县进展与合并评价", " targets: each county's progress and the counties together"),
    "upper_target": ("目标", "Target"),
    "upper_value": ("目标值", "Target value"),
    "upper_together": ("各县合并", "Counties together"),
    "upper_assigned": ("待下达", "to be assigned"),
    "upper_base": ("基年", "base"),
    "upper_withheld": ("不合并", "not pooled"),
    "upper_rule": ("评价规则", "How it is rated"),
    "upper_rule_text": ("各县一栏为该县按本县数据对此目标的评价（与县目标页同一算法）；各县合并为各县分子、分母分别相加后的比值"
                        "（不是各县比值的平均），按同一晴雨表规则评价；任一县缺数据或核算口径不同时不合并。",
                        "each county's column rates the target on that county's own data (as its own targets page "
                        "does); the counties together is the ratio of their summed numerators and denominators (not an "
                        "average of ratios), on the same barometer rule; not pooled when a county lacks data or "
                        "accounts differently."),
    "city_none": ("本部署只有一个县。", "This deployment holds one county."),
}
