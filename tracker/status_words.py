"""The words and marks `tracker status` prints, in each label language (the text, Markdown and
CSV views share them; tracker.status_view and tracker.status_text both read them here)."""

from __future__ import annotations

STYLE = {"green": "bold green", "yellow": "bold yellow", "red": "bold red", "grey": "dim",
         "blue": "bold blue"}
DOT = "●"

UI: dict[str, dict[str, str]] = {
    "zh": {
        "as_of": "截至", "demo": "演示数据(虚构),截至 {as_of},不代表真实进展", "targets": "指标(全市)",
        "target": "指标", "scope": "范围", "actual": "实际", "expected": "序时进度",
        "goal": "目标", "deadline": "时限", "status": "状态", "source": "数据来源",
        "by_unit": "各单位指标", "unit": "单位", "tasks": "任务", "task": "任务",
        "lead": "牵头单位", "no_lead": "(无牵头单位)", "filings": "报送", "period": "期次",
        "due": "截止日期", "reported_on": "报送日期", "index": "指数", "rank": "排名",
        "index_nothing": "暂无排名:还没有单位设定{title}各分项指标的单位目标"
                         "(如 plan/units.yaml 中各单位的 counts),所有单位得分均为 0。",
        "score": "得分", "city": "全市", "none": "无", "no_problem_filings": "没有逾期或未报送",
        "role": "角色", "role_lead": "牵头", "role_support": "配合", "progress": "最新进展",
        "evidence": "佐证", "summary": "进展情况", "problems": "存在问题",
        "next_steps": "下步措施", "not_reported": "未报告", "points": "节点",
        "baseline": "基期", "task_of": "关联任务", "unit_label": "计量单位",
        "no_goal": "无单位目标", "supporting": "配合单位", "units": "责任单位",
        "related": "关联指标", "not_required": "该单位不需要按期报送;已收到的报送:",
        "received": "已收到", "revision": "版本", "index_none": "未纳入指数排名",
        "changes": "状态变化", "no_changes": "没有状态变化", "before": "之前", "after": "现在",
        "arrived": "新收到的报送", "closed": "销号的任务", "file": "文件",
        "warn_data": "警告: 数据有 {n} 个错误,状态只按能读取的部分计算;"
                     "运行 tracker validate{root} 查看详情。",
        "sum_units": "{n} 个单位之和",
        "due_soon": "临期", "due_soon_title": "临期预警(蓝灯,{w} 天内到期且未完成)",
        "pending": "待审核销号", "claimed_on": "申请日期", "last_decision": "上次复核",
        "units_met": "达标 {m}/{n} 个单位", "reporting": "已报告单位",
    },
    "en": {
        "as_of": "as of", "demo": "demo data (invented) as of {as_of}, not real progress",
        "targets": "Targets (city)", "target": "Target", "scope": "Scope", "actual": "Actual",
        "expected": "Expected", "goal": "Goal", "deadline": "Deadline", "status": "Status",
        "source": "Source", "by_unit": "Targets by unit", "unit": "Unit", "tasks": "Tasks",
        "task": "Task", "lead": "Lead", "no_lead": "(no lead)", "filings": "Filings",
        "period": "Period", "due": "Due", "reported_on": "Filed on", "index": "Index",
        "index_nothing": "nothing to rank yet: no unit has a goal of its own for any component "
                         "of {title} (e.g. counts in plan/units.yaml); every score is 0.",
        "rank": "Rank", "score": "Score", "city": "City", "none": "none",
        "no_problem_filings": "no late or missing filings", "role": "Role",
        "role_lead": "lead", "role_support": "supports", "progress": "Latest progress",
        "evidence": "Evidence", "summary": "Progress", "problems": "Problems",
        "next_steps": "Next steps", "not_reported": "no report", "points": "Points",
        "baseline": "baseline", "task_of": "Task", "unit_label": "Unit of count",
        "no_goal": "no unit goal", "supporting": "Supporting", "units": "Units",
        "related": "Targets of this task",
        "not_required": "This unit is not required to file every period; filings received:",
        "received": "Received", "revision": "Revision", "index_none": "not ranked in the index",
        "changes": "Status changes", "no_changes": "No status changes", "before": "Before",
        "after": "Now", "arrived": "Filings received", "closed": "Tasks closed", "file": "File",
        "warn_data": "warning: the data has {n} errors; status uses what could be read. "
                     "Run tracker validate{root} for details.",
        "sum_units": "sum of {n} units",
        "due_soon": "due soon", "due_soon_title": "Due soon (blue: due within {w} days, not done)",
        "pending": "Awaiting review (销号)", "claimed_on": "Claimed on",
        "last_decision": "Last decision", "units_met": "{m} of {n} units met",
        "reporting": "Units reporting",
    },
}
