#!/usr/bin/env python3
"""Generate a synthetic, province-scale `tracker` repository for benchmarks.

    python benchmarks/generate_province.py OUT_DIR [--units 90] [--villages 20000] [--seed 1]

The result is a complete repository in the layout of SPEC.md (plan/, submissions/, registers)
with every reporting unit filing every quarter of 2022-Q1..2025-Q4. Everything is synthetic and
every file says so on its first line. The same arguments always give byte-identical files (and,
with --git, the same commit id), so timings from different machines compare like with like.

Files are written with plain string formatting rather than yaml.dump: the generator is then
fast enough to run before every benchmark, and the output looks like hand-edited YAML (flow
mappings for evidence, quoted task ids and codes, unquoted dates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

LABEL = "# 合成基准数据 synthetic benchmark data — not real\n"

PLAN_START = dt.date(2022, 1, 1)
PLAN_END = dt.date(2025, 12, 31)
YEARS = range(2022, 2026)

# Fixed identity and date for the one commit, so the commit id is reproducible.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Synthetic Benchmark",
    "GIT_AUTHOR_EMAIL": "plan-office@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-15T09:00:00+08:00",
    "GIT_COMMITTER_NAME": "Synthetic Benchmark",
    "GIT_COMMITTER_EMAIL": "plan-office@example.invalid",
    "GIT_COMMITTER_DATE": "2026-01-15T09:00:00+08:00",
}

DEPARTMENTS = [
    ("postal", "省邮政管理局（合成）"),
    ("transport", "省交通运输厅（合成）"),
    ("agriculture", "省农业农村厅（合成）"),
    ("commerce", "省商务厅（合成）"),
    ("development-reform", "省发展改革委（合成）"),
    ("supply-marketing", "省供销社（合成）"),
]

# Syllables for synthetic place names (no real place is meant).
SYLLABLES = (
    "东西南北新安和平山水桥湖溪岭塘港青石竹林花桂兴隆丰乐富康长宁清泉云峰金沙白马龙凤"
    "梅兰松柏荷杨柳枫樟桑柴禾稻麦田园塘坝洲渚滨湾岗坞坪畈垄埠"
)

# Task list: (id, section, title, units, due). "ALL" is the all-units group.
TASKS = [
    ("1.1", "完善寄递物流基础设施建设", "强化寄递物流产业发展规划",
     ["development-reform", "postal", "transport", "all-units"], None),
    ("1.2", "完善寄递物流基础设施建设", "健全村级寄递物流末端服务网络",
     ["postal", "agriculture", "commerce", "all-units"], dt.date(2023, 12, 31)),
    ("1.3", "完善寄递物流基础设施建设", "建设乡镇寄递物流公共转运中心",
     ["postal", "transport", "all-units"], dt.date(2024, 12, 31)),
    ("1.4", "完善寄递物流基础设施建设", "推进住宅小区快递末端驿站建设",
     ["postal", "commerce", "all-units"], dt.date(2024, 12, 31)),
    ("2.1", "推进寄递物流资源整合", "推动邮快合作与快快合作",
     ["postal", "all-units"], None),
    ("2.2", "推进寄递物流资源整合", "推动交邮融合发展",
     ["transport", "postal", "all-units"], None),
    ("2.3", "推进寄递物流资源整合", "推进供销与寄递物流协同发展",
     ["supply-marketing", "postal", "commerce"], None),
    ("3.1", "提升寄递物流服务能力", "建设区县级寄递物流分拣处理中心",
     ["postal", "development-reform", "all-units"], None),
    ("3.2", "提升寄递物流服务能力", "培育现代化寄递物流骨干企业",
     ["postal", "commerce", "all-units"], None),
    ("3.3", "提升寄递物流服务能力", "建设村级数字化综合服务站",
     ["agriculture", "postal", "supply-marketing", "all-units"], None),
    ("4.1", "强化寄递物流服务农业农村", "服务农产品出村进城",
     ["agriculture", "commerce", "postal", "all-units"], None),
    ("4.2", "强化寄递物流服务农业农村", "开展快递服务现代农业示范项目",
     ["postal", "agriculture"], dt.date(2024, 12, 31)),
    ("S.1", "工作保障", "加强组织领导", ["development-reform", "all-units"], None),
    ("S.2", "工作保障", "强化要素保障与监督考核",
     ["development-reform", "postal", "transport", "agriculture", "commerce"], None),
]


@dataclass
class Unit:
    id: str
    short: str
    region_code: str
    villages: int
    townships: int
    # goal for each target id (only per-unit targets) and the 16 quarterly values of each target
    goals: dict[str, int] = field(default_factory=dict)
    values: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Period:
    id: str        # 2024-Q2
    start: dt.date
    end: dt.date   # = as_of of its filings


def quarters() -> list[Period]:
    out = []
    for year in YEARS:
        for q in range(1, 5):
            start = dt.date(year, 3 * q - 2, 1)
            next_start = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
            end = next_start - dt.timedelta(days=1)
            out.append(Period(f"{year}-Q{q}", start, end))
    return out


def place_name(rng: random.Random) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES)


def split_total(total: int, parts: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """Split `total` into `parts` positive integers with a realistic spread, summing exactly."""
    if total < parts * minimum:
        raise SystemExit(f"cannot split {total} into {parts} parts of at least {minimum}")
    weights = [rng.lognormvariate(0, 0.45) for _ in range(parts)]
    spare = total - parts * minimum
    scale = spare / sum(weights)
    shares = [minimum + int(w * scale) for w in weights]
    # hand the rounding remainder out one by one, largest weights first
    remainder = total - sum(shares)
    for i in sorted(range(parts), key=lambda i: -weights[i])[:remainder]:
        shares[i] += 1
    return shares


def ramp(goal: int, n: int, start_q: float, end_q: float, completion: float,
         rng: random.Random) -> list[int]:
    """Cumulative, non-decreasing quarterly values rising from 0 towards completion × goal."""
    values, last = [], 0
    for q in range(1, n + 1):
        frac = min(1.0, max(0.0, (q - start_q) / max(0.5, end_q - start_q)))
        frac = frac * completion * rng.uniform(0.9, 1.05)
        v = min(int(round(goal * min(frac, completion))), goal)
        last = max(last, v)
        values.append(last)
    return values


# ---------------------------------------------------------------------------------------------
# The plan


def make_units(n_units: int, n_villages: int, rng: random.Random) -> list[Unit]:
    if n_units < 1 or n_units > 1980 * 20:
        raise SystemExit("--units must be between 1 and 39600 (1980 region codes per province "
                         "prefix, 20 prefixes from 33)")
    village_counts = split_total(n_villages, n_units, rng)
    width = max(3, len(str(n_units)))
    units = []
    for i, villages in enumerate(village_counts, start=1):
        # 1,980 units per two-digit province prefix (33, 34, …: a national-scale repository
        # spans several); up to 1,980 units the codes are those of earlier versions.
        province, j = 33 + (i - 1) // 1980, (i - 1) % 1980
        city, county = j // 20 + 1, j % 20 * 2 + 2
        townships = max(1, round(villages / rng.uniform(10, 20)))
        if villages / townships > 790:
            townships = -(-villages // 790)
        if townships > 899:
            raise SystemExit("too many villages per unit for 3-digit township codes")
        num = f"{i:0{width}d}"
        region_code = f"{province}{city:02d}{county:02d}"
        units.append(Unit(f"u{num}", f"第{num}县", region_code, villages, townships))
    return units


def units_yaml(units: list[Unit]) -> str:
    out = [LABEL, "units:\n"]
    for dep_id, dep_name in DEPARTMENTS:
        out.append(
            f"  - id: {dep_id}\n    name: {dep_name}\n    kind: department\n"
            f"    editors: [{dep_id}-editor@example.invalid]\n"
        )
    for u in units:
        out.append(
            f"  - id: {u.id}\n"
            f"    name: {u.short}人民政府\n"
            f"    short: {u.short}\n"
            f"    kind: district\n"
            f'    region_code: "{u.region_code}"\n'
            f"    counts: {{villages: {u.villages}, townships: {u.townships}}}\n"
            f"    editors: [{u.id}-editor@example.invalid]\n"
        )
    out.append("groups:\n")
    out.append("  - id: all-units\n    name: 各县（市、区）人民政府\n    members:\n")
    out.extend(f"      - {u.id}\n" for u in units)
    out.append("  - id: departments\n    name: 省级各部门\n")
    out.append(f"    members: [{', '.join(d for d, _ in DEPARTMENTS)}]\n")
    out.append("maintainers: [plan-office@example.invalid]\n")
    return "".join(out)


def task_text(rng: random.Random, title: str) -> str:
    parts = [
        f"围绕{title}，各地各部门要加强统筹协调，",
        "聚焦补齐农村寄递物流基础设施短板，",
        "推动资源整合与共建共享，",
        "健全县、乡、村三级寄递物流服务体系，",
        "完善运营维护和管理服务人员配备，",
        "强化政策支持和要素保障，",
        "到规划期末形成覆盖城乡、便捷高效的寄递物流服务网络。",
    ]
    body = parts[:1] + rng.sample(parts[1:-1], 3) + parts[-1:]
    return "".join(body)


def tasks_yaml(rng: random.Random) -> str:
    out = [
        LABEL,
        "plan:\n",
        "  id: synthetic-province-2022-2025\n",
        "  title: 合成基准省关于推进城乡寄递物流体系建设实施方案(2022—2025年)\n",
        "  basis: 合成基准数据，非真实文件\n",
        f"  start: {PLAN_START}\n",
        f"  end: {PLAN_END}\n",
        "tasks:\n",
    ]
    for tid, section, title, units, due in TASKS:
        out.append(
            f'  - id: "{tid}"\n'
            f"    section: {section}\n"
            f"    title: {title}\n"
            f"    text: {task_text(rng, title)}\n"
            f"    units: [{', '.join(units)}]\n"
        )
        if due:
            out.append(f"    due: {due}\n")
    return "".join(out)


# Target ids, in file order. Values per unit are filled in by make_values().
VSP = "village-service-points"
TARGETS = [
    "parcel-coverage",
    VSP,
    "transfer-centres",
    "residential-stations",
    "digital-stations",
    "county-sorting-centres",
    "backbone-enterprises",
]
INDEX_COMPONENTS = [
    (VSP, 0.3),
    ("transfer-centres", 0.2),
    ("digital-stations", 0.2),
    ("county-sorting-centres", 0.15),
    ("backbone-enterprises", 0.15),
]


def make_values(units: list[Unit], n_q: int, rng: random.Random) -> dict[str, int]:
    """Fill each unit's per-target goals and quarterly values; return the city goals."""
    for u in units:
        pace = rng.random()   # a unit's overall diligence: ~15 % lag visibly
        laggard = pace < 0.15
        # parcel coverage: city target only, due 2022-12-31
        u.values["parcel-coverage"] = ramp(
            u.villages, n_q, 0, rng.uniform(3, 6) if not laggard else rng.uniform(6, 12),
            1.0, rng)
        # village service points: per unit from villages, due 2023-12-31
        done = 1.0 if not laggard else rng.uniform(0.80, 0.97)
        u.goals[VSP] = u.villages
        u.values[VSP] = ramp(u.villages, n_q, rng.uniform(0, 1.5),
                             rng.uniform(7, 8) if not laggard else rng.uniform(9, 14), done, rng)
        # transfer centres: per unit from townships, due 2024-12-31
        u.goals["transfer-centres"] = u.townships
        u.values["transfer-centres"] = ramp(
            u.townships, n_q, rng.uniform(1, 4), rng.uniform(10, 12) if not laggard else 16,
            1.0 if not laggard else rng.uniform(0.6, 0.9), rng)
        # residential stations: city target only
        own = max(1, round(u.villages * rng.uniform(0.3, 0.7)))
        u.values["residential-stations"] = ramp(own, n_q, 0, rng.uniform(8, 13), 1.0, rng)
        # digital stations: per unit allocations, due 2025-12-31
        alloc = max(1, round(u.villages * rng.uniform(0.25, 0.5)))
        u.goals["digital-stations"] = alloc
        u.values["digital-stations"] = ramp(
            alloc, n_q, rng.uniform(2, 6), rng.uniform(14, 16) if not laggard else 20,
            1.0 if rng.random() < 0.8 else rng.uniform(0.7, 0.95), rng)
        # county sorting centres: min 1 per unit (a few build a second)
        u.goals["county-sorting-centres"] = 1
        built = rng.randint(2, 14) if not laggard or rng.random() < 0.5 else n_q + 1
        extra = rng.randint(built + 1, n_q + 4) if rng.random() < 0.2 else n_q + 1
        u.values["county-sorting-centres"] = [
            (q >= built) + (q >= extra) for q in range(1, n_q + 1)]
        # backbone enterprises: min 2 per unit
        u.goals["backbone-enterprises"] = 2
        firsts = sorted(rng.randint(1, n_q + 3) for _ in range(3))
        u.values["backbone-enterprises"] = [
            sum(q >= f for f in firsts) for q in range(1, n_q + 1)]
    return {
        "parcel-coverage": sum(u.villages for u in units),
        VSP: sum(u.villages for u in units),
        "transfer-centres": sum(u.townships for u in units),
        "residential-stations": round(sum(u.villages for u in units) * 0.5),
        "digital-stations": sum(u.goals["digital-stations"] for u in units),
        "county-sorting-centres": len(units),
        "backbone-enterprises": 2 * len(units),
    }


