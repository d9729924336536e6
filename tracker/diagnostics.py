"""Diagnostics are data: every problem tracker finds is a `Diagnostic` in a `Report`.

Loaders and checks return diagnostics and keep going, so one run shows every problem.
Reporters (tracker.reporters) turn a report into text, JSON, GitHub annotations or JUnit XML.

Every rule has an id (stable, English, used in tests, docs and CI annotations), a default
severity, and a plain-language explanation with its fix (in Chinese first: the editors who file
are Chinese-speaking, often not programmers). `RULES` is the catalogue; the filing guide and the
site's methodology page are generated from it so the docs cannot drift from the code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # what went wrong, in plain Chinese
    fix: str  # what the editor should do


def _r(rule_id: str, title: str, fix: str, severity: Severity = Severity.ERROR) -> Rule:
    return Rule(rule_id, severity, title, fix)


W = Severity.WARNING

RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        # --- reading files -------------------------------------------------------------
        _r("file-too-large", "文件超过大小上限", "拆分文件，或用 --max-file-size 调高上限。"),
        _r("file-unreadable", "文件无法读取", "检查文件是否存在、是否有读取权限。"),
        _r("file-symlink", "文件是符号链接", "用真实文件代替符号链接(链接可能指向仓库之外)。"),
        _r("file-unexpected", "文件不会被读取(位置或名称不符合约定)",
           "报送文件应命名为 submissions/<单位>/<期次>.yaml，台账为 submissions/<单位>/registers/<指标>.yaml。",
           W),
        _r("file-not-checked", "指定的文件没有被检查(不在本仓库约定的位置，或属于另一个仓库)",
           "按提示的命令检查它(另一个仓库要加 --root)，或把文件放到约定的位置。"),
        _r("file-misplaced", "YAML 文件放在 tracker 不读取的位置，不会被检查和统计",
           "移到提示的位置(如 submission/ → submissions/)；与 tracker 无关的 YAML 放在以 . 开头的文件夹中。",
           W),
        _r("encoding-gbk", "文件是 GBK/GB18030 编码，不是 UTF-8",
           "在 VS Code 中：右下角编码 → 通过编码重新打开 → GB 18030 → 再点编码 → 通过编码保存 → UTF-8。"
           "或运行 tracker fix-encoding 文件名。"),
        _r("encoding-utf16", "文件是 UTF-16 编码，不是 UTF-8",
           "在记事本/VS Code 中另存为 UTF-8，或运行 tracker fix-encoding 文件名。"),
        _r("encoding-invalid", "文件不是有效的 UTF-8 文本", "确认这是文本文件，并以 UTF-8 编码另存。"),
        _r("yaml-syntax", "YAML 格式错误", "检查缩进(只能用空格，不能用 Tab)、冒号后的空格、引号是否成对。"),
        _r("yaml-duplicate-key", "同一层级出现重复的字段名", "删除或合并重复的字段，每个字段只写一次。"),
        _r("yaml-anchor", "使用了 YAML 锚点/别名(& 或 *)", "把内容直接写出来，不要用 & 和 *。"),
        _r("yaml-tag", "使用了 YAML 标签(! 开头)", "删除 ! 开头的标签，直接写值。"),
        _r("yaml-key-type", "字段名会被读成数字、布尔值或空值", '给字段名加引号，例如 "1.2":。'),
        _r("yaml-multiple-documents", "一个文件里有多个 YAML 文档(---)", "每个文件只写一个文档，删除多余的 ---。"),
        _r("yaml-empty", "文件是空的", "按模板填写内容，或用 tracker new 生成。"),
        _r("yaml-too-deep", "内容嵌套层数过多", "报送、台账和计划文件只有几层：检查是否多写了 [ 或 {，或缩进错位。"),
        # --- schema ----------------------------------------------------------------------
        _r("schema-required", "缺少必填字段", "补上该字段。"),
        _r("schema-unknown-key", "不认识的字段(可能拼写错误)", "检查拼写；不需要的字段请删除。"),
        _r("schema-type", "值的类型不对", "数字不要加引号；文字、编号、代码请加引号。"),
        _r("schema-enum", "不是允许的取值之一", "从提示列出的取值中选一个。"),
        _r("schema-pattern", "格式不对", "按提示的格式填写。"),
        _r("schema-format", "不是有效的日期", "日期写成 YYYY-MM-DD，例如 2024-06-30，且须是真实存在的日期。"),
        _r("schema-minimum", "数值超出允许范围", "填写不小于下限(通常为 0)的数。"),
        _r("schema-empty", "不能为空", "填写内容或删除该字段。"),
        _r("schema-unique", "列表中有重复项", "删除重复项。"),
        _r("schema-too-long", "文字或列表超过长度上限", "精简内容；详细材料作为佐证材料(evidence)附上文件。"),
        _r("schema-evidence", "佐证材料要写 path(仓库内文件)或 url(https 链接)其中之一",
           "每条佐证材料写 title，再写 path 或 url 之一。"),
        _r("schema-invalid", "不符合文件格式约定", "对照模板检查该字段。"),
        # --- plan consistency -------------------------------------------------------------
        _r("plan-missing", "缺少计划文件", "确认 --root 指向仓库根目录，plan/ 下有 units.yaml、tasks.yaml、targets.yaml。"),
        _r("plan-duplicate-id", "编号重复", "每个单位、分组、任务、指标的编号必须唯一。"),
        _r("plan-unknown-unit", "引用了不存在的单位或分组", "使用 plan/units.yaml 中已有的编号。"),
        _r("plan-unknown-task", "引用了不存在的任务", "使用 plan/tasks.yaml 中已有的任务编号。"),
        _r("plan-unknown-target", "引用了不存在的指标", "使用 plan/targets.yaml 中已有的指标编号。"),
        _r("plan-milestone-order", "节点日期须按先后顺序、且在基期之后", "按时间先后排列节点。"),
        _r("plan-date-range", "日期不在计划期内", "把日期改到计划起止日期之间。"),
        _r("plan-thresholds", "阈值设置自相矛盾", "百分点模式下 off_track 须大于 lagging，例如 points: {lagging: 10, off_track: 30}。"),
        _r("plan-allocation-not-reporting", "分配了目标的单位不报送该指标",
           "把该单位加入这个指标的 reported_by，或删除它的分配。", W),
        _r("plan-timezone", "时区名称不存在", "写 IANA 时区名，如 Asia/Shanghai；不写时默认 Asia/Shanghai。"),
        _r("plan-count-missing", "分解目标引用的基数在单位中不存在", "在 units.yaml 的 counts 中补上该基数，或改用 allocations。", W),
        _r("config-invalid", "tracker.yaml 配置有误", "检查 tracker.yaml 中的路径和字段。"),
        # --- filings -----------------------------------------------------------------------
        _r("filing-unknown-unit", "报送单位不存在", "文件夹名必须是 plan/units.yaml 中的单位编号。"),
        _r("filing-unit-mismatch", "unit 与文件夹名不一致", "把 unit 改成文件所在文件夹的名字(或把文件移到正确文件夹)。"),
        _r("filing-period-mismatch", "period 与文件名不一致", "把 period 改成与文件名相同(例如 2024-Q2.yaml 写 period: 2024-Q2)。"),
        _r("filing-period-cadence", "期次格式与报送周期不符", "按 plan/targets.yaml 的报送周期填写期次(季度 2024-Q2、月度 2024-06、年度 2024)。"),
        _r("filing-period-outside-plan", "期次不在计划期内", "只报送计划起止日期之间的期次。"),
        _r("filing-as-of-outside-period", "as_of(数据截至日期)不在该期次内", "as_of 应在本期起止日期之间，通常为期末最后一天。"),
        _r("filing-reported-before-as-of", "reported_on(报送日期)早于 as_of", "检查两个日期：报送日期一般在数据截至日期之后。", W),
        _r("filing-amendment-reason", "修订(revision 大于 1)必须说明原因", "填写 amendment_reason，说明修订了什么、为什么。"),
        _r("filing-target-not-reported", "该单位不报送这个指标", "删除该指标，或请计划办在 targets.yaml 的 reported_by 中加入本单位。"),
        _r("filing-task-not-named", "该单位不是这项任务的责任单位", "删除该任务，只填写本单位列为责任单位的任务。"),
        _r("filing-value-decreased", "累计值比上一期少", "累计值一般只增不减；如确有减少(如服务点关停)请在 note 中说明。", W),
        _r("evidence-missing", "佐证材料文件不存在", "把文件放到仓库中对应位置，或改正路径(区分大小写)。"),
        _r("evidence-outside-repo", "佐证材料路径指向仓库之外", "路径须是仓库内的相对路径，不能含 .. 或以 / 开头。"),
        _r("evidence-symlink", "佐证材料是符号链接", "放入真实文件，不要用符号链接。"),
        _r("evidence-hidden", "佐证材料路径含隐藏的文件或文件夹(以 . 开头，如 .git)",
           "把佐证材料放在 evidence/<单位>/<期次>/ 下的普通文件中；隐藏文件(.git、.env 等)可能含密钥，不能公开。"),
        _r("evidence-file-type", "佐证材料的文件类型不会在网站上提供(网页、SVG、脚本等)",
           "转成 PDF 或图片(jpg/png)后再引用；网页可改用 url 写 https 链接。", W),
        _r("evidence-url-not-https", "佐证链接不是 https", "使用 https:// 开头的链接。"),
        # --- registers ---------------------------------------------------------------------
        _r("register-unit-mismatch", "台账 unit 与文件夹不一致", "把 unit 改成所在单位文件夹的名字。"),
        _r("register-target-mismatch", "台账 target 与文件名不一致", "文件名应为 <指标编号>.yaml，且与 target 一致。"),
        _r("register-duplicate-code", "台账编码重复", "每个点位编码在全市同一指标下只能出现一次。"),
        _r("register-code-region", "台账编码与本单位区划代码不符", "编码应以本单位的 region_code 开头。"),
        _r("register-closed-before-opened", "关闭日期早于启用日期", "检查 opened 和 closed。"),
        _r("register-count-mismatch", "台账在 as_of 当日在用的条目数与报送值不一致", "核对台账与报送数字，使二者一致。"),
        # --- reviews (reviews/<task>.yaml, plan.closure: review) ---------------------------
        _r("review-task-mismatch", "复核记录的 task 与文件名不一致", "文件名应为 <任务编号>.yaml，且与 task 一致(例如 reviews/1.1.yaml 写 task: \"1.1\")。"),
        _r("review-unknown-task", "复核记录所属的任务不存在", "使用 plan/tasks.yaml 中已有的任务编号。"),
        _r("review-date-range", "复核日期不在计划期内，或晚于今天", "决定日期应在计划开始之后、不晚于今天(计划期结束后一年内)。"),
        _r("review-out-of-order", "复核决定没有按日期先后追加", "新的决定追加在列表末尾，日期不早于前一条；不要补记更早的决定。", W),
        _r("review-before-claim", "复核决定早于牵头单位的销号申请", "先由牵头单位报送“已完成”并附佐证材料(销号申请)，再作复核决定。", W),
        _r("review-closure-self", "计划未采用复核销号(plan.closure 不是 review)，复核记录不起作用",
           "在 plan/tasks.yaml 的 plan 下写 closure: review，或删除 reviews/ 下的文件。", W),
        # --- workflow (tracker check / codeowners) ------------------------------------------
        _r("codeowners-outdated", "CODEOWNERS 与 plan/units.yaml 不一致", "运行 tracker codeowners 重新生成并提交。", W),
        _r("auth-unit-editor", "提交者不是该单位的编辑人员", "由本单位 editors 中的账号提交，或请计划办把账号加入 editors。"),
        _r("auth-plan-maintainer", "单位文件夹以外的文件(计划、tracker.yaml、reviews/、CI 配置等)只有计划维护人员可以修改",
           "请计划办(maintainers)提交这些修改；单位的材料放在 evidence/<单位>/ 下。"),
        _r("auth-signature", "提交没有作者本人的有效签名", "用作者本人已登记的密钥签名提交(git commit -S)。"),
        _r("immutable-edit", "已合并的报送被直接修改，或新报送的 revision 不是 1", "修改已合并的报送时 revision 加 1，并填写 amendment_reason。"),
        _r("immutable-delete", "已合并的报送被删除或改名", "不能删除或改名已合并的报送；如有错误请提交修订(revision 加 1)。"),
        _r("path-form", "submissions/ 或 evidence/ 下的路径不符合约定，文件不会被读取或会与其他文件冲突",
           "报送文件命名为 submissions/<单位>/<期次>.yaml(如 2024-Q3.yaml，扩展名小写)，台账为 "
           "registers/<指标编号>.yaml；佐证材料放在 evidence/<单位>/ 下，文件名不以 . 开头、不只差大小写。"),
        _r("path-encoding", "文件名不是有效的 UTF-8 编码", "用 UTF-8 文件名(中文、字母、数字)重新命名后再提交。"),
        _r("path-file-type", "submissions/ 或 evidence/ 下的条目不是普通文件(符号链接或子模块)",
           "提交真实的文件，不要用符号链接或子模块。"),
        _r("immutable-review", "已合并的销号决定被修改或删除", "销号决定只能追加：在 decisions 末尾加一条新的决定。"),
        _r("immutable-evidence", "已合并的报送引用的佐证材料被替换、删除或改名，却没有修订引用它的报送",
           "已被引用的佐证材料不要替换：新的材料用新的文件名上传，并修订引用它的报送(revision 加 1，填写 amendment_reason)。"),
        _r("timeliness-future", "报送日期 reported_on 晚于今天，或报送的期次还没有开始",
           "reported_on 填写实际报送的日期(今天或更早)；只报送已经开始的期次。"),
        _r("timeliness-backdated", "报送日期 reported_on 早于这份报送第一次提交的日期(倒填日期)",
           "reported_on 是报送的日期：填写提交当天(或之后)的日期；是否按时以它为准，不能倒填。"),
        _r("git-history", "无法从 git 历史得到报送到达 main 的日期", "用完整历史的 git 克隆运行(CI 中 fetch-depth: 0)。", W),
        _r("git-shallow", "仓库是浅克隆，历史不完整", "用完整历史克隆(git fetch --unshallow，CI 中 fetch-depth: 0)。"),
        _r("git-outdated", "这个文件在本分支分出之后也在目标分支上被修改，合并结果不是检查过的版本",
           "把最新的目标分支合并进本分支(平台上的“更新分支”，或 git merge origin/main)后重新检查。"),
        _r("git-merge-base", "合并请求与目标分支有多个合并基准(交叉合并)，无法确定合并后的改动",
           "把最新的目标分支合并进本分支(平台上的“更新分支”，或 git merge origin/main)后重新检查。"),
        # --- Excel fill-in workbooks (tracker new --xlsx / tracker import) -------------------
        _r("xlsx-structure", "工作簿不是 tracker new --xlsx 生成的填报表，或表格结构被改动",
           "用 tracker new --unit 单位 --period 期次 --xlsx 文件名 重新生成填报表，在黄色单元格中填写。"),
        _r("xlsx-key", "编号、单位或期次单元格被改动，或与计划不符",
           "不要修改灰色(锁定)单元格；如需换单位或期次，请重新生成填报表。"),
        _r("xlsx-value", "数值应为非负整数", "填写阿拉伯数字的整数，例如 12；不要写“十二”、小数、负数或单位。"),
        _r("xlsx-progress", "进度不是下拉列表中的选项", "从下拉列表中选择：未启动、推进中、已完成。"),
        _r("xlsx-date", "日期无效", "日期写成 2024-06-30 这样的格式，且须是真实存在的日期。"),
        _r("xlsx-evidence", "佐证材料格式不对",
           "每行写一项：标题 | 路径或链接，例如 验收文件 | evidence/单位编号/2024-Q2/验收.pdf。"),
    ]
}


# A lone surrogate: how Python holds a byte of a file name that is not UTF-8 (PEP 383,
# `2024-Q3\xff.yaml` on Linux arrives as "2024-Q3\udcff.yaml"). No UTF-8 writer accepts it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, escaped by the file system codec
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape_undecodable(text: str) -> str:
    """`text` with the undecodable bytes of a file name shown as `\\xff` (any other lone
    surrogate as `\\udXXX`): encodable as UTF-8 everywhere, and the name stays recognisable."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(_escape_surrogate, text)


