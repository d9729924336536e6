"""The filing pages: `file/<unit>.html`, a form that produces the unit's filing in the browser.

Clerks in district governments and city departments file by editing YAML in git or filling
the Excel template. The filing page is a third way, part of the audit site: it lists the
unit's targets and tasks for a chosen period with the unit's earlier figures pre-filled exactly
as `tracker new` pre-fills them, checks while the clerk types with the same JSON Schema that
`tracker validate` uses (Ajv, vendored under assets/vendor/), and produces the file byte for
byte as `tracker new` would write it — then offers download, copy, and (with a `forge:` in
tracker.yaml) the forge's own new-file page with the content filled in.

What is decided here, at build time, in Python (so the page cannot drift from the CLI):
  * what a draft contains and what it is pre-filled with: `tracker.filing.scaffold.make_draft`, run
    for every period of the plan; periods with the same pre-fill share one entry;
  * every comment line that depends on the plan (target and task headings, goals), the YAML
    form of each key, and the schema line (`scaffold.schema_reference`);
  * the unit's existing filings (their text, for `tracker amend`'s edit, and their data).
What the page does (assets/filing.js): fill in the values, render the text with a port of
`scaffold.render` / `scaffold.amend_text`, validate, and offer the result. Tests compare the
page's output with the Python functions for several inputs.

Everything reaches the page as data: the model is one `<script type="application/json">`
block (escaped so that no string can close the element), the form is rendered by Jinja2 with
autoescape, and the page's script writes strings into the DOM as text, never as markup. The
page makes no request: it works from file:// and from any web server.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tracker import schema as schemas
from tracker.errors import TrackerError
from tracker.evidence import URL_FORBIDDEN
from tracker.filing.scaffold import (
    PROGRESS_ZH,
    _key,
    _one_line,
    _q,
    amended_text,
    comment_text,
    filing_path,
    make_draft,
    role_of,
    schema_reference,
    target_head,
    task_head,
)
from tracker.forge import Forge
from tracker.model import Filing, Repository
from tracker.periods import LABEL_ZH, periods_overlapping
from tracker.provenance import Provenance
from tracker.site.escape import Markup
from tracker.site.pages import ASSETS, NavSection, Page, ShippedFile, SiteContent
from tracker.site.pages import Generator as _Generator
from tracker.text import BIDI, BOM, C1, SEPARATORS

PREFIX = "file"  # the filing pages live under file/
VENDOR = ASSETS / "vendor"
SCRIPTS = ("assets/vendor/ajv2020.min.js", "assets/filing-schema.js", "assets/filing.js")


@dataclass
class UnitForm:
    """One unit's filing page: what the template shows and the page's model."""

    unit: str
    name: str
    label: str
    model: dict[str, Any]
    targets: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    filed: int
    default_period: str


def json_for_script(data: Any) -> str:
    """JSON that can sit inside <script type="application/json"> whatever its strings hold.

    `<`, `>` and `&` are written as \\u escapes, so no string can form `</script>` or `<!--`
    (the two ways out of a script element); so are U+2028/U+2029 (the text stays a valid
    JavaScript literal), and control and bidi-override characters (the page's source holds none
    of them, as no other page does). JSON.parse reads the escapes back as the original
    characters, so the page's data is exactly the repository's."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SCRIPT_UNSAFE = re.compile(f"[<>&{C1}{SEPARATORS}{BIDI}{BOM}]")


def _description(node: dict[str, Any]) -> str:
    """The Chinese half of a schema description ("中文 / English")."""
    return str(node.get("description", "")).split(" / ")[0].strip()


def field_help() -> dict[str, str]:
    """Field help for the form, from the filing schema's descriptions (the same text editors
    see on hover in VS Code)."""
    root = schemas.schema("filing")
    props = root["properties"]
    target = props["targets"]["additionalProperties"]["properties"]
    task = props["tasks"]["additionalProperties"]["properties"]
    evidence = root["$defs"]["evidence"]["properties"]
    out = {name: _description(props[name]) for name in
           ("unit", "period", "as_of", "reported_on", "revision", "amendment_reason")}
    out.update({f"target.{k}": _description(v) for k, v in target.items()})
    out["target.value"] += " " + _description(root["$defs"]["count"])
    out.update({f"task.{k}": _description(v) for k, v in task.items()})
    out.update({f"evidence.{k}": _description(v) for k, v in evidence.items()})
    return out


