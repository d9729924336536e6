"""`tracker explain`: the arithmetic behind one target's status, written out.

`explain()` gathers the facts from a computed `Status` and the plan (no recomputation of the
rules: the rule trace is the engine's own `rule_trace`, so the explanation cannot disagree with
the status); `render_explanation()` turns them into plain text lines in Chinese or English.
Only characters a GBK console can show are used (no ✓/✗): see tracker.reporters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from tracker.model import Plan, Target
from tracker.status import (
    CITY,
    Actual,
    Cutoffs,
    Interpolation,
    RuleCheck,
    Status,
    gap_points,
    interpolate,
    label,
    rule_trace,
    scaled,
    whole,
)


@dataclass(frozen=True)
class Explanation:
    target: Target
    scope: str
    as_of: date
    actual: int | None
    actuals: tuple[Actual, ...]  # the filings the actual came from
    silent: tuple[str, ...]  # units that report the target and had no filing with as_of ≤ D
    goal: int | None  # the scope's goal (None: a unit without a goal)
    goal_rule: str  # how the goal was found: "milestone", "from:<count>", "allocations", "min"
    curve: Interpolation  # the city curve at D
    scope_curve: Fraction | None  # the scope's curve at D (a unit's: the city's scaled)
    expected: int | None  # 序时进度: the scope's curve rounded down
    threshold: Fraction | None  # ratio mode: lagging × expected
    gap: Fraction | None  # points mode: how far behind, in points of the goal
    cutoffs: Cutoffs
    checks: tuple[RuleCheck, ...]
    status: str | None
    due_soon: bool = False
    # per_unit {min}: the city is done only when every unit is; each unit's status
    units_short: tuple[tuple[str, str, int | None], ...] = ()  # (unit, status, actual) not done
    units_met: int | None = None
    units_total: int | None = None

    @property
    def lagging(self) -> Fraction:
        return self.cutoffs.lagging


def explain(plan: Plan, status: Status, target_id: str, unit: str | None = None) -> Explanation:
    """Explain one target for the city (unit None) or one unit. Raises KeyError for unknown ids."""
    target = plan.targets[target_id]
    scope = unit or CITY
    if unit is not None and not plan.reports(target, unit):
        raise KeyError(unit)
    day = status.as_of
    curve = interpolate(target.points, day)
    units = [u for u in plan.units if plan.reports(target, u)]
    if unit is None:
        actuals = tuple(a for u in units if (a := status.actual(target_id, u)) is not None)
        silent = tuple(u for u in units if status.actual(target_id, u) is None)
        goal: int | None = target.goal
        goal_rule = "milestone"
    else:
        a = status.actual(target_id, unit)
        actuals = (a,) if a else ()
        silent = () if a else (unit,)
        goal = plan.unit_goal(target, unit)
        rule = target.per_unit
        goal_rule = ("none" if rule is None else
                     f"from:{rule.count}" if rule.kind == "from" else rule.kind)
    actual = sum(a.value for a in actuals) if actuals else None
    cut = status.cutoffs
    scope_curve = expected = threshold = gap = None
    checks: tuple[RuleCheck, ...] = ()
    if goal is not None:
        scope_curve = curve.value if unit is None else scaled(curve.value, goal, target.goal)
        expected = whole(scope_curve)
        if cut.points is None:
            threshold = cut.lagging * expected
        elif actual is not None:
            gap = gap_points(actual, expected, goal)
        checks = rule_trace(actual, expected, goal, target.deadline, day, cut)
    row = status.target(target_id, scope)
    short: tuple[tuple[str, str, int | None], ...] = ()
    if row is not None and row.units_total is not None:
        short = tuple((r.scope, r.status, r.actual) for u in units
                      if (r := status.target(target_id, u)) is not None and r.status != "done")
    return Explanation(
        target=target, scope=scope, as_of=day, actual=actual, actuals=actuals, silent=silent,
        goal=goal, goal_rule=goal_rule, curve=curve, scope_curve=scope_curve, expected=expected,
        threshold=threshold, gap=gap, cutoffs=cut, checks=checks,
        status=row.status if row else None, due_soon=row.due_soon if row else False,
        units_short=short, units_met=row.units_met if row else None,
        units_total=row.units_total if row else None,
    )


# --- text ------------------------------------------------------------------------------

T = {
    "zh": {
        "scope": "范围", "city": "全市", "as_of": "截至", "actual": "1. 实际值",
        "none_filed": "没有 as_of ≤ {d} 的报送报告此指标",
        "from_filing": "{v} ← {path}(期次 {period},第 {rev} 版,as_of {as_of},报送于 {on})",
        "sum": "= {v}({n}/{m} 个单位已报送,未报送的不计入)",
        "silent": "尚未报送: {units}",
        "goal": "2. 目标与时限",
        "city_goal": "全市目标 {g},时限 {d}(最后一个节点)",
        "unit_goal": "单位目标 {g}({how})",
        "no_goal": "该单位没有目标({how}),因此没有单位状态;只有实际值",
        "how_from": "{unit} 的 counts.{count}", "how_allocations": "per_unit.allocations 中的分配数",
        "how_min": "per_unit.min,每个报送单位至少 {g}", "how_none": "该指标没有 per_unit,只有全市状态",
        "points": "3. 节点", "baseline": "基期", "milestone": "节点",
        "expected": "4. 序时进度(按日历天数在相邻两点间直线插值)",
        "before_baseline": "{d} 早于基期 {b}:序时进度 = 基期值 {v}",
        "after_deadline": "{d} 晚于时限 {b}:序时进度 = 目标 {v}",
        "on_point": "{d} 正是节点日期:序时进度 = {v}",
        "between": "{d} 位于 {a}({av})与 {b}({bv})之间:已过 {e} 天 / 共 {t} 天",
        "formula": "全市 = {av} + ({bv} − {av}) × {e}/{t} = {v}",
        "scale": "{who} = 全市 {c} × 单位目标 {g} ÷ 全市目标 {cg} = {v}",
        "scale_zero": "全市目标为 0,无从按比例折算:单位序时进度取 0",
        "floor": "序时进度取整数(向下取整,指标按个数计): ⌊{c}⌋ = {v}",
        "shown": "(输出中显示为 {v})",
        "threshold": "5. 滞后阈值 = {lag} × 序时进度 {e} = {v}(比例模式)",
        "gap": "5. 差距 = 100 × (序时进度 {e} − 实际 {a}) ÷ 目标 {g} = {v} 个百分点"
               "(百分点模式:小于 {pl} 为正常推进,小于 {po} 为滞后,否则严重滞后)",
        "gap_none": "5. 百分点模式:小于 {pl} 个百分点为正常推进,小于 {po} 为滞后;没有实际值,无从计算差距",
        "rules": "6. 判定(自上而下,第一条成立的规则生效)",
        "min_rule": "7. 每个单位至少 {k}(per_unit.min):全市只有在每个单位都已完成时才算完成,"
                    "否则取各单位中最严重的状态(逾期未完成、严重滞后、未报送、滞后、正常推进)",
        "min_met": "   已完成 {m}/{n} 个单位",
        "min_short": "   未完成: {units}",
        "due_soon": "临期(蓝灯): 时限 {d} 在 {w} 天之内,尚未完成",
        "yes": "成立", "no": "不成立",
        "r_not_reported": "有没有 as_of ≤ {d} 的报送?{ans}",
        "r_filed": "有",
        "r_not_filed": "没有",
        "r_off_track": "以上均不成立",
        "result": "结论: {label}({code})",
        "no_status": "结论: 无单位状态(没有单位目标)",
    },
    "en": {
        "scope": "Scope", "city": "City", "as_of": "as of", "actual": "1. Actual",
        "none_filed": "no filing with as_of ≤ {d} reports this target",
        "from_filing": "{v} ← {path} (period {period}, revision {rev}, as_of {as_of}, "
                       "reported on {on})",
        "sum": "= {v} ({n} of {m} units have filed; units without a filing count nothing)",
        "silent": "not yet filed: {units}",
        "goal": "2. Goal and deadline",
        "city_goal": "city goal {g}, deadline {d} (the last milestone)",
        "unit_goal": "unit goal {g} ({how})",
        "no_goal": "this unit has no goal ({how}), so it has no unit status, only an actual",
        "how_from": "counts.{count} of {unit}", "how_allocations": "its per_unit allocation",
        "how_min": "per_unit.min: at least {g} for every reporting unit",
        "how_none": "the target has no per_unit: city status only",
        "points": "3. Points", "baseline": "baseline", "milestone": "milestone",
        "expected": "4. Expected (straight line between neighbouring points, by calendar days)",
        "before_baseline": "{d} is before the baseline {b}: expected = baseline value {v}",
        "after_deadline": "{d} is after the deadline {b}: expected = goal {v}",
        "on_point": "{d} is a point's date: expected = {v}",
        "between": "{d} lies between {a} ({av}) and {b} ({bv}): {e} of {t} days elapsed",
        "formula": "city = {av} + ({bv} − {av}) × {e}/{t} = {v}",
        "scale": "{who} = city {c} × unit goal {g} ÷ city goal {cg} = {v}",
        "scale_zero": "the city goal is 0, nothing to scale by: the unit's expected is 0",
        "floor": "expected in whole units (rounded down: targets count whole things): "
                 "⌊{c}⌋ = {v}",
        "shown": "(shown as {v} in the output)",
        "threshold": "5. Lagging threshold = {lag} × expected {e} = {v} (ratio mode)",
        "gap": "5. Gap = 100 × (expected {e} − actual {a}) ÷ goal {g} = {v} points "
               "(points mode: below {pl} on track, below {po} lagging, else off track)",
        "gap_none": "5. Points mode: below {pl} points on track, below {po} lagging; "
                    "no actual, so no gap",
        "rules": "6. Rules (top to bottom, the first that holds wins)",
        "min_rule": "7. At least {k} per unit (per_unit.min): the city is done only when every "
                    "unit is; otherwise it takes its most severe unit's status (overdue, off "
                    "track, not reported, lagging, on track)",
        "min_met": "   done: {m} of {n} units",
        "min_short": "   not done: {units}",
        "due_soon": "Due soon (blue): the deadline {d} is within {w} days and it is not done",
        "yes": "holds", "no": "does not hold",
        "r_not_reported": "is there a filing with as_of ≤ {d}? {ans}",
        "r_filed": "yes",
        "r_not_filed": "no",
        "r_off_track": "none of the above held",
        "result": "Result: {label} ({code})",
        "no_status": "Result: no unit status (no unit goal)",
    },
}


def num(value: Fraction | int | float | None) -> str:
    """Exact integers as integers, other values to two decimals ('≈' marks a rounded figure)."""
    if value is None:
        return "—"
    v = Fraction(value)
    if v.denominator == 1:
        return str(v.numerator)
    shown = f"{float(v):.2f}"
    if Fraction(shown) == v:
        return shown.rstrip("0").rstrip(".")
    return f"≈{shown}"


def render_explanation(e: Explanation, plan: Plan, lang: str = "zh") -> list[str]:
    t = T[lang if lang in T else "en"]
    d = e.as_of.isoformat()
    target = e.target
    who = t["city"] if e.scope == CITY else f"{plan.label(e.scope)} ({e.scope})"
    lines = [
        f"{target.id} · {target.title}",
        f"{t['scope']}: {who} · {t['as_of']} {d}",
        "",
        t["actual"],
    ]
    if not e.actuals:
        lines.append(f"   {t['none_filed'].format(d=d)}")
    for a in e.actuals:
        src = a.source
        text = t["from_filing"].format(
            v=a.value, path=src.path, period=src.period, rev=src.revision,
            as_of=src.as_of.isoformat(), on=src.reported_on.isoformat())
        prefix = f"{plan.label(a.unit)}: " if e.scope == CITY else ""
        lines.append(f"   {prefix}{text}")
    if e.scope == CITY and e.actuals:
        m = len(e.actuals) + len(e.silent)
        lines.append(f"   {t['sum'].format(v=e.actual, n=len(e.actuals), m=m)}")
    if e.scope == CITY and e.silent:
        lines.append(f"   {t['silent'].format(units=', '.join(plan.label(u) for u in e.silent))}")

    lines += ["", t["goal"], f"   {t['city_goal'].format(g=target.goal, d=target.deadline)}"]
    if e.scope != CITY:
        rule = target.per_unit
        if rule is None:
            how = t["how_none"]
        elif rule.kind == "from":
            how = t["how_from"].format(unit=e.scope, count=rule.count)
        elif rule.kind == "allocations":
            how = t["how_allocations"]
        else:
            how = t["how_min"].format(g=rule.minimum)
        key = "unit_goal" if e.goal is not None else "no_goal"
        lines.append(f"   {t[key].format(g=e.goal, how=how)}")

    lines += ["", t["points"]]
    for i, p in enumerate(target.points):
        kind = t["baseline"] if i == 0 else f"{t['milestone']} {i}"
        lines.append(f"   {p.by.isoformat()}  {p.value:>8}  {kind}")

    lines += ["", t["expected"]]
    c = e.curve
    if c.case == "between":
        lines.append("   " + t["between"].format(d=d, a=c.start.by, av=c.start.value, b=c.end.by,
                                                 bv=c.end.value, e=c.elapsed, t=c.total))
        lines.append("   " + t["formula"].format(av=c.start.value, bv=c.end.value, e=c.elapsed,
                                                 t=c.total, v=num(c.value)))
    else:
        lines.append("   " + t[c.case].format(d=d, b=c.start.by, v=num(c.value)))
    if e.scope != CITY and e.goal is not None and e.scope_curve is not None:
        if target.goal == 0:
            lines.append("   " + t["scale_zero"])
        else:
            lines.append("   " + t["scale"].format(who=plan.label(e.scope), c=num(c.value),
                                                   g=e.goal, cg=target.goal,
                                                   v=num(e.scope_curve)))
    if e.expected is not None and e.scope_curve is not None:
        lines.append("   " + t["floor"].format(c=num(e.scope_curve).lstrip("≈"), v=e.expected))

    if e.goal is None or e.expected is None:
        lines += ["", t["no_status"]]
        return [line.replace("= ≈", "≈ ") for line in lines]
    cut = e.cutoffs
    if cut.points is None:
        lines += ["", t["threshold"].format(lag=num(e.lagging), e=e.expected,
                                            v=num(e.threshold))]
    elif e.gap is not None:
        lines += ["", t["gap"].format(e=e.expected, a=e.actual, g=e.goal, v=num(e.gap),
                                      pl=num(cut.points[0]), po=num(cut.points[1]))]
    else:
        lines += ["", t["gap_none"].format(pl=num(cut.points[0]), po=num(cut.points[1]))]
    lines += ["", t["rules"]]
    for i, check in enumerate(e.checks, 1):
        name = f"{label('target', check.code, lang)} {check.code}" if lang == "zh" else check.code
        lines.append(f"   {i}. {name}: {_condition(check, t, d)}")
    if e.units_total is not None and e.scope == CITY and target.per_unit is not None:
        lines += ["", t["min_rule"].format(k=target.per_unit.minimum),
                  t["min_met"].format(m=e.units_met, n=e.units_total)]
        if e.units_short:
            lines.append(t["min_short"].format(units=", ".join(
                f"{plan.label(u)} {label('target', code, lang)}"
                + (f" {a}/{target.per_unit.minimum}" if a is not None else "")
                for u, code, a in e.units_short)))
    if e.status:
        lines += ["", t["result"].format(label=label("target", e.status, lang), code=e.status)]
    if e.due_soon:
        lines.append(t["due_soon"].format(d=target.deadline.isoformat(), w=e.cutoffs.warn_days))
    # "= ≈684.80" reads badly: an approximate result is written "≈ 684.80".
    return [line.replace("= ≈", "≈ ") for line in lines]


def _condition(check: RuleCheck, t: dict[str, str], d: str) -> str:
    if check.code == "not_reported":
        ans = t["r_not_filed"] if check.holds else t["r_filed"]
        return t["r_not_reported"].format(d=d, ans=ans) + f" → {t['yes'] if check.holds else t['no']}"
    if check.code == "off_track":
        return f"{t['r_off_track']} → {t['yes']}"
    left = check.left.isoformat() if isinstance(check.left, date) else num(check.left)
    right = check.right.isoformat() if isinstance(check.right, date) else num(check.right)
    return f"{left} {check.op} {right} → {t['yes'] if check.holds else t['no']}"
