#!/usr/bin/env python3
"""Regenerate ``examples/demo/``: a synthetic filing repository for the Huzhou plan.

Every figure, name, date and text written here is INVENTED for demonstration. The demo runs
against the real plan (``examples/demo/tracker.yaml`` says ``plan: ../../plan``) and shows each
case the status engine has to handle: units ahead of and behind schedule, a late filing, a missing
filing, an amendment, a value drop, a task marked done without evidence.

Run ``python examples/generate_demo.py`` from anywhere. Standard library only; deterministic: no
randomness and no dependence on today's date, so running it twice gives identical files.
YAML is written by string formatting (block style, 2-space indent, no anchors).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

HEADER = "# 演示数据(虚构) — synthetic demo data, not real figures"
DEMO = Path(__file__).resolve().parent / "demo"

PLAN_START = dt.date(2022, 1, 1)
PLAN_END = dt.date(2025, 12, 31)
DUE_DAYS = 10
EXAMPLE_URL = "https://demo.example.org/huzhou-jidi"
# The date the demo represents (tracker.yaml `as_of`): the default --as-of of status, explain,
# export, build and serve. Mid-plan, with every colour of light: done and on track (green);
# pending review, a late filing and one not yet due (yellow); off track, overdue and a missing
# filing (red); a target not yet reported (grey); two deadlines within 90 days (blue, 临期).
DEMO_AS_OF = dt.date(2024, 10, 8)

# ---------------------------------------------------------------------------------------------
# Units and their synthetic shares of the city goals
# ---------------------------------------------------------------------------------------------

REPORTING_UNITS = ["wuxing", "nanxun", "deqing", "changxing", "anji", "nantaihu"]

SHORT = {
    "wuxing": "吴兴区",
    "nanxun": "南浔区",
    "deqing": "德清县",
    "changxing": "长兴县",
    "anji": "安吉县",
    "nantaihu": "南太湖新区",
    "postal": "市邮政管理局",
    "natural-resources": "市自然资源和规划局",
    "finance": "市财政局",
    "big-data": "市大数据局",
}

REGION_CODE = {"anji": "330523", "deqing": "330521"}

# INVENTED split of the plan's 916 建制村 and 46 乡镇(开发区); the plan gives city totals only.
VILLAGES = {
    "wuxing": 150,
    "nanxun": 190,
    "deqing": 137,
    "changxing": 220,
    "anji": 169,
    "nantaihu": 50,
}
TOWNSHIPS = {"wuxing": 8, "nanxun": 9, "deqing": 9, "changxing": 11, "anji": 8, "nantaihu": 1}
# INVENTED shares of the city-wide goals that the plan does not split by unit.
RESIDENTIAL = {
    "wuxing": 230,
    "nanxun": 110,
    "deqing": 150,
    "changxing": 170,
    "anji": 130,
    "nantaihu": 110,
}
DIGITAL = {"wuxing": 55, "nanxun": 70, "deqing": 60, "changxing": 80, "anji": 65, "nantaihu": 30}
# Final values of the two "at least N per 区县" targets (plan: reported by the five 区县 only).
SORTING = {"wuxing": 1, "nanxun": 1, "deqing": 2, "changxing": 1, "anji": 2}
ENTERPRISES = {"wuxing": 3, "nanxun": 2, "deqing": 3, "changxing": 2, "anji": 3}

assert sum(VILLAGES.values()) == 916 and sum(TOWNSHIPS.values()) == 46
assert sum(RESIDENTIAL.values()) == 900 and sum(DIGITAL.values()) == 360

# Invented township names (乡镇/街道), used in texts and in the registers.
TOWNS = {
    "wuxing": ["青溪街道", "竹岭镇", "梅湾镇", "白鹭乡", "桂香镇", "石桥镇", "云岫乡", "茶坞镇"],
    "nanxun": [
        "荷塘镇",
        "柳岸镇",
        "莲溪镇",
        "丝港镇",
        "桑埠镇",
        "鱼圩乡",
        "双林塘镇",
        "秀浦镇",
        "菱湖湾镇",
    ],
    "deqing": [
        "枫林镇",
        "松涧乡",
        "兰亭镇",
        "竹溪镇",
        "凤鸣镇",
        "鹤山乡",
        "金桥街道",
        "玉湖镇",
        "清溪乡",
    ],
    "changxing": [
        "太湖湾镇",
        "紫砂镇",
        "银杏乡",
        "泗水镇",
        "龙潭镇",
        "画溪街道",
        "雉山镇",
        "林城乡",
        "煤山岭镇",
        "和平湾镇",
        "水口镇",
    ],
    "anji": [
        "竹海街道",
        "白茶镇",
        "天目乡",
        "溪龙湾镇",
        "孝竹镇",
        "梅溪谷镇",
        "章岭乡",
        "山川坞镇",
    ],
    "nantaihu": ["滨湖街道"],
}
assert all(len(TOWNS[u]) == TOWNSHIPS[u] for u in REPORTING_UNITS)

VILLAGE_FIRST = list("上下东西南北前后新大小高中里")
VILLAGE_SECOND = list("塘桥湾坞岭溪山港圩庄埠墩浜口")

# ---------------------------------------------------------------------------------------------
# Targets: deadline and per-unit goal (ids exactly as in docs/decisions.md)
# ---------------------------------------------------------------------------------------------

TARGETS = [
    # id, deadline, per-unit goal
    ("parcel-coverage", dt.date(2022, 12, 31), VILLAGES),
    ("village-service-points", dt.date(2023, 12, 31), VILLAGES),
    ("transfer-centres", dt.date(2024, 12, 31), TOWNSHIPS),
    ("residential-stations", dt.date(2024, 12, 31), RESIDENTIAL),
    ("digital-stations", dt.date(2025, 12, 31), DIGITAL),
    ("county-sorting-centres", dt.date(2025, 12, 31), SORTING),
    ("backbone-enterprises", dt.date(2025, 12, 31), ENTERPRISES),
]
DEADLINE = {t: d for t, d, _ in TARGETS}
GOAL = {t: g for t, _, g in TARGETS}


def reports(unit: str, target: str) -> bool:
    """plan/targets.yaml: reported_by [districts] for the two per-区县 targets, else all six."""
    return unit in GOAL[target]


# Pace profiles: share of the unit's goal reached against share s of the target's time window
# (s = 0 at 2022-01-01, 1 at the target's deadline); straight lines between the points, the
# last value after the last point.
PROFILE = {
    # well ahead
    "anji": [(0, 0), (0.125, 0.2), (0.5, 0.75), (0.75, 1.0)],
    # ahead
    "deqing": [(0, 0), (0.25, 0.33), (0.5, 0.66), (0.8, 1.0)],
    # on track
    "wuxing": [(0, 0), (0.9, 0.96), (1.0, 1.0)],
    "nantaihu": [(0, 0), (0.92, 1.0)],
    # lagging (80-95 % of expected), catches up in the last quarters before each deadline
    "changxing": [(0, 0), (0.25, 0.21), (0.5, 0.41), (0.75, 0.64), (0.875, 0.85), (1.0, 1.0)],
    # below 80 % of expected until the deadline, done about a quarter of the window late
    "nanxun": [(0, 0), (0.25, 0.17), (0.5, 0.36), (0.75, 0.56), (1.0, 0.78), (1.25, 1.0)],
}
# Nanxun does not finish its digital stations by the end of the plan.
PROFILE_OVERRIDE = {
    ("nanxun", "digital-stations"): [(0, 0), (0.5, 0.36), (0.75, 0.6), (1.0, 0.93)],
}

# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------

LATE = {("wuxing", "2023-Q2"): dt.date(2023, 7, 14)}  # due 2023-07-10
MISSING = {("nantaihu", "2024-Q1")}
AMENDED = ("deqing", "2023-Q4")  # revision 2
AMENDED_TARGET = "residential-stations"
AMENDED_OVERSTATEMENT = 6
DROP = ("anji", "2024-Q3")  # a village service point closes
DROP_CLOSED = dt.date(2024, 8, 12)
DROP_REOPENED = dt.date(2024, 10, 28)  # new site, reported in 2024-Q4
AS_OF_DAY_25 = {"changxing"}  # 统计截止 25 日 (a few days early)
# A target a unit reports only from a later period on (未报送, grey, until then).
FIRST_REPORTED = {("wuxing", "county-sorting-centres"): "2024-Q4"}

S4_LAST = "2024-Q4"  # nanxun; S.4 done from here

DISTRICT_TASKS = [
    "1.1",
    "1.2",
    "2.1",
    "2.2",
    "2.3",
    "3.1",
    "3.2",
    "3.3",
    "4.1",
    "4.2",
    "S.1",
    "S.3",
    "S.4",
]

# ---------------------------------------------------------------------------------------------
# Periods and dates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int

    @property
    def id(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        month = 3 * self.quarter
        nxt = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def due(self) -> dt.date:
        return self.end + dt.timedelta(days=DUE_DAYS)

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"


PERIODS = [Period(y, q) for y in range(2022, 2026) for q in range(1, 5)]


def as_of_for(unit: str, period: Period) -> dt.date:
    if unit in AS_OF_DAY_25:
        return period.end.replace(day=25)
    return period.end


def reported_on_for(unit_index: int, period_index: int, period: Period) -> dt.date:
    """3–9 days after the period end, on a weekday, never after the due date."""
    k = 3 + (unit_index * 5 + period_index * 3) % 7
    if period.quarter == 3:  # 国庆假期: file after the holiday
        k = max(k, 8)
    day = period.end + dt.timedelta(days=k)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    if day > period.due:
        day = period.end + dt.timedelta(days=k)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
    return day


def pick(options: list[str], *keys: int) -> str:
    return options[sum((i + 1) * k for i, k in enumerate(keys)) % len(options)]


def number(lo: int, hi: int, *keys: int) -> int:
    return lo + sum((i + 3) * k for i, k in enumerate(keys)) % (hi - lo + 1)


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def interpolate(points: list[tuple[float, float]], s: float) -> float:
    if s <= points[0][0]:
        return points[0][1]
    for (s0, f0), (s1, f1) in zip(points, points[1:], strict=False):
        if s <= s1:
            return f0 + (f1 - f0) * (s - s0) / (s1 - s0)
    return points[-1][1]


def profile_value(unit: str, target: str, day: dt.date) -> int:
    window = (DEADLINE[target] - PLAN_START).days
    s = (day - PLAN_START).days / window
    points = PROFILE_OVERRIDE.get((unit, target), PROFILE[unit])
    return int(interpolate(points, s) * GOAL[target][unit] + 0.5)


def unit_values() -> dict[tuple[str, str], dict[str, int]]:
    """(unit, period) -> target -> cumulative value, for every period (filed or not)."""
    values: dict[tuple[str, str], dict[str, int]] = {}
    for unit in REPORTING_UNITS:
        for period in PERIODS:
            # paced by the period end even where as_of is the 25th: the quarter's work is done
            values[unit, period.id] = {
                t: profile_value(unit, t, period.end) for t, _, _ in TARGETS if reports(unit, t)
            }
    unit, pid = DROP
    values[unit, pid]["village-service-points"] -= 1
    return values


# ---------------------------------------------------------------------------------------------
# Registers (台账): generated from the same numbers, so open items on as_of == value
# ---------------------------------------------------------------------------------------------


@dataclass
class RegisterItem:
    code: str
    name: str
    opened: dt.date
    closed: dt.date | None = None
    village: str = field(default="", compare=False)


def village_slots(unit: str) -> list[tuple[int, int, str]]:
    """(township index, village number, village name) in round-robin township order."""
    n_villages, towns = VILLAGES[unit], TOWNS[unit]
    per_town = [
        n_villages // len(towns) + (i >= len(towns) - n_villages % len(towns))
        for i in range(len(towns))
    ]
    names = [a + b for a in VILLAGE_FIRST for b in VILLAGE_SECOND]
    stride = 37  # coprime with len(names): a fixed, scrambled order
    slots: list[tuple[int, int, str]] = []
    counter = {i: 0 for i in range(len(towns))}
    while len(slots) < n_villages:
        for ti in range(len(towns)):
            if counter[ti] < per_town[ti]:
                counter[ti] += 1
                name = (
                    names[((len(slots) + 11 * REPORTING_UNITS.index(unit)) * stride) % len(names)]
                    + "村"
                )
                slots.append((ti, counter[ti], name))
    return slots


def build_register(unit: str, values: dict[tuple[str, str], dict[str, int]]) -> list[RegisterItem]:
    towns = TOWNS[unit]
    slots = village_slots(unit)
    items: list[RegisterItem] = []
    next_slot = 0
    previous_as_of = PLAN_START - dt.timedelta(days=1)
    drop_unit, drop_period = DROP
    for period in PERIODS:
        as_of = as_of_for(unit, period)
        target_open = values[unit, period.id]["village-service-points"]
        open_now = sum(1 for it in items if it.closed is None or it.closed > as_of)
        if unit == drop_unit and period.id == drop_period:
            victim = items[4]
            victim.closed = DROP_CLOSED
            open_now -= 1
        new = target_open - open_now
        assert new >= 0, (unit, period.id)
        span = (as_of - previous_as_of).days
        reopened = (
            unit == drop_unit
            and open_now < target_open
            and any(it.closed is not None for it in items)
        )
        for j in range(new):
            if reopened and j == 0:
                victim = next(it for it in items if it.closed is not None)
                ti = int(victim.code[6:9]) - 101
                seq = max(int(it.code[9:]) for it in items if it.code[6:9] == victim.code[6:9])
                items.append(
                    RegisterItem(
                        code=f"{REGION_CODE[unit]}{101 + ti:03d}{seq + 1:03d}",
                        name=f"{towns[ti]}{victim.village}寄递物流服务点(新址)",
                        opened=DROP_REOPENED,
                        village=victim.village,
                    )
                )
                continue
            ti, vn, village = slots[next_slot]
            next_slot += 1
            opened = previous_as_of + dt.timedelta(days=1 + (j * span) // new)
            items.append(
                RegisterItem(
                    code=f"{REGION_CODE[unit]}{101 + ti:03d}{200 + vn:03d}",
                    name=f"{towns[ti]}{village}寄递物流服务点",
                    opened=opened,
                    village=village,
                )
            )
        previous_as_of = as_of
    return items


def open_on(items: list[RegisterItem], day: dt.date) -> int:
    return sum(1 for it in items if it.opened <= day and (it.closed is None or it.closed > day))


# ---------------------------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------------------------

TASK_TEXT: dict[str, dict[str, list[str]]] = {
    "1.1": {
        "early": [
            "完成{u}寄递物流产业规模、发展趋势和需求短板评估,形成评估报告初稿。",
            "将寄递物流产业纳入{u}“十四五”产业发展规划,{t1}、{t2}转运中心用地需求"
            "已报自然资源部门。",
        ],
        "mid": [
            "{t1}、{t2}公共转运中心用地纳入国土空间规划“一张图”,村级服务点与文化礼堂同步规划。",
            "新建住宅小区寄递物流设施配建比例已写入规划条件,本季度审查项目{n}个均已落实。",
        ],
        "late": ["老旧小区改造项目同步落实快递末端设施配建,规划保障机制常态化运行。"],
        "problems": [
            "部分乡镇转运中心选址涉及用地指标调剂,协调周期较长。",
            "村级服务点与养老幼托等设施共建需多部门协同,进度不一。",
        ],
        "next": ["加快剩余乡镇转运中心用地报批。", "督促新建小区落实配建要求。"],
        "done": "规划纳入工作已完成,转运中心用地已落实到国土空间规划,转入常态化管理。",
    },
    "1.2": {
        "early": [
            "累计建成乡镇公共转运中心{tc}个(目标{tcg}个)、村级服务点{vsp}个,"
            "本季度新增服务点{dvsp}个。"
        ],
        "mid": [
            "累计建成乡镇公共转运中心{tc}个(目标{tcg}个)、村级服务点{vsp}个;"
            "{t1}转运中心引进智能分拣设备。"
        ],
        "late": [
            "乡镇公共转运中心累计{tc}个(目标{tcg}个),区县级分拣处理中心{sc}个,三级网络持续完善。"
        ],
        "problems": [
            "部分偏远村业务量小,服务点运营可持续性不足。",
            "转运中心改造涉及闲置厂房产权手续,推进较慢。",
            "智能分拣设备采购资金需进一步落实。",
        ],
        "next": [
            "推进{t1}转运中心建设,年内完成主体改造。",
            "对服务点管理服务人员开展业务培训,提升规范化水平。",
        ],
        "done": "三级寄递物流网络建设任务已完成,转运中心、村级服务点全覆盖。",
    },
    "2.1": {
        "early": ["对接商农邮合作,梳理{t1}特色农产品寄递需求。"],
        "mid": [
            "培育“一镇一品”寄递服务项目{n}个,{t1}农特产品寄递业务量同比增长{g}%。",
            "推动寄递企业与农民专业合作社签订合作协议{n}份。",
        ],
        "late": ["“一县一品”寄递项目年业务量突破百万件,供应链服务持续拓展。"],
        "problems": ["农产品标准化程度不高,上行成本偏高。"],
        "next": ["扩大“一村一品”项目覆盖面。"],
        "done": "商农邮协同机制已建立并常态化运行。",
    },
    "2.2": {
        "early": ["摸排寄递物流企业经营情况,确定重点培育企业名单。"],
        "mid": [
            "认定现代化寄递物流骨干企业{be}家,组织从业人员技能培训{n}期。",
            "推动寄递企业与职业院校开展校企合作,联合培养电商物流人才。",
        ],
        "late": ["骨干企业{be}家,职业技能培训补贴按规定落实。"],
        "problems": ["企业规模偏小,智慧化投入意愿不强。"],
        "next": ["继续培育骨干企业,落实培训补贴。"],
        "done": "已培育现代化寄递物流骨干企业{be}家,达到方案要求。",
    },
    "2.3": {
        "early": ["推广统一配送、共同配送模式,{t1}开展末端共配试点。"],
        "mid": [
            "新增“客货邮”融合线路{n}条,快递专用三轮车规范管理工作有序推进。",
            "{t1}、{t2}实现末端共配,配送时效提升。",
        ],
        "late": ["末端共配覆盖全部乡镇,偏远村由邮政企业兜底服务。"],
        "problems": ["部分品牌企业参与共配积极性不高。"],
        "next": ["扩大“客货一体公交”线路覆盖。"],
        "done": "末端共配体系基本建成。",
    },
    "3.1": {
        "early": ["研究制定村级服务点管理服务人员补贴办法。"],
        "mid": [
            "落实村级服务点管理服务人员补贴,本季度拨付补助资金{m}万元。",
            "协调落实{t1}转运中心、小区驿站用地用房需求{n}处。",
        ],
        "late": ["补贴资金按季度拨付,公共基础设施运维保障到位。"],
        "problems": ["区县财政压力较大,补助资金到位偏慢。"],
        "next": ["按标准足额拨付补助资金。"],
        "done": "寄递物流已纳入公共服务保障范围,补贴机制常态化。",
    },
    "3.2": {
        "early": ["梳理商超、金融、通讯网点资源,谋划“五不出村”服务圈。"],
        "mid": [
            "{t1}试点“寄递物流+政务服务”场景,可办事项{n}项。",
            "建成一站式服务圈示范村{n}个,农产品网上产销对接平台上线。",
        ],
        "late": ["“五不出村”服务圈覆盖面持续扩大。"],
        "problems": ["部分村级网点运营能力较弱。"],
        "next": ["推广“寄递+政务服务”场景。"],
        "done": "综合服务体系已建成。",
    },
    "3.3": {
        "early": ["配合开展农村寄递物流服务规范标准研究。"],
        "mid": [
            "{t1}申报城乡寄递物流体系建设试点示范项目,已通过初审。",
            "组织企业参与农产品上行流通标准制定,完成{n}项标准草案。",
        ],
        "late": ["试点示范项目总结推广,标准化水平提升。"],
        "problems": ["标准制定专业力量不足。"],
        "next": ["做好试点示范项目验收准备。"],
        "done": "试点示范项目已通过验收。",
    },
    "4.1": {
        "early": ["梳理寄递物流数据资源目录,准备对接市级平台。"],
        "mid": [
            "对接市级寄递物流数字化综合服务平台,完成{n}个服务点数据接入。",
            "按“快递活村”指数口径报送基础数据,数据质量核查通过。",
        ],
        "late": ["平台数据按月更新,“快递活村”指数纳入区县评价。"],
        "problems": ["部分企业数据接口标准不一。"],
        "next": ["完善数据接口,提升数据时效性。"],
        "done": "已全面接入市级数字化综合服务平台。",
    },
    "4.2": {
        "early": ["谋划村级数字化综合服务站(共富驿站)建设,累计建成{ds}个。"],
        "mid": [
            "累计建成共富驿站{ds}个(目标{dsg}个),布设智能快件箱{n}组。",
            "{t1}建成“快递无人超市”,共富驿站累计{ds}个。",
        ],
        "late": ["共富驿站累计{ds}个(目标{dsg}个),5G、物联网等技术应用逐步推广。"],
        "problems": ["智能化设施投入大,运营收益有限。"],
        "next": ["加快剩余共富驿站新建及改造提升。"],
        "done": "共富驿站{ds}个已全部建成,任务完成。",
    },
    "S.1": {
        "early": ["成立{u}城乡寄递物流体系建设工作专班,建立月度例会制度。"],
        "mid": ["工作专班召开例会{n}次,协调解决问题{m}个。"],
        "late": ["工作专班常态化运行。"],
        "problems": [],
        "next": ["保持专班运行,强化统筹。"],
        "done": "工作专班已成立并常态化运行。",
    },
    "S.3": {
        "early": ["研究出台寄递物流扶持政策,保障“快递活村”共富班车运行。"],
        "mid": [
            "“快递活村”共富班车本季度开行{m}班次,运行平稳。",
            "对接银行推出寄递物流普惠信贷产品,本季度发放贷款{n}笔。",
        ],
        "late": ["扶持政策持续落实,共富班车平稳运行。"],
        "problems": ["社会资本参与度仍需提升。"],
        "next": ["探索多元化资金投入机制。"],
        "done": "扶持政策已出台并落实。",
    },
    "S.4": {
        "early": ["细化实施计划,明确责任部门和时间节点。"],
        "mid": ["开展专项督查{n}次,推进情况纳入年度考核。"],
        "late": ["督查评价机制常态化,年度考核已落实。"],
        "problems": [],
        "next": ["开展年度督查评价。"],
        "done": "督查评价机制已建立。",
    },
}

UNIT_PROBLEMS = {
    "nanxun": [
        "用地指标紧张,部分乡镇转运中心选址尚未确定。",
        "村级服务点管理服务人员流动性大,补贴资金到位慢。",
    ],
    "changxing": ["前期统筹不足,服务点建设集中在下半年,正组织攻坚。"],
}

TARGET_NOTES = {
    "parcel-coverage": "快递服务覆盖建制村{v}个",
    "transfer-centres": "累计建成乡镇公共转运中心{v}个",
    "residential-stations": "住宅小区快递末端驿站累计{v}个",
    "digital-stations": "共富驿站累计{v}个(含新建及改造提升)",
    "county-sorting-centres": "区县级分拣处理中心{v}个",
    "backbone-enterprises": "现代化寄递物流骨干企业{v}家",
}


ZERO_NOTES = {
    "county-sorting-centres": "区县级分拣处理中心选址论证中",
    "backbone-enterprises": "重点培育企业遴选中",
    "transfer-centres": "乡镇公共转运中心选址中",
    "digital-stations": "共富驿站建设方案编制中",
}


def phase(period: Period) -> str:
    return {2022: "early", 2023: "mid"}.get(period.year, "late")


# ---------------------------------------------------------------------------------------------
# YAML writing
# ---------------------------------------------------------------------------------------------

_NUMBER_LIKE = re.compile(r"[-+]?[0-9_.:eExXoObB+]*")
_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_KEYWORDS = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"}


def scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain_ok = not (
        text.lower() in _KEYWORDS
        or text != text.strip()
        or text[0] in "-?:,[]{}#&*!|>'\"%@`"
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\n" in text
        or "\t" in text
        or _NUMBER_LIKE.fullmatch(text)
        or _DATE_LIKE.match(text)
    )
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


def emit(value: object, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{scalar(key)}:")
                lines.extend(emit(item, indent + 2))
            else:
                lines.append(f"{pad}{scalar(key)}: {scalar(item) if item != [] else '[]'}")
    elif isinstance(value, list):
        for item in value:
            sub = emit(item, indent + 2)
            if isinstance(item, (dict, list)):
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {scalar(item)}")
    else:
        lines.append(pad + scalar(value))
    return lines


def render(document: dict, comments: list[str] | None = None) -> str:
    head = [HEADER] + [f"# {c}" if c else "#" for c in comments or []]
    return "\n".join(head + emit(document)) + "\n"


# ---------------------------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------------------------


class Evidence:
    """Collects the evidence files that filings reference, to be written with them."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def path(self, unit: str, period: str, name: str, title: str, lines: list[str]) -> dict:
        rel = f"evidence/{unit}/{period}/{name}"
        body = [
            HEADER,
            "",
            f"## {title}",
            "",
            "本文件是演示用的虚构佐证材料,不是真实文件。",
            "This is invented evidence for the demo; it is not a real document.",
            "",
            f"- 单位:{SHORT[unit]}({unit})",
            f"- 期间:{period}",
        ]
        body += [f"- {line}" for line in lines]
        self.files.setdefault(rel, "\n".join(body) + "\n")  # first (earliest) wins
        return {"title": title, "path": rel}


