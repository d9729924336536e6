"""Chinese labels and traffic-light colours for the site.

Status codes, their Chinese names and their 红黄绿 lights are the status engine's
(`tracker.status.LABELS` / `LIGHTS`): one table for the CLI, the workbook and the site.
Only the site's own words (unit kinds, cadences, light names) live here.
"""

from __future__ import annotations

from tracker.status import LABELS, LIGHTS

GREEN, YELLOW, RED, GREY, BLUE = "green", "yellow", "red", "grey", "blue"
LIGHT_ZH = {GREEN: "绿灯", YELLOW: "黄灯", RED: "红灯", GREY: "灰色", BLUE: "蓝灯"}
LIGHT_ORDER = (GREEN, YELLOW, RED, GREY)

TARGET = {code: (text, LIGHTS["target"][code]) for code, text in LABELS["zh"]["target"].items()}
TASK = {code: (text, LIGHTS["task"][code]) for code, text in LABELS["zh"]["task"].items()}
FILING = {code: (text, LIGHTS["filing"][code]) for code, text in LABELS["zh"]["filing"].items()}
PROGRESS = dict(LABELS["zh"]["progress"])
KIND = {"department": "市级部门", "district": "区县", "zone": "功能区"}
CADENCE = {"quarterly": "每季度", "monthly": "每月", "annual": "每年"}

TABLES = {"target": TARGET, "task": TASK, "filing": FILING}


def status(kind: str, code: str | None) -> tuple[str, str]:
    """(Chinese label, light) of a status code; None and unknown codes are grey."""
    if code is None:
        return ("—", GREY)
    return TABLES[kind].get(code, (code, GREY))
