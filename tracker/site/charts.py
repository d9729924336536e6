"""Static inline SVG charts, drawn in Python at build time.

No JavaScript, no external fonts: labels are `<text>` elements, so Chinese renders with the
reader's own fonts, the chart prints, and search engines and screen readers see the words.
Output is deterministic (fixed number formatting, no ids, no timestamps): two builds of the same
data give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, date

from tracker.site.escape import escape, one_line

WIDTH = 680
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 34, 40

COLOR_EXPECTED = "#8a8a8a"
COLOR_ACTUAL = "#1565c0"
COLOR_MILESTONE = "#e65100"
COLOR_ASOF = "#6a1b9a"


@dataclass(frozen=True)
class Series:
    points: tuple[tuple[date, float], ...]


def _num(x: float) -> str:
    """Fixed formatting: integers without decimals, else one decimal."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.1f}"


def _c(x: float) -> str:
    return f"{x:.1f}"


def nice_max(value: float) -> float:
    """A round upper bound for the y axis (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp  # pragma: no cover


def progress_chart(
    *,
    title: str,
    unit_label: str,
    expected: Sequence[tuple[date, float]],
    actual: Sequence[tuple[date, float]],
    as_of: date,
    start: date,
    end: date,
) -> str:
    """City actual (line with dots) against the expected straight line and its milestones.

    `expected` is the baseline followed by the milestones: the straight lines between them are
    exactly the SPEC's expected curve. After the last milestone the expected value is the goal,
    drawn flat to the end of the axis.
    """
    x0 = min([start, *(d for d, _ in expected), *(d for d, _ in actual)])
    x1 = max([end, as_of, *(d for d, _ in expected), *(d for d, _ in actual)])
    span = max((x1 - x0).days, 1)
    top_value = max([1.0, *(v for _, v in expected), *(v for _, v in actual)])
    y_max = nice_max(top_value * 1.05)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def px(d: date) -> float:
        return LEFT + plot_w * (d - x0).days / span

    def py(v: float) -> float:
        return TOP + plot_h * (1 - v / y_max)

    out: list[str] = []
    add = out.append
    # One line: a line break from the plan's text must not reach the page source (a blank
    # line would end the raw HTML block the chart sits in).
    label = one_line(f"{title}:实际值与预期进度")
    unit_label = one_line(unit_label)
    add(
        f'<svg class="tk-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(label)}" font-size="12">'
    )
    add(f"<title>{escape(label)}</title>")
    # Grid and y axis labels.
    for i in range(5):
        v = y_max * i / 4
        y = py(v)
        add(f'<line x1="{LEFT}" y1="{_c(y)}" x2="{WIDTH - RIGHT}" y2="{_c(y)}" stroke="#e0e0e0"/>')
        add(f'<text x="{LEFT - 6}" y="{_c(y + 4)}" text-anchor="end" fill="#555">{_num(v)}</text>')
    add(
        f'<text x="{LEFT - 6}" y="{TOP - 14}" text-anchor="end" fill="#555">'
        f"{escape(unit_label)}</text>"
    )
    # Year ticks on the x axis (at most ~20 of them; the calendar ends with 9999).
    step = max(1, (x1.year - x0.year) // 20)
    for year in range(x0.year, min(x1.year + 1, MAXYEAR) + 1, step):
        d = date(year, 1, 1)
        if x0 <= d <= x1:
            x = px(d)
            add(f'<line x1="{_c(x)}" y1="{TOP}" x2="{_c(x)}" y2="{HEIGHT - BOTTOM}" stroke="#eeeeee"/>')
            add(
                f'<text x="{_c(x)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#555">'
                f"{year}年</text>"
            )
    add(
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="#9e9e9e"/>'
    )
    # Expected line: baseline → milestones, then flat at the goal.
    exp_pts = list(expected)
    if exp_pts and exp_pts[-1][0] < x1:
        exp_pts.append((x1, exp_pts[-1][1]))
    if exp_pts:
        path = " ".join(f"{_c(px(d))},{_c(py(v))}" for d, v in exp_pts)
        add(
            f'<polyline points="{path}" fill="none" stroke="{COLOR_EXPECTED}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    # Milestones.
    for d, v in expected[1:]:
        x, y = px(d), py(v)
        add(
            f'<path d="M{_c(x)},{_c(y - 6)} L{_c(x + 6)},{_c(y)} L{_c(x)},{_c(y + 6)} '
            f'L{_c(x - 6)},{_c(y)} Z" fill="{COLOR_MILESTONE}">'
            f"<title>节点 {d.isoformat()}:{_num(v)}</title></path>"
        )
        add(
            f'<text x="{_c(x)}" y="{_c(y - 10)}" text-anchor="middle" fill="{COLOR_MILESTONE}">'
            f"{_num(v)}</text>"
        )
    # As-of marker.
    xa = px(as_of)
    add(
        f'<line x1="{_c(xa)}" y1="{TOP}" x2="{_c(xa)}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{COLOR_ASOF}" stroke-dasharray="2 3"/>'
    )
    add(
        f'<text x="{_c(min(xa, WIDTH - RIGHT - 40))}" y="{TOP - 4}" text-anchor="middle" '
        f'fill="{COLOR_ASOF}">截至 {as_of.isoformat()}</text>'
    )
    # Actual values.
    if actual:
        path = " ".join(f"{_c(px(d))},{_c(py(v))}" for d, v in actual)
        add(f'<polyline points="{path}" fill="none" stroke="{COLOR_ACTUAL}" stroke-width="2.5"/>')
        for d, v in actual:
            add(
                f'<circle cx="{_c(px(d))}" cy="{_c(py(v))}" r="3" fill="{COLOR_ACTUAL}">'
                f"<title>{d.isoformat()}:{_num(v)}</title></circle>"
            )
    # Legend.
    lx = LEFT + 8
    ly = HEIGHT - 8
    add(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{COLOR_ACTUAL}" stroke-width="2.5"/>')
    add(f'<text x="{lx + 28}" y="{ly}" fill="#333">全市实际</text>')
    lx += 100
    add(
        f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{COLOR_EXPECTED}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
    )
    add(f'<text x="{lx + 28}" y="{ly}" fill="#333">预期进度(直线)</text>')
    lx += 130
    add(
        f'<path d="M{lx + 11},{ly - 10} L{lx + 17},{ly - 4} L{lx + 11},{ly + 2} L{lx + 5},{ly - 4} Z" '
        f'fill="{COLOR_MILESTONE}"/>'
    )
    add(f'<text x="{lx + 28}" y="{ly}" fill="#333">目标节点</text>')
    add("</svg>")
    return "".join(out)


# --- small multiples: one small chart per unit ---------------------------------------------

PANEL_W, PANEL_H = 200, 90
P_LEFT, P_RIGHT, P_TOP, P_BOTTOM = 4, 4, 6, 6
LIGHT_COLOURS = {"green": "#2e7d32", "yellow": "#c79100", "red": "#c62828", "grey": "#757575",
                 "blue": "#1565c0"}


def unit_expected(points: Sequence[tuple[date, float]], unit_goal: float | None,
                  city_goal: float) -> list[tuple[date, float]]:
    """A unit's expected curve: the city's points scaled by unit goal ÷ city goal (SPEC)."""
    if unit_goal is None:
        return []
    if not city_goal:
        return [(d, 0.0) for d, _ in points]
    return [(d, v * unit_goal / city_goal) for d, v in points]


def panel(
    *,
    label: str,
    expected: Sequence[tuple[date, float]],
    actual: Sequence[tuple[date, float]],
    goal: float | None,
    as_of: date,
    start: date,
    end: date,
    light: str = "grey",
) -> str:
    """A small chart (small multiples): one scope's actual against its own expected curve.

    The y axis runs from 0 to the scope's own goal (or its highest actual, if higher), so every
    panel's expected line has the same shape and the eye compares only the actual lines, with
    six units or ninety. The actual line takes the colour of the scope's light at D. No axis
    text (the figures are written beside the panel in HTML); `label` is the accessible name.
    """
    x0 = min([start, *(d for d, _ in expected), *(d for d, _ in actual)])
    x1 = max([end, as_of, *(d for d, _ in expected), *(d for d, _ in actual)])
    span = max((x1 - x0).days, 1)
    top = max([1.0, goal or 0.0, *(v for _, v in actual)]) * 1.08
    w = PANEL_W - P_LEFT - P_RIGHT
    h = PANEL_H - P_TOP - P_BOTTOM

    def px(d: date) -> str:
        return _c(P_LEFT + w * (d - x0).days / span)

    def py(v: float) -> str:
        return _c(P_TOP + h * (1 - v / top))

    colour = LIGHT_COLOURS.get(light, LIGHT_COLOURS["grey"])
    label = one_line(label)
    out = [
        f'<svg class="tk-panel" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {PANEL_W} '
        f'{PANEL_H}" width="100%" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<rect x="{P_LEFT}" y="{P_TOP}" width="{w}" height="{h}" fill="none" stroke="#e0e0e0"/>',
    ]
    if goal is not None:
        out.append(f'<line x1="{P_LEFT}" y1="{py(goal)}" x2="{PANEL_W - P_RIGHT}" y2="{py(goal)}" '
                   f'stroke="#bdbdbd" stroke-dasharray="1 2"/>')
    exp = list(expected)
    if exp and exp[-1][0] < x1:
        exp.append((x1, exp[-1][1]))
    if exp:
        pts = " ".join(f"{px(d)},{py(v)}" for d, v in exp)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{COLOR_EXPECTED}" '
                   f'stroke-width="1.5" stroke-dasharray="4 3"/>')
    out.append(f'<line x1="{px(as_of)}" y1="{P_TOP}" x2="{px(as_of)}" y2="{PANEL_H - P_BOTTOM}" '
               f'stroke="{COLOR_ASOF}" stroke-dasharray="2 2"/>')
    if actual:
        pts = " ".join(f"{px(d)},{py(v)}" for d, v in actual)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.2"/>')
        d, v = actual[-1]
        out.append(f'<circle cx="{px(d)}" cy="{py(v)}" r="2.5" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)