def url(unit: str, period: str, slug: str, title: str) -> dict:
    return {"title": f"{title}(虚构链接)", "url": f"{EXAMPLE_URL}/{unit}/{period}/{slug}"}


# ---------------------------------------------------------------------------------------------
# Filings of the reporting units
# ---------------------------------------------------------------------------------------------


def first_period(values, unit: str, pred) -> str | None:
    for period in PERIODS:
        if pred(values[unit, period.id]):
            return period.id
    return None


def task_done_periods(values, unit: str) -> dict[str, str]:
    """When a unit marks its own part of a task done (with evidence)."""
    done: dict[str, str] = {}
    done["1.1"] = {
        "anji": "2022-Q4",
        "deqing": "2023-Q1",
        "wuxing": "2023-Q2",
        "nantaihu": "2023-Q2",
        "changxing": "2023-Q4",
        "nanxun": "2024-Q2",
    }[unit]
    done["S.1"] = "2022-Q4" if unit == "nanxun" else "2022-Q2"
    # S.4 names only districts and nantaihu and has no lead: done once all six have marked it.
    done["S.4"] = {
        "anji": "2022-Q4",
        "deqing": "2022-Q4",
        "wuxing": "2023-Q2",
        "nantaihu": "2023-Q2",
        "changxing": "2023-Q4",
        "nanxun": S4_LAST,
    }[unit]

    def met(*targets: str):
        return lambda v: all(v[t] >= GOAL[t][unit] for t in targets if reports(unit, t))

    for task, targets in {
        "1.2": ("transfer-centres", "village-service-points", "county-sorting-centres"),
        "2.2": ("backbone-enterprises",),
        "4.2": ("digital-stations",),
    }.items():
        if not any(reports(unit, t) for t in targets):
            continue
        period = first_period(values, unit, met(*targets))
        if period is not None:
            done[task] = period
    return done


