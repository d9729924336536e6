"""Who may change which path: a unit's editors its own folders, the maintainers everything else.

Each path of the pull request's net change is judged for each commit that changed it
(tracker.gate.history); who owns a path is tracker.gate.paths.owner_of. Who is allowed is read from the BASE version of units.yaml, so a pull request cannot
authorize itself. Identities are matched on the author e-mail, case-insensitively, as written
in the commit (no .mailmap: a pull request could bring its own).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tracker.diagnostics import Diagnostic, diag
from tracker.gate.git import Commit, Git, cat_blobs, shown_path
from tracker.gate.paths import Where, owner_of
from tracker.model import Plan, Unit, build_units
from tracker.repository import CONFIG_FILE, display_path
from tracker.schema import validate
from tracker.yamlio import load_file, parse_text


def identities(entries: Iterable[str]) -> set[str]:
    """E-mail addresses of identities written as `a@b`, `Name <a@b>`; `@user` names are skipped
    (they name platform accounts, which CODEOWNERS uses but commits do not carry)."""
    out = set()
    for entry in entries:
        text = entry.strip()
        if "<" in text and text.endswith(">"):
            text = text[text.rindex("<") + 1: -1].strip()
        if "@" in text[1:] and not text.startswith("@"):
            out.add(text.lower())
    return out


def _base_plan(where: Where, config: bytes | None) -> tuple[str | None, Path]:
    """Where the BASE keeps its plan (its own tracker.yaml says, not the pull request's):
    toplevel-relative git path (None when outside the repository) and the folder on disk."""
    plan = "plan"
    if config is not None:
        doc, _ = parse_text(config.decode("utf-8-sig", "replace"), CONFIG_FILE)
        if doc is not None and not validate(doc, "config") and doc.data.get("plan"):
            plan = str(doc.data["plan"])
    folder = Path(os.path.normpath(where.root / plan))
    rel = Path(os.path.relpath(folder, where.top)).as_posix()
    return (None if rel == ".." or rel.startswith("../") else rel), folder


def base_units(git: Git, where: Where, base: str, blobs: dict[str, bytes | None],
                fallback: Plan | None, head_text: str | None = None,
                ) -> tuple[dict[str, Unit], tuple[str, ...], str]:
    """Units and maintainers from units.yaml at the base; HEAD's only when the base has none.

    The base's plan folder is found from the base's tracker.yaml: a pull request that points
    `plan:` at a folder of its own (or adds a tracker.yaml) must not choose who is allowed.
    A base units.yaml that cannot be read authorizes nobody (never the pull request's)."""
    plan_git, folder = _base_plan(where, blobs.get(f"{base}:{where.prefix}{CONFIG_FILE}"))
    if plan_git is not None:
        name = f"{base}:{plan_git}/units.yaml"
        raw = blobs[name] if name in blobs else cat_blobs(git, [name]).get(name)
        doc = None
        if raw is not None:
            text = raw.decode("utf-8-sig", "replace")
            if fallback is not None and text == head_text:
                # The same text HEAD's valid plan was built from: the same editors.
                return fallback.units, fallback.maintainers, "base"
            doc, _ = parse_text(text, "units.yaml")
    else:
        # Outside the repository: no pull request can change it; read it where it is.
        file = folder / "units.yaml"
        raw = b"" if file.is_file() else None
        doc = load_file(file, display_path(file))[0] if raw is not None else None
    if raw is not None:
        if doc is not None and isinstance(doc.data, dict) and not validate(doc, "units"):
            units, _, maintainers = build_units(doc.data, {})
            return units, maintainers, "base"
        return {}, (), "none"
    if fallback is not None:
        return fallback.units, fallback.maintainers, "head"
    return {}, (), "none"


def authorize(commits: list[Commit], where: Where, units: dict[str, Unit],
              maintainers: tuple[str, ...]) -> list[Diagnostic]:
    """auth-unit-editor / auth-plan-maintainer: each path of the net change, for each commit
    that changed it (`Commit.files`, from tracker.gate.history). A unit's editors may change
    its own folders; every other path is the maintainers' (tracker.gate.paths.owner_of)."""
    out = []
    keepers = identities(maintainers)
    for c in commits:
        email = c.email.strip().lower()
        who = f"{c.name} <{c.email}>"
        for git_path in dict.fromkeys(c.files):
            shown = where.shown(git_path)
            unit = owner_of(where.rel(git_path), units)
            if unit is None:
                if email not in keepers:
                    out.append(diag(
                        shown, None, "auth-plan-maintainer",
                        f"提交 {c.short}(作者 {who})修改了 {shown_path(git_path)}，但该身份不在 maintainers 中",
                        hint="单位自己的文件夹(submissions/<单位>/、evidence/<单位>/)以外的文件"
                             "(计划、tracker.yaml、reviews/、CI 配置、.gitattributes、CODEOWNERS、"
                             "共用材料)只能由 maintainers 修改；maintainers："
                             + ("、".join(maintainers) or "(未登记)") + "。",
                    ))
                continue
            editors = units[unit].editors
            if email not in identities(editors):
                out.append(diag(
                    shown, None, "auth-unit-editor",
                    f"提交 {c.short}(作者 {who})修改了{units[unit].label}({unit})的文件，但该身份不在 {unit} 的 editors 中",
                    hint=f"{unit} 的 editors：" + ("、".join(editors) or "(未登记)")
                         + "。由其中的账号提交；增加人员请计划办修改 plan/units.yaml。",
                ))
    return out


def _signers(git: Git, commits: list[Commit]) -> dict[str, tuple[str, str]]:
    """sha → (who signed it as git names the key: the SSH principal of the trust list, or the
    GPG key's user id; its committer's e-mail), for every commit, in one `git log`."""
    if not commits:
        return {}
    out = git.run("log", "--no-walk=unsorted", "--stdin", "--no-show-signature",
                  "--format=%H%x00%GS%x00%ce%x00", stdin="".join(f"{c.sha}\n" for c in commits).encode(),
                  check=False).stdout.decode("utf-8", "replace").split("\0")
    return {sha.strip(): (signer, committer) for sha, signer, committer
            in zip(out[0::3], out[1::3], out[2::3], strict=False)}


def signatures(git: Git, where: Where, commits: list[Commit], units: dict[str, Unit] | None = None,
               maintainers: tuple[str, ...] = ()) -> list[Diagnostic]:
    """auth-signature: every commit in REF..HEAD verifies with `git verify-commit`, signed by
    its author's key (the trust list names each key's owner, as units.yaml does: by e-mail).
    A key of no one in units.yaml may sign the commits it made itself (committer): a forge's
    web editor commits for the signed-in author with the forge's key. Without this, an editor's
    valid signature vouched for a commit that names the plan office as its author."""
    out = []
    people = identities(maintainers)
    for unit in (units or {}).values():
        people |= identities(unit.editors)
    signers = _signers(git, commits)
    for c in commits:
        shown = where.shown(c.files[0]) if c.files else display_path(where.root)
        check = git.run("verify-commit", c.sha, check=False)
        if check.returncode != 0:
            lines = check.stderr.decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else "没有签名"
            out.append(diag(shown, None, "auth-signature",
                            f"提交 {c.short} 没有可验证的签名(git verify-commit：{why})"))
            continue
        signer, committer = signers.get(c.sha, ("", ""))
        key = identities([signer])
        author = c.email.strip().lower()
        if author in key or (committer.strip().lower() in key and not key & people):
            continue
        out.append(diag(
            shown, None, "auth-signature",
            f"提交 {c.short} 的签名属于 {signer.strip() or '(未知)'}，但作者是 {c.email}：签名必须是作者本人的密钥",
            hint="用作者本人登记的密钥签名(git commit -S)；信任列表(allowed_signers)中每个密钥的一行"
                 "把主人在 units.yaml 中登记的邮箱写在最前(git 只报告第一个；GPG 密钥则是主用户 ID)。"
                 "别人变基(rebase)或摘取(cherry-pick)的提交带的是操作者的签名：更新分支请合并(merge)"
                 "目标分支，不要变基他人的提交。"))
    return out