class FilingPages(_Generator):
    """The site generator's helpers (links, footer, templates) for the filing pages."""

    def __init__(self, repo: Repository, status: dict[str, Any], provenance: Provenance,
                 nav_unit_limit: int) -> None:
        super().__init__(repo, status, provenance, nav_unit_limit=nav_unit_limit)
        self.forge = Forge.from_config(repo.config.forge)
        self.periods = list(periods_overlapping(self.plan.info.start, self.plan.info.end,
                                                self.plan.reporting.cadence))
        self.help = field_help()
        # Every filing of each unit (also those dated after the site's date: a form amends
        # what is in the repository), grouped once rather than scanned per unit.
        self.all_by_unit: dict[str, list[Filing]] = {}
        for f in repo.filings:
            self.all_by_unit.setdefault(f.unit, []).append(f)

    # -- the model -------------------------------------------------------------------------

    def unit_form(self, unit_id: str) -> UnitForm | None:
        """The unit's page, or None when it reports nothing (no targets, no tasks)."""
        plan = self.plan
        filings = sorted(self.all_by_unit.get(unit_id, ()), key=lambda f: f.period)
        if not self.periods:
            return None
        try:  # (the first period's draft also gives the targets and tasks the unit reports)
            first = make_draft(plan, filings, unit_id, self.periods[0], today=self.as_of)
        except TrackerError:
            return None
        by_period = {f.period: f for f in filings}
        states: list[dict[str, Any]] = []
        state_of: dict[str, int] = {}
        periods = []
        for period in self.periods:
            draft = first if period is self.periods[0] else make_draft(
                plan, filings, unit_id, period, today=self.as_of)
            state = {
                "targets": {t.target.id: list(t.previous) for t in draft.targets if t.previous},
                # (period, progress, the summary on one line, whether it had any text)
                "tasks": {k.task.id: [k.previous[0], k.previous[1], _one_line(k.previous[2]),
                                      bool(k.previous[2])]
                          for k in draft.tasks if k.previous},
                "closing": {k.task.id: k.evidence for k in draft.tasks if k.evidence},
            }
            key = json.dumps(state, sort_keys=True, ensure_ascii=False)
            if key not in state_of:
                state_of[key] = len(states)
                states.append(state)
            filed = by_period.get(str(period))
            periods.append({
                "id": str(period),
                "yaml": str(period) if period.cadence != "annual" else _q(str(period)),
                "start": period.start.isoformat(), "end": period.end.isoformat(),
                "state": state_of[key],
                "filed": self._filed(filed) if filed else None,
            })
        targets = []
        for t in first.targets:
            target = t.target
            targets.append({
                "id": target.id, "key": _key(target.id),
                "head": target_head(plan, target, unit_id),
                "title": target.title, "unit_label": target.unit_label,
                "goal": plan.unit_goal(target, unit_id),
                "city_goal": target.goal, "deadline": target.deadline.isoformat(),
            })
        tasks = []
        for k in first.tasks:
            task = k.task
            tasks.append({
                "id": task.id, "key": _q(task.id),
                "head": task_head(task, k.role),
                "title": task.title, "text": task.text, "role": role_of(task, unit_id),
                "lead": task.lead == unit_id,
                "due": (task.due or plan.info.end).isoformat(),
            })
        unit = plan.units[unit_id]
        default = self._default_period(by_period)
        schema_ref = schema_reference(self.root, filing_path(self.root, unit_id, self.periods[0]))
        model = {
            "unit": unit_id, "unit_yaml": _key(unit_id), "label": comment_text(unit.label),
            "name": unit.name,
            "cadence": plan.reporting.cadence, "cadence_zh": LABEL_ZH[plan.reporting.cadence],
            "schema_ref": schema_ref, "default_period": default,
            "targets": [{k: v for k, v in t.items() if k in ("id", "key", "head")}
                        for t in targets],
            "tasks": [{k: v for k, v in t.items() if k in ("id", "key", "head", "lead")}
                      for t in tasks],
            "periods": periods, "states": states,
            "forge": self._forge(),
            "progress": PROGRESS_ZH,
            "url_forbidden": URL_FORBIDDEN,
        }
        return UnitForm(unit_id, unit.name, unit.label, model, targets, tasks,
                        len(filings), default)

    def _filed(self, f: Filing) -> dict[str, Any]:
        """An existing filing: its data, and its text for `tracker amend`'s edit (None where
        `tracker amend` would refuse to edit it: the page then writes the filing anew)."""
        raw = (self.root / f.path).read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        data = f.source.data if f.source is not None else {}
        text = raw[3 if bom else 0:].decode("utf-8")
        return {
            "path": f.path, "revision": f.revision, "as_of": f.as_of.isoformat(),
            "reported_on": f.reported_on.isoformat(), "bom": bom,
            "text": text if amended_text(text, data) is not None else None,
            "data": {k: v for k, v in data.items() if k not in ("revision", "amendment_reason")},
        }

    def _default_period(self, filed: dict[str, Filing]) -> str:
        """The period a clerk most likely files now: the latest one that has ended by the
        site's date and is not filed yet; else the latest ended one; else the first."""
        ended = [p for p in self.periods if p.end <= self.as_of]
        for p in reversed(ended):
            if str(p) not in filed:
                return str(p)
        return str(ended[-1] if ended else self.periods[0])

    def _forge(self) -> dict[str, Any] | None:
        if self.forge is None:
            return None
        return {"type": self.forge.type, "url": self.forge.url, "branch": self.forge.branch,
                "prefills": self.forge.prefills_new_files}

    # -- the pages -------------------------------------------------------------------------

    def form_page(self, unit_id: str) -> str:
        form = self.forms[unit_id]
        scripts = [self.file_url(s) for s in SCRIPTS]
        return self.render(
            "filing.html", f"{PREFIX}/{unit_id}", form=form, help=self.help,
            model_json=Markup(json_for_script(form.model)), scripts=scripts,
            progress=PROGRESS_ZH,
            periods=[p["id"] for p in form.model["periods"]],
            filed={p["id"]: p["filed"]["revision"] for p in form.model["periods"] if p["filed"]},
            forge=self.forge, cadence=LABEL_ZH[self.plan.reporting.cadence],
        )

    def index_page(self) -> str:
        rows = []
        for unit_id, unit in self.plan.units.items():
            form = self.forms.get(unit_id)
            rows.append({"unit": unit, "form": form})
        parts = self.parts(f"{PREFIX}/index", "units", rows,
                           lambda rs: self.unit_range([r["unit"].id for r in rs]))
        bodies = [self.render("filing_index.html", part.path, rows=part.items, forge=self.forge,
                              pager=self.pager(parts, part, "units"))
                  for part in parts]
        for part, body in zip(parts[1:], bodies[1:], strict=True):
            self.extra.append(Page(part.path, f"在线填报(第 {part.number} 页)", body,
                                   in_nav=False, searchable=False))
        return bodies[0]

    def add_to(self, content: SiteContent) -> None:
        self.forms = {u: f for u in self.plan.units if (f := self.unit_form(u)) is not None}
        pages = [Page(f"{PREFIX}/index", "在线填报", self.index_page()), *self.take_extra()]
        for unit_id, form in self.forms.items():
            pages.append(Page(f"{PREFIX}/{unit_id}", f"{form.label} 填报",
                              self.form_page(unit_id), self.units_in_nav, searchable=False))
        content.pages.extend(pages)
        section = NavSection("在线填报", [f"{PREFIX}/index", *(
            f"{PREFIX}/{u}" for u in self.forms if self.units_in_nav)])
        at = content.nav.index("ledger") if "ledger" in content.nav else len(content.nav)
        content.nav.insert(at, section)
        content.files.extend(assets())
        content.css.append("assets/filing.css")