def not_started_until(unit: str, task: str) -> str:
    """Last period in which the unit has not yet started the task ('' = started at once)."""
    if task in ("3.3", "4.1"):
        return {"anji": "", "deqing": "", "nanxun": "2022-Q4"}.get(unit, "2022-Q2")
    return ""


def unit_filing(
    unit: str, ui: int, pi: int, period: Period, values, registers, evidence: Evidence
) -> dict:
    as_of = as_of_for(unit, period)
    vals = values[unit, period.id]
    prev = values[unit, PERIODS[pi - 1].id] if pi else {t: 0 for t, _, _ in TARGETS}
    towns = TOWNS[unit]
    t1, t2 = towns[(pi + ui) % len(towns)], towns[(pi + ui + 1) % len(towns)]

    doc: dict = {
        "unit": unit,
        "period": period.id,
        "as_of": as_of,
        "reported_on": LATE.get((unit, period.id), reported_on_for(ui, pi, period)),
        "revision": 1,
    }
    if (unit, period.id) == AMENDED:
        doc["revision"] = 2
        original = vals[AMENDED_TARGET] + AMENDED_OVERSTATEMENT
        doc["amendment_reason"] = (
            f"2024年2月复核发现,原报住宅小区快递末端驿站{original}个中有"
            f"{AMENDED_OVERSTATEMENT}个系驿站更名后重复统计,更正为{vals[AMENDED_TARGET]}个。"
        )

    targets: dict = {}
    for target, _, goal in TARGETS:
        if not reports(unit, target) or period.id < FIRST_REPORTED.get((unit, target), ""):
            continue
        v, g = vals[target], goal[unit]
        entry: dict = {"value": v}
        if target == "village-service-points":
            delta = v - prev[target]
            if (unit, period.id) == DROP:
                closed = next(it for it in registers[unit] if it.closed is not None)
                note = (
                    f"{closed.name}因场地拆迁于{DROP_CLOSED.month}月{DROP_CLOSED.day}日"
                    "停止运营,较上季度减少1个"
                )
            elif unit == DROP[0] and PERIODS[pi - 1].id == DROP[1]:
                note = "拆迁服务点已在新址恢复运营,重新实现全覆盖"
            elif v >= g:
                note = "已实现建制村设点服务全覆盖" if prev[target] < g else "保持全覆盖"
            else:
                note = f"本季度新增{delta}个,累计{v}个(共{g}个建制村)"
            if unit in registers:
                note += ",明细见台账"
        elif v == 0 and target in ZERO_NOTES:
            note = ZERO_NOTES[target]
        else:
            note = TARGET_NOTES[target].format(v=v)
            if v >= g and prev[target] < g:
                note += ",已完成目标"
        if (unit, period.id) == AMENDED and target == AMENDED_TARGET:
            note += ",本期经复核更正"
        if unit == "nantaihu" and period.id == "2024-Q2" and target == "village-service-points":
            note += ";一季度漏报,本期为截至6月底累计数"
        if period.id == FIRST_REPORTED.get((unit, target)):
            note += ";本期起报送该指标,数值为开工以来累计数"
        entry["note"] = note
        ev: list[dict] = []
        if target == "village-service-points" and period.quarter == 4:
            lines = [f"截至{as_of.isoformat()},村级寄递物流末端服务点累计{v}个。"]
            if unit in registers:
                lines.append(
                    f"逐点明细见 submissions/{unit}/registers/village-service-points.yaml。"
                )
            ev.append(
                evidence.path(
                    unit, period.id, "village-service-points.md", "村级服务点年度台账汇总", lines
                )
            )
        if target == "transfer-centres" and period.quarter == 2 and v > prev[target]:
            ev.append(url(unit, period.id, "transfer-centre-news", "转运中心投用新闻报道"))
        if target == "digital-stations" and v >= g and prev[target] < g:
            ev.append(
                evidence.path(
                    unit,
                    period.id,
                    "digital-stations-acceptance.md",
                    "共富驿站建设验收意见",
                    [f"共富驿站累计{v}个,达到本单位分解目标。"],
                )
            )
        if ev:
            entry["evidence"] = ev
        targets[target] = entry
    doc["targets"] = targets

    fmt = {
        "u": SHORT[unit],
        "t1": t1,
        "t2": t2,
        "vsp": vals["village-service-points"],
        "dvsp": vals["village-service-points"] - prev["village-service-points"],
        "tc": vals["transfer-centres"],
        "tcg": TOWNSHIPS[unit],
        "ds": vals["digital-stations"],
        "dsg": DIGITAL[unit],
        "sc": vals.get("county-sorting-centres", 0),
        "be": vals.get("backbone-enterprises", 0),
        "n": number(2, 7, ui, pi),
        "m": number(6, 48, pi, ui),
        "g": number(8, 35, ui, pi),
    }
    done_at = task_done_periods(values, unit)
    tasks: dict = {}
    for ti, task in enumerate(DISTRICT_TASKS):
        text = TASK_TEXT[task]
        entry = {}
        started_after = not_started_until(unit, task)
        done_period = done_at.get(task)
        if started_after and period.id <= started_after:
            entry["progress"] = "not_started"
            entry["summary"] = "尚未启动,待市级统筹部署后推进。"
            entry["next_steps"] = pick(text["next"], ui, pi).format(**fmt)
        elif done_period and period.id >= done_period:
            entry["progress"] = "done"
            entry["summary"] = (
                text["done"].format(**fmt) if period.id == done_period else "已完成,持续巩固提升。"
            )
            entry["evidence"] = [
                evidence.path(
                    unit,
                    done_period,
                    f"task-{task.replace('.', '-')}.md",
                    f"任务{task}完成情况说明",
                    [
                        f"{SHORT[unit]}任务{task}已于{done_period}完成。",
                        TASK_TEXT[task]["done"].format(**fmt),
                    ],
                )
            ]
        else:
            entry["progress"] = "in_progress"
            entry["summary"] = pick(text[phase(period)], ui, pi, ti).format(**fmt)
            problems = list(text["problems"])
            if task == "1.2" and unit in UNIT_PROBLEMS:
                problems = UNIT_PROBLEMS[unit]
            if problems and (pi + ti + ui) % 3 != 0:
                entry["problems"] = pick(problems, pi, ui)
            entry["next_steps"] = pick(text["next"], pi, ti).format(**fmt)
        tasks[task] = entry
    doc["tasks"] = tasks
    return doc