def targets_yaml(units: list[Unit], city: dict[str, int]) -> str:
    vsp_total = city[VSP]
    out = [
        LABEL,
        "reporting:\n",
        "  cadence: quarterly\n",
        "  due_days: 10\n",
        "  required: [all-units]\n",
        "thresholds:\n",
        "  lagging: 0.8\n",
        "targets:\n",
        "  - id: parcel-coverage\n"
        "    title: 快递服务覆盖的建制村\n"
        '    task: "1.2"\n'
        "    unit_label: 个\n"
        "    milestones:\n"
        f"      - {{by: 2022-12-31, value: {city['parcel-coverage']}}}\n",
        f"  - id: {VSP}\n"
        "    title: 村级寄递物流末端服务点(配备管理服务人员)\n"
        '    task: "1.2"\n'
        "    unit_label: 个\n"
        f"    baseline: {{date: {PLAN_START}, value: 0}}\n"
        "    milestones:\n"
        f"      - {{by: 2022-12-31, value: {round(vsp_total * 0.4)}}}\n"
        f"      - {{by: 2023-06-30, value: {round(vsp_total * 0.7)}}}\n"
        f"      - {{by: 2023-12-31, value: {vsp_total}}}\n"
        "    reported_by: [all-units]\n"
        "    per_unit: {from: villages}\n",
        "  - id: transfer-centres\n"
        "    title: 建成寄递物流公共转运中心的乡镇\n"
        '    task: "1.3"\n'
        "    unit_label: 个\n"
        "    milestones:\n"
        f"      - {{by: 2023-12-31, value: {round(city['transfer-centres'] * 0.5)}}}\n"
        f"      - {{by: 2024-12-31, value: {city['transfer-centres']}}}\n"
        "    per_unit: {from: townships}\n",
        "  - id: residential-stations\n"
        "    title: 住宅小区快递末端驿站\n"
        '    task: "1.4"\n'
        "    unit_label: 个\n"
        "    milestones:\n"
        f"      - {{by: 2024-12-31, value: {city['residential-stations']}}}\n",
        "  - id: digital-stations\n"
        "    title: 村级数字化综合服务站(共富驿站)\n"
        '    task: "3.3"\n'
        "    unit_label: 个\n"
        "    milestones:\n"
        f"      - {{by: 2024-12-31, value: {round(city['digital-stations'] * 0.6)}}}\n"
        f"      - {{by: 2025-12-31, value: {city['digital-stations']}}}\n"
        "    per_unit:\n"
        "      allocations:\n",
    ]
    out.extend(f"        {u.id}: {u.goals['digital-stations']}\n" for u in units)
    out.append(
        "  - id: county-sorting-centres\n"
        "    title: 区县级寄递物流分拣处理中心\n"
        '    task: "3.1"\n'
        "    unit_label: 个\n"
        "    milestones:\n"
        f"      - {{by: {PLAN_END}, value: {city['county-sorting-centres']}}}\n"
        "    per_unit: {min: 1}\n"
        "  - id: backbone-enterprises\n"
        "    title: 现代化寄递物流骨干企业\n"
        '    task: "3.2"\n'
        "    unit_label: 家\n"
        "    milestones:\n"
        f"      - {{by: {PLAN_END}, value: {city['backbone-enterprises']}}}\n"
        "    per_unit: {min: 2}\n"
        "index:\n"
        "  id: kuaidi-huocun\n"
        "  title: 快递活村指数（合成）\n"
        "  components:\n"
    )
    out.extend(f"    - {{target: {t}, weight: {w}}}\n" for t, w in INDEX_COMPONENTS)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Filings