def schema_script() -> bytes:
    """The filing schema as a script (a page opened from file:// cannot fetch JSON)."""
    return ("/* The JSON Schema tracker validates filings with (tracker/schemas/"
            "filing.schema.json), generated by tracker build. */\n"
            f"window.TrackerFilingSchema = {json_for_script(schemas.schema('filing'))};\n"
            ).encode()


def assets() -> list[ShippedFile]:
    return [
        ShippedFile("assets/filing.js", (ASSETS / "filing.js").read_bytes()),
        ShippedFile("assets/filing.css", (ASSETS / "filing.css").read_bytes()),
        ShippedFile("assets/filing-schema.js", schema_script()),
        ShippedFile("assets/vendor/ajv2020.min.js", (VENDOR / "ajv2020.min.js").read_bytes()),
        ShippedFile("assets/vendor/LICENSE.txt", (VENDOR / "LICENSE.txt").read_bytes()),
    ]


def add(content: SiteContent, repo: Repository, status: dict[str, Any], provenance: Provenance,
        nav_unit_limit: int | None = None) -> None:
    """Add the filing pages (file/index and file/<unit>) and their scripts to the site."""
    from tracker.site.pages import NAV_UNIT_LIMIT

    limit = NAV_UNIT_LIMIT if nav_unit_limit is None else nav_unit_limit
    FilingPages(repo, status, provenance, limit).add_to(content)