# ---------------------------------------------------------------------------------------------
# Filings of the departments (tasks only)
# ---------------------------------------------------------------------------------------------

DEPARTMENTS = {
    # unit: (first period, every n quarters, tasks it leads)
    "postal": ("2022-Q2", 1, ["1.2", "2.1", "2.2", "2.3", "3.2", "3.3", "4.2", "S.2"]),
    "natural-resources": ("2022-Q2", 2, ["1.1"]),
    "finance": ("2022-Q2", 2, ["3.1", "S.3"]),
    "big-data": ("2022-Q3", 1, ["4.1"]),
}

DEPT_TEXT = {
    "1.1": [
        "组织各区县开展寄递物流产业评估,指导转运中心用地纳入国土空间规划。",
        "审核各区县寄递物流设施用地规划,明确新建小区配建比例。",
    ],
    "1.2": [
        "据各区县报送,全市累计建成乡镇转运中心{tc}个、村级服务点{vsp}个。",
        "督导各区县推进三级网络建设,全市村级服务点累计{vsp}个。",
    ],
    "2.1": [
        "深化商农邮战略合作,全市培育寄递服务农特产品项目{n}个。",
        "推动“千万级”“百万级”寄递项目培育,组织产销对接活动{n}场。",
    ],
    "2.2": [
        "全市认定现代化寄递物流骨干企业{be}家,组织技能培训。",
        "推动寄递物流专业技术职称评审纳入市级评价认定体系。",
    ],
    "2.3": [
        "推进末端共同配送,全市“客货邮”融合线路累计{m}条。",
        "规范快递专用三轮车管理,推广统一配送模式。",
    ],
    "3.2": ["推动“寄递物流+政务服务”场景建设,指导打造“五不出村”服务圈。"],
    "3.3": [
        "牵头研制农村寄递物流设施建设及服务规范,开展试点示范行动。",
        "组织地方标准起草和征求意见,遴选试点示范项目{n}个。",
    ],
    "4.2": ["全市共富驿站累计{ds}个(目标360个),推广智能快件箱。"],
    "S.2": [
        "简化快递末端网点备案手续,推行网上备案。",
        "清理寄递物流领域不合理限制,本季度办理末端网点备案{n}件。",
    ],
    "S.3": [
        "统筹市级资金支持“快递活村”共富班车运行。",
        "会同金融机构研究寄递物流体系建设信贷支持政策。",
    ],
    "3.1": [
        "研究市级寄递物流公共基础设施补助标准。",
        "下达村级服务点管理服务人员市级补助资金{m}万元。",
    ],
    "4.1": [
        "推进寄递物流数字化综合服务平台建设,完成{n}个部门系统对接。",
        "开展“快递活村”指数模型研究,完成指标体系设计。",
        "平台试运行,汇聚服务点、转运中心数据。",
    ],
}

