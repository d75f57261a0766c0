"""The API's sections as the product names them (plain data: the settings read it before Django starts)."""

# The first part of an endpoint's path → the section it is listed under, in this order.
SECTIONS = {
    "auth": ("认证", "用账号和密码换取 API 令牌（请求头 Authorization: Token <令牌>）。"),
    "zones": ("开发区", "辖区内的开发区。"),
    "parks": ("园区", "开发区下的园区（片区）。"),
    "enterprises": ("企业", "企业库：建设单位、包联企业。"),
    "projects": ("项目台账", "项目、阶段变更及其历史。金额单位为万元。"),
    "milestones": ("项目节点", "项目的计划节点与完成情况。"),
    "progress": ("项目进展", "项目的进展填报。"),
    "plan-categories": ("年度分类", "“三个一批”等年度分类词表。"),
}

TAGS = [{"name": name, "description": description} for name, description in SECTIONS.values()]