def display_path(file: Path) -> str:
    """How diagnostics name a file: relative to the current directory when possible, a byte
    of the name that is not UTF-8 shown as \\xff (a name for people, not for opening)."""
    try:
        shown = Path(os.path.relpath(file)).as_posix()
    except ValueError:  # another drive on Windows
        shown = file.as_posix()
    return escape_undecodable(shown)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located in a file (repository-relative, '/'-separated)."""

    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    rule: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    # Other files a cross-file rule compared this one with (a named-file run shows the
    # diagnostic when one of them is named); not part of any output.
    related: tuple[str, ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": escape_undecodable(self.path),
            "line": self.line,
            "column": self.column,
            "severity": str(self.severity),
            "rule": self.rule,
            "message": escape_undecodable(self.message),
            "hint": escape_undecodable(self.hint),
        }


def diag(
    path: str,
    pos: tuple[int, int] | Any | None,
    rule: str,
    message: str,
    hint: str | None = None,
    severity: Severity | None = None,
    related: tuple[str, ...] = (),
) -> Diagnostic:
    """Make a diagnostic for a catalogued rule; hint and severity default from the catalogue."""
    spec = RULES[rule]
    if pos is not None and not isinstance(pos, tuple):
        pos = pos.resolve()  # a lazily computed position
    line, column = pos if pos else (0, 0)
    return Diagnostic(
        path=path,
        line=line,
        column=column,
        rule=rule,
        message=message,
        hint=spec.fix if hint is None else hint,
        severity=spec.severity if severity is None else severity,
        related=related,
    )


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """"你是不是要写 `service-points`？" for a mistyped id, the closest known one; else ""."""
    import difflib

    options = list(known)
    folded = word.strip().lower()
    # A different case or stray spaces (Anji), two letters swapped (esat): difflib alone
    # scores a swap low and may prefer another id.
    close = [o for o in options if o.lower() == folded] or [
        o for o in options if len(o) == len(folded) and _one_swap(o.lower(), folded)]
    close = close or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"你是不是要写 `{close[0]}`？" if close else ""


def _one_swap(a: str, b: str) -> bool:
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


@dataclass
class Report:
    """The result of a run: every diagnostic and every file that was looked at."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(items)

    def sorted(self) -> list[Diagnostic]:
        # A set removes the same problem found twice (e.g. by two scoped checks).
        return sorted(set(self.diagnostics), key=Diagnostic.sort_key)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def promote_warnings(self) -> Report:
        """--strict: every warning becomes an error."""
        return Report(
            [replace(d, severity=Severity.ERROR) for d in self.diagnostics],
            list(self.files),
        )