NOTES = [
    "本季度数据经县级主管部门审核确认。",
    "数据含本季度新建及改造提升点位。",
    "部分点位正在验收，验收后下季度计入。",
    "已完成季度核查，数据与台账一致。",
]
SUMMARIES = {
    "not_started": ["已开展前期调研，方案正在起草。", "已纳入年度工作计划，尚未启动实施。"],
    "in_progress": [
        "本季度按计划推进，已召开专题协调会，落实责任分工。",
        "已完成阶段性建设任务，正在组织验收。",
        "推进顺利，相关资金已下达，项目按节点实施。",
        "已完成摸底排查，正在分批推进建设。",
    ],
    "done": ["任务已全部完成，已通过验收并报请销号。", "已按期完成，相关佐证材料已归档。"],
}
PROBLEMS = ["部分偏远村点位运营成本较高，可持续运营存在压力。", "管理服务人员流动性较大。"]
NEXT_STEPS = ["下季度将加强督导，推动剩余点位建设。", "继续完善运营维护长效机制。"]


def filing_yaml(u: Unit, qi: int, p: Period, unit_tasks: list[tuple[str, int, int]],
                rng: random.Random) -> str:
    # most filings come in within the 10 due days; about 5 % are late
    delay = rng.randint(1, 9) if rng.random() > 0.05 else rng.randint(11, 25)
    out = [
        LABEL,
        f"unit: {u.id}\n",
        f"period: {p.id}\n",
        f"as_of: {p.end}\n",
        f"reported_on: {p.end + dt.timedelta(days=delay)}\n",
        "revision: 1\n",
        "targets:\n",
    ]
    for t in TARGETS:
        out.append(f"  {t}:\n    value: {u.values[t][qi]}\n")
        if rng.random() < 0.15:
            out.append(f"    note: {rng.choice(NOTES)}\n")
            if rng.random() < 0.5:
                out.append(
                    "    evidence:\n"
                    f'      - {{title: 新闻报道, url: "https://news.example.invalid/{u.id}/{p.id}/{t}.html"}}\n'
                )
    out.append("tasks:\n")
    for tid, started, finished in unit_tasks:
        q = qi + 1
        progress = "done" if q >= finished else "in_progress" if q >= started else "not_started"
        out.append(f'  "{tid}":\n    progress: {progress}\n'
                   f"    summary: {rng.choice(SUMMARIES[progress])}\n")
        if progress == "in_progress" and rng.random() < 0.2:
            out.append(f"    problems: {rng.choice(PROBLEMS)}\n"
                       f"    next_steps: {rng.choice(NEXT_STEPS)}\n")
        if progress == "done":
            out.append(
                "    evidence:\n"
                f'      - {{title: 验收材料, url: "https://gov.example.invalid/{u.id}/{tid}/acceptance.html"}}\n'
            )
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Registers


