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
    "city_none": ("本部署只有一个县。", "This deployment holds one county."),
}