DEPT_DONE_TEXT = {
    "1.1": "各区县寄递物流园区、乡镇转运中心用地已全部纳入国土空间规划,任务销号。",
    "1.2": "全市乡镇公共转运中心、村级服务点全覆盖,区县级分拣处理中心均已建成。",
    "2.2": "各区县均已培育现代化寄递物流骨干企业2家以上。",
    "2.3": "全市末端共配体系基本建成,“客货邮”融合线路覆盖全部区县。",
    "3.1": "《湖州市城乡寄递物流公共服务补助办法》(虚构)已印发实施。",
    "3.3": "农村寄递物流服务规范地方标准已发布(佐证材料待补充)。",
    "4.1": "寄递物流数字化综合服务平台通过验收,“快递活村”指数正式发布。",
    "S.2": "快递末端网点备案实现全程网办,不合理限制已清理完毕。",
}


def dept_done_periods(values) -> dict[str, str]:
    """Lead-unit 销号 dates. 3.3 is marked done WITHOUT evidence (does not count)."""
    done = {
        "1.1": "2023-Q2",
        "3.1": "2024-Q4",
        "4.1": "2025-Q2",
        "2.3": "2025-Q2",
        "3.3": "2024-Q4",
        "S.2": "2023-Q4",
    }

    def all_met(*targets: str):
        return lambda p: all(
            values[u, p][t] >= GOAL[t][u] for u in REPORTING_UNITS for t in targets if reports(u, t)
        )

    for task, targets in {
        "1.2": ("transfer-centres", "village-service-points", "county-sorting-centres"),
        "2.2": ("backbone-enterprises",),
    }.items():
        for period in PERIODS:
            if period.id >= "2022-Q2" and all_met(*targets)(period.id):
                done[task] = period.id
                break
    return done