def register_yaml(u: Unit, periods: list[Period], rng: random.Random) -> str:
    """All of a unit's villages, with opened/closed dates so that the number of items open on
    each quarter's end equals that quarter's filed value.

    Every opened and closed date falls strictly inside a quarter (never on a quarter end), so
    the count does not depend on whether an item opened or closed *on* as_of counts as open.
    Items beyond the final value are points that were opened and closed again: some within one
    quarter (never seen at a quarter end), some open across exactly one quarter end.
    """
    values = u.values[VSP]
    n_items = u.villages
    n_q = len(periods)
    spare = n_items - values[-1]           # items that must be closed by the end
    # temp[q]: items open across the end of quarter q and closed during quarter q+1
    temp, perm_prev = [0] * n_q, 0
    for q in range(n_q - 1):
        want = rng.randint(0, 2) if rng.random() < 0.3 else 0
        temp[q] = min(want, spare - sum(temp), values[q] - perm_prev)
        perm_prev = values[q] - temp[q]
    perm = [values[q] - temp[q] for q in range(n_q)]

    def inside(p: Period) -> dt.date:
        # a day of the quarter other than its last
        return p.start + dt.timedelta(days=rng.randrange((p.end - p.start).days))

    events: list[tuple[dt.date, dt.date | None]] = []
    prev = 0
    for q, p in enumerate(periods):
        events.extend((inside(p), None) for _ in range(perm[q] - prev))
        prev = perm[q]
        for _ in range(temp[q]):
            events.append((inside(p), inside(periods[q + 1])))
    for _ in range(spare - sum(temp)):
        p = periods[rng.randrange(n_q)]
        a, b = sorted(rng.sample(range((p.end - p.start).days), 2))
        events.append((p.start + dt.timedelta(days=a), p.start + dt.timedelta(days=b)))
    assert len(events) == n_items, (u.id, len(events), n_items)
    rng.shuffle(events)

    # codes: region_code + 3-digit township (101..) + 3-digit village (201..)
    per_town = split_total(n_items, u.townships, rng)
    out = [LABEL, f"unit: {u.id}\n", f"target: {VSP}\n", "items:\n"]
    k = 0
    for t, n_v in enumerate(per_town, start=101):
        town = place_name(rng) + rng.choice("镇乡")
        for v in range(201, 201 + n_v):
            opened, closed = events[k]
            k += 1
            out.append(
                f'  - code: "{u.region_code}{t:03d}{v:03d}"\n'
                f"    name: {town}{place_name(rng)}村寄递物流服务点\n"
                f"    opened: {opened}\n"
            )
            if closed is not None:
                out.append(f"    closed: {closed}\n")
    return "".join(out)


