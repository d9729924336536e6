"""Spreadsheet cells that hold text stay text (no formula injection).

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and some
run `\\t`/`\\r`-led cells too); a title in the plan or a note in a filing can start that way.

* CSV (`csv_text`): such a value is written behind a single quote, the marker Excel and WPS
  read as "this is text" (OWASP's advice for CSV injection); the quote is visible, nothing runs.
* XLSX (`keep_text`): openpyxl stores a string that starts with `=` as a formula; the cell is
  turned back into a string cell and given Excel's quote prefix, so the exact text is shown and
  stays text even when someone edits the cell. `tracker import` reads it back unchanged.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What an XLSX cell cannot hold: C0 controls other than tab, LF and CR (openpyxl raises
# IllegalCharacterError) and U+FFFE, U+FFFF (not XML characters: lxml refuses them while the
# workbook is saved). A filing can contain them through YAML escapes ("\0", "\e", "\uffff").
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_value(value: Any) -> Any:
    """A value a workbook cell can hold: text without the control characters XLSX forbids."""
    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def cell_values(values: list[Any]) -> list[Any]:
    return [cell_value(v) for v in values]


def csv_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def keep_text(workbook: Any) -> None:
    """Every text cell of every sheet that would start a formula is kept as text."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