NO_EVIDENCE = {("postal", "3.3")}


def dept_filing(unit: str, di: int, pi: int, period: Period, values, evidence: Evidence) -> dict:
    city = {t: sum(values[u, period.id].get(t, 0) for u in REPORTING_UNITS) for t, _, _ in TARGETS}
    fmt = {
        "tc": city["transfer-centres"],
        "vsp": city["village-service-points"],
        "ds": city["digital-stations"],
        "be": city["backbone-enterprises"],
        "n": number(3, 12, pi, di),
        "m": number(12, 60, di, pi),
    }
    doc: dict = {
        "unit": unit,
        "period": period.id,
        "as_of": period.end,
        "reported_on": reported_on_for(10 + di, pi, period),
        "revision": 1,
    }
    done_at = dept_done_periods(values)
    tasks: dict = {}
    for ti, task in enumerate(DEPARTMENTS[unit][2]):
        entry: dict = {}
        done_period = done_at.get(task)
        if done_period and period.id >= done_period:
            entry["progress"] = "done"
            entry["summary"] = (
                DEPT_DONE_TEXT[task] if period.id == done_period else "任务已完成,转入常态化管理。"
            )
            if task == "2.3":
                entry["evidence"] = [url(unit, done_period, "co-delivery", "末端共配工作总结报道")]
            elif (unit, task) not in NO_EVIDENCE:
                items = [
                    evidence.path(
                        unit,
                        done_period,
                        f"task-{task.replace('.', '-')}.md",
                        f"任务{task}销号材料",
                        [DEPT_DONE_TEXT[task]],
                    )
                ]
                if task == "4.1":
                    items.append(
                        url(unit, done_period, "kuaidi-huocun-index", "“快递活村”指数发布新闻")
                    )
                entry["evidence"] = items
        else:
            entry["progress"] = "in_progress"
            entry["summary"] = pick(DEPT_TEXT[task], pi, ti).format(**fmt)
            if task == "1.2" and period.year >= 2024:
                laggards = [
                    SHORT[u]
                    for u in REPORTING_UNITS
                    if values[u, period.id]["transfer-centres"] < TOWNSHIPS[u]
                ]
                if laggards:
                    entry["problems"] = f"{'、'.join(laggards)}乡镇转运中心建设进度滞后。"
            if task == "4.2" and period.year >= 2025:
                entry["problems"] = "南浔区共富驿站建设进度明显滞后,需重点督导。"
            entry["next_steps"] = (
                "加强督导,按季度通报进展。"
                if (pi + ti) % 2
                else "会同各区县逐项对账,推动任务落地。"
            )
        tasks[task] = entry
    doc["tasks"] = tasks
    return doc


# ---------------------------------------------------------------------------------------------
# tracker.yaml, registers, README
# ---------------------------------------------------------------------------------------------


def tracker_yaml() -> str:
    counts = "\n".join(
        f"  {u}:\n    villages: {VILLAGES[u]}\n    townships: {TOWNSHIPS[u]}"
        for u in REPORTING_UNITS
    )
    return f"""{HEADER}
# 本目录是 tracker 的演示仓库:计划读取真实的 plan/ 目录,报送数据全部为虚构。
# A demo repository for tracker: it runs against the real plan/; all filings are invented.
plan: ../../plan
demo: true
title: 湖州市城乡寄递物流体系建设进展(演示数据)
# 演示数据代表的日期:status、explain、export、build、serve 不写 --as-of 时按这一天计算。
# The date the demo represents: the default --as-of of status, explain, export, build, serve.
as_of: {DEMO_AS_OF.isoformat()}
# 以下各单位建制村数(villages)和乡镇(开发区)数(townships)为演示虚构,并非真实分布;
# 仅保证合计为实施方案的 916 个建制村和 46 个乡镇(开发区)。
# These per-unit counts are INVENTED for the demo and are NOT the real split; they
# only add up to the plan's totals of 916 villages and 46 townships.
counts:
{counts}
"""