# ---------------------------------------------------------------------------------------------


def looks_generated(out: Path) -> bool:
    marker = out / "tracker.yaml"
    try:
        return marker.read_text(encoding="utf-8").startswith(LABEL)
    except OSError:
        return False


def generate(out: Path, n_units: int = 90, n_villages: int = 20000, seed: int = 1,
             git: bool = True, force: bool = False) -> dict[str, float]:
    """Write the repository into `out`; return {'files': n, 'bytes': n, 'seconds': t}."""
    t0 = time.perf_counter()
    if out.exists() and any(out.iterdir()):
        if not (force and looks_generated(out)):
            raise SystemExit(
                f"{out} is not empty (--force replaces it, but only if it is a generated repo)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)

    rng = random.Random(seed)
    periods = quarters()
    units = make_units(n_units, n_villages, rng)
    city = make_values(units, len(periods), rng)

    files: dict[str, str] = {
        "tracker.yaml": LABEL + "demo: true\ntitle: 合成基准省寄递物流体系建设进展（合成数据）\n",
        ".gitignore": "site/\n",
        "plan/units.yaml": units_yaml(units),
        "plan/tasks.yaml": tasks_yaml(rng),
        "plan/targets.yaml": targets_yaml(units, city),
    }
    district_tasks = [t[0] for t in TASKS if "all-units" in t[3]]
    for u in units:
        unit_tasks = []
        for tid in district_tasks:
            started = rng.randint(1, 6)
            finished = rng.randint(8, 24)   # > 16: still in progress at the end
            unit_tasks.append((tid, started, finished))
        for qi, p in enumerate(periods):
            files[f"submissions/{u.id}/{p.id}.yaml"] = filing_yaml(u, qi, p, unit_tasks, rng)
        files[f"submissions/{u.id}/registers/{VSP}.yaml"] = register_yaml(u, periods, rng)

    n_bytes = 0
    for rel, text in files.items():
        data = text.encode("utf-8")
        n_bytes += len(data)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    if git:
        env = {**os.environ, **GIT_ENV}
        message = (f"Synthetic province benchmark data (units={n_units}, "
                   f"villages={n_villages}, seed={seed})")
        for cmd in (["-c", "init.defaultBranch=main", "init", "-q"],
                    ["add", "-A"],
                    ["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
                     "commit", "-q", "-m", message]):
            subprocess.run(["git", *cmd], cwd=out, env=env, check=True)
    return {"files": len(files), "bytes": n_bytes, "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path, help="folder to create the repository in")
    ap.add_argument("--units", type=int, default=90, help="reporting units (default 90)")
    ap.add_argument("--villages", type=int, default=20000,
                    help="villages over all units = register items (default 20000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--git", action=argparse.BooleanOptionalAction, default=True,
                    help="make it a git repository with one commit (default: on)")
    ap.add_argument("--force", action="store_true",
                    help="replace OUT_DIR if it holds a previously generated repository")
    args = ap.parse_args(argv)
    if args.villages < args.units:
        ap.error("--villages must be at least --units (every unit has a village)")
    stats = generate(args.out_dir, args.units, args.villages, args.seed, args.git, args.force)
    print(f"wrote {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB "
          f"to {args.out_dir} in {stats['seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