# 销号复核 decisions of the plan office (reviews/<task>.yaml; the plan has closure: review).
# INVENTED, like everything here. Each answers a claim the generated filings make (the lead's
# latest report `done` with evidence; for S.2/S.4, which have no lead, every unit's): returned
# and then approved, approved at once, and claims still awaiting review at the demo date and
# at the plan's end. (date, decision, note), appended in date order.
REVIEWS: dict[str, list[tuple[str, str, str]]] = {
    "1.1": [("2023-07-20", "returned", "佐证材料缺少专项规划批复文件,请补充后重新申请销号。"),
            ("2024-01-25", "approved", "专项规划已批复,用地已落实,材料齐全,同意销号。")],
    "S.2": [("2024-04-20", "returned", "部分单位只报送了政策文件目录,请附政策原文后重新申请。")],
    "S.4": [("2025-01-25", "approved", "督查评价机制已建立并运行,同意销号。")],
    "3.1": [("2025-01-20", "approved", "补贴机制已纳入财政预算,同意销号。")],
    "4.1": [("2025-07-25", "returned", "平台接入清单不完整,请补充各区县接入情况。"),
            ("2025-10-25", "approved", "接入情况已补充,同意销号。")],
    "2.3": [("2025-10-20", "approved", "末端共配体系验收材料齐全,同意销号。")],
    "1.2": [("2026-01-20", "approved", "三级网络基础设施全覆盖,同意销号。")],
    # 2.2's claim (2026-01) is left without a decision: it awaits review at the end.
}


def review_doc(task: str, decisions: list[tuple[str, str, str]]) -> str:
    lines = [HEADER, f"# 任务 {task} 的销号复核记录(演示虚构) — 只追加,不修改、不删除。",
             f'task: "{task}"', "decisions:"]
    for on, decision, note in decisions:
        label = {"approved": "同意销号", "returned": "退回"}[decision]
        lines += [f"  - on: {on}", f"    decision: {decision}   # {label}", f"    note: {note}",
                  "    by: 市邮政管理局(演示)"]
    return "\n".join(lines) + "\n"


def register_doc(unit: str, items: list[RegisterItem]) -> dict:
    return {
        "unit": unit,
        "target": "village-service-points",
        "items": [
            {
                "code": it.code,
                "name": it.name,
                "opened": it.opened,
                **({"closed": it.closed} if it.closed else {}),
            }
            for it in sorted(items, key=lambda it: it.code)
        ],
    }


def readme(values, registers) -> str:
    drop_item = next(it for it in registers[DROP[0]] if it.closed is not None)
    drop_before = values[DROP[0], "2024-Q2"]["village-service-points"]
    drop_after = values[DROP]["village-service-points"]
    amended_value = values[AMENDED][AMENDED_TARGET]
    done = dept_done_periods(values)
    vsp_done = {
        u: first_period(values, u, lambda v, u=u: v["village-service-points"] >= VILLAGES[u])
        for u in REPORTING_UNITS
    }
    nanxun_final = values["nanxun", "2025-Q4"]["digital-stations"]
    city_final = sum(values[u, "2025-Q4"]["digital-stations"] for u in REPORTING_UNITS)
    late_unit, late_period = next(iter(LATE))
    missing_unit, missing_period = next(iter(MISSING))
    (first_unit, first_target), first_from = next(iter(FIRST_REPORTED.items()))
    return f"""{HEADER}

# 演示数据 / Demo data

**本目录的全部数据均为虚构**,用于演示 `tracker` 的校验、状态计算和站点生成,
不代表湖州市任何单位的真实进展。
**Everything in this folder is invented.** It exists to demonstrate `tracker`'s
validation, status computation and site; it does not describe the real progress of any
unit in Huzhou.

## 如何找到真实计划 / How it finds the real plan

`tracker.yaml` 写有 `plan: ../../plan`,即读取仓库根目录下真实的 `plan/`
(任务、指标、责任单位均依实施方案原文)。只有 `submissions/`、`evidence/` 和
`tracker.yaml` 中的 `counts`(各单位建制村数、乡镇数)是虚构的;`counts` 合计为方案的
916 个建制村、46 个乡镇(开发区),但不是真实分布。

`tracker.yaml` says `plan: ../../plan`, so the demo runs against the repository's real
`plan/` folder (tasks, targets and units as in the plan). Only `submissions/`,
`evidence/` and the per-unit `counts` in `tracker.yaml` are made up; the counts add up to
the plan's 916 villages and 46 townships but are not the real split.

```sh
tracker validate --root examples/demo
tracker status --root examples/demo                      # 截至 {DEMO_AS_OF} / as of {DEMO_AS_OF}
tracker status --root examples/demo --as-of 2025-12-31   # 任何一天 / any other day
```

`tracker.yaml` 中的 `as_of: {DEMO_AS_OF}` 是演示数据代表的日期:不写 `--as-of` 时,
status、explain、export、build、serve 都按这一天计算(报送数据一直编到 2025-Q4,
按“今天”计算则全部已到期)。
`as_of: {DEMO_AS_OF}` in `tracker.yaml` is the date the demo represents: without
`--as-of`, status, explain, export, build and serve compute as of that day (the filings run
to 2025-Q4; as of today everything would be past its deadline).

## 重新生成 / Regenerate

```sh
python examples/generate_demo.py
```

脚本只用标准库,不含随机数,不依赖当天日期,重复运行结果完全相同。请勿手工修改本目录:
改动写进脚本后重新生成。
The script uses the standard library only, has no randomness and does not depend on
today's date: running it twice gives identical files. Do not edit this folder by hand;
change the script and regenerate.

## 内容 / Contents

- 六个必报单位(wuxing、nanxun、deqing、changxing、anji、nantaihu)2022-Q1 至 2025-Q4
  每季度一份报送,含其报送的指标(五个区县 7 项;南太湖新区 5 项,因区县级分拣中心和
  骨干企业按方案只由各区县报送)和其名列的任务 1.1–4.2、S.1、S.3、S.4。
  The six required units file every quarter 2022-Q1 … 2025-Q4 on the targets they
  report (7 for each 区县, 5 for nantaihu: the plan has the sorting-centre and
  backbone-enterprise targets reported by the 区县 only) and the tasks they are named on.
- 牵头部门只报任务(无 `targets`):postal(1.2、2.1、2.2、2.3、3.2、3.3、4.2、S.2,
  每季度,自 2022-Q2)、natural-resources(1.1,每半年)、finance(3.1、S.3,每半年)、
  big-data(4.1,每季度,自 2022-Q3)。
  Lead departments file on their tasks only: postal quarterly from 2022-Q2,
  natural-resources and finance half-yearly, big-data quarterly from 2022-Q3.
- anji、deqing 有村级服务点台账 `submissions/<unit>/registers/village-service-points.yaml`,
  每份报送 `as_of` 当日在运营的台账条目数与报送值完全相等。
  anji and deqing keep a village-service-point register; on every filing's `as_of` the
  number of open register items equals the filed value.
- `evidence/` 下的佐证材料是标明“虚构”的 Markdown 小文件;`https://demo.example.org/…`
  链接为虚构地址。
  Evidence files are small Markdown files marked as invented; the
  `https://demo.example.org/…` links are placeholders.

## 演示场景 / Scenarios

- **超前 / ahead** — anji、deqing:各项指标明显快于直线进度,村级服务点分别于
  {vsp_done["anji"]}、{vsp_done["deqing"]} 全覆盖。
  anji and deqing are well above the straight line on every target.
- **正常 / on track** — wuxing、nantaihu:等于或略高于直线进度。
  At or just above the straight line.
- **滞后、严重滞后 / lagging, off track** — nanxun:2022–2023 年村级服务点落后序时进度
  10–20 个百分点(滞后),2023 年下半年超过 20 个百分点(严重滞后),{vsp_done["nanxun"]}
  才全覆盖;快递覆盖、转运中心、住宅小区驿站同样晚于截止日完成。
  10–20 points behind the 序时进度 through 2022–2023, more than 20 from 2023-Q3; complete only
  in {vsp_done["nanxun"]}; parcel coverage, transfer centres and residential stations are also
  completed after their deadlines.
- **后程追赶 / catches up late** — changxing:前期为序时进度的 80–95%,在每项指标截止前
  最后一两个季度集中攻坚按期完成;其 `as_of` 为季末月 25 日。
  80–95 % of expected, catches up in the last quarters before each deadline; its
  `as_of` is the 25th of the quarter's last month.
- **迟报 / late** — {late_unit} {late_period}:`reported_on: {LATE[late_unit, late_period]}`,
  截止日 / due {PERIODS[[p.id for p in PERIODS].index(late_period)].due}。
- **漏报 / missing** — {missing_unit} {missing_period}:没有报送文件 / no file
  (下一期备注中说明 / the next filing's note mentions it)。
- **尚未报送的指标 / not yet reported** — {first_unit} 的 {first_target} 自 {first_from}
  起才报送,此前为“未报送”(灰灯)。{first_unit} files {first_target} only from
  {first_from} on: not reported (grey) until then.
- **更正 / amendment** — {AMENDED[0]} {AMENDED[1]}:`revision: 2` 和 `amendment_reason`
  (住宅小区驿站重复统计 {AMENDED_OVERSTATEMENT} 个,更正为 {amended_value} 个)。
  `reported_on` 保留首次报送日期;在 git 中更正是同一文件的后续提交,这里只写最终状态。
  Residential stations corrected; `reported_on` keeps the first filing date. In git the
  amendment is a later commit of the same file; the demo holds only the final state.
- **数值回落 / value drop** — {DROP[0]} {DROP[1]}:{drop_item.name}
  (`{drop_item.code}`)于 {DROP_CLOSED} 停运,台账记 `closed`,村级服务点
  {drop_before}→{drop_after};{DROP_REOPENED} 新址启用,2024-Q4 恢复。
  A service point closes (the register shows `closed`); a new site reopens in 2024-Q4.
- **完成无佐证 / done without evidence** — postal,任务 "3.3",自 {done["3.3"]} 起标记
  `done` 但无 `evidence`,不算销号。
  The lead marks the task done with no evidence: it does not count as 销号.
- **销号申请 / claims (done with evidence)** — natural-resources "1.1"({done["1.1"]})、
  postal "S.2"({done["S.2"]})、finance "3.1"({done["3.1"]})、
  big-data "4.1"({done["4.1"]})、postal "2.3"({done["2.3"]},仅链接佐证 / URL
  evidence only)、postal "1.2"({done["1.2"]})、postal "2.2"({done["2.2"]})。
- **销号复核 / review (plan.closure: review)** — `reviews/` 中的复核决定(虚构):
  "1.1" 先退回({REVIEWS["1.1"][0][0]})后同意({REVIEWS["1.1"][1][0]});"S.2" 退回
  ({REVIEWS["S.2"][0][0]})后各单位再次申请,演示日期 {DEMO_AS_OF} 时为“待审核销号”;
  "4.1" 退回后同意;"2.2" 到期末仍待审核。 Invented decisions in `reviews/`: returned then
  approved, returned and claimed again (pending at the demo date), approved at once, and one
  claim that still awaits review at the plan's end.
- **无牵头的工作保障 / safeguards without a lead** — "S.4" 只列区县和南太湖新区,
  六个单位全部附佐证标记完成后({S4_LAST},nanxun 最后)才算完成;"S.1" 还列有市级
  各部门,而部门未报 S.1,故始终未完成。
  "S.4" is done only once all six units have marked it done with evidence ({S4_LAST});
  "S.1" also names every city department, which do not file on it, so it never completes.
- **期末未完成 / unfinished at plan end** — nanxun 共富驿站 2025-Q4 为
  {nanxun_final}/{DIGITAL["nanxun"]},全市 {city_final}/360;postal "4.2" 仍为
  `in_progress`。Digital stations fall short at the plan's end.
"""


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def build() -> dict[str, str]:
    """Relative path (under examples/demo/) -> file content."""
    values = unit_values()
    registers = {u: build_register(u, values) for u in REGION_CODE}
    for unit, items in registers.items():
        for period in PERIODS:
            assert (
                open_on(items, as_of_for(unit, period))
                == values[unit, period.id]["village-service-points"]
            ), (unit, period.id)
    evidence = Evidence()
    files: dict[str, str] = {"tracker.yaml": tracker_yaml()}

    for ui, unit in enumerate(REPORTING_UNITS):
        for pi, period in enumerate(PERIODS):
            if (unit, period.id) in MISSING:
                continue
            doc = unit_filing(unit, ui, pi, period, values, registers, evidence)
            files[f"submissions/{unit}/{period.id}.yaml"] = render(doc)
    for unit, items in registers.items():
        files[f"submissions/{unit}/registers/village-service-points.yaml"] = render(
            register_doc(unit, items),
            ["台账条目(编码、名称、日期)均为虚构 / register items are invented"],
        )

    for di, (unit, (first, every, _)) in enumerate(DEPARTMENTS.items()):
        start = next(i for i, p in enumerate(PERIODS) if p.id == first)
        for pi in range(start, len(PERIODS), every):
            doc = dept_filing(unit, di, pi, PERIODS[pi], values, evidence)
            files[f"submissions/{unit}/{PERIODS[pi].id}.yaml"] = render(doc)

    for task, decisions in REVIEWS.items():
        files[f"reviews/{task}.yaml"] = review_doc(task, decisions)

    files.update(evidence.files)
    files["README.md"] = readme(values, registers)
    return files


def main() -> int:
    files = build()
    for managed in ("submissions", "evidence", "reviews"):
        shutil.rmtree(DEMO / managed, ignore_errors=True)
    for rel, content in sorted(files.items()):
        path = DEMO / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="\n")
    print(f"wrote {len(files)} files under {DEMO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
