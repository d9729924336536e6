"""Who changed what: each path the pull request changes, and the commits that changed it.

The pull request is judged by its **net change**: every path whose content at HEAD differs
from the merge base (`git diff BASE...HEAD`), which is what merging it would change. Each such
path is attributed to the commits of BASE..HEAD that made it what it is:

* a commit with one parent (or none: a root commit, e.g. of a history merged in with
  `--allow-unrelated-histories`) for every path it changes against its parent;
* a merge commit for its **own resolution**: a path whose content at the merge is not carried
  over from a parent in the pull request whose line produced that content. So a merge is
  blamed for new content (a conflict resolved by hand), and for content that comes from the
  base branch's history but is not the merge base's (an older version of `units.yaml` taken
  from an old commit of main, or kept from a branch that started before main changed it);
  it is not blamed for carrying the pull request's own commits, nor for taking main's current
  files (those are not in the net change at all).

`git log --cc` cannot be used for this: it hides a path whose merge result equals one parent,
and that parent may lie outside BASE..HEAD (issue 11, item 1).

Git is read in two or three calls, whatever the size of the pull request: `git log` over
BASE..HEAD (every commit, the changes of each non-merge commit), `git diff` BASE...HEAD (the
net change), and, only when there are merges, one `git diff-tree --stdin` giving each merge
against each of its parents.
"""

from __future__ import annotations

from tracker.gate.git import ABSENT_MODE, LOG_FORMAT, Change, Commit, Content, Git, parse_log

ABSENT: Content = (ABSENT_MODE, "0" * 40)

# The git commands, with every option that keeps their output independent of the runner's
# configuration (log.showRoot=false hid a root commit's files; diff.renames, log.showSignature
# and the like would change what is printed), or the repository's: `ignore = all` for a
# submodule in .gitmodules, which comes with the pull request, left its gitlink out of both.
LOG_ARGS = ("log", "-z", "--raw", "--no-abbrev", "--no-renames", "--root", "--topo-order",
            "--no-show-signature", "--ignore-submodules=none", "--encoding=UTF-8", LOG_FORMAT)
DIFF_ARGS = ("diff", "--raw", "-z", "--no-abbrev", "-M", "--no-ext-diff", "--no-textconv",
             "--ignore-submodules=none")
# What the base branch changed since the merge base (`git diff HEAD...BASE`), path by path.
SIDE_ARGS = ("diff", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-ext-diff",
             "--no-textconv", "--ignore-submodules=none")
MERGES_ARGS = ("diff-tree", "--stdin", "-z", "-r", "--raw", "--no-abbrev", "--no-renames",
               "--always", "--no-ext-diff", "--no-textconv", "--ignore-submodules=none",
               "--encoding=UTF-8", LOG_FORMAT)


def merge_bases(git: Git, base: str) -> list[str]:
    """Every merge base of BASE and HEAD (`git merge-base --all`).

    Only a pull request with merges can have more than one (a criss-cross merge: it merged two
    commits of the base branch neither of which contains the other). Then `git diff
    BASE...HEAD` compares with one of them while merging the pull request merges over all of
    them, so the net change would not be what merging changes: the check is refused."""
    out = git.run("merge-base", "--all", base, "HEAD", check=False)
    return out.stdout.decode().split() if out.returncode == 0 else []


def changed_on_both_sides(changes: list[Change], base_side: list[Change]) -> list[str]:
    """Paths of the net change that the base branch also changed since the merge base, to
    other content than HEAD's. Merging combines the two (or conflicts): the result is not the
    version the pull request was judged by, so such a path is judged only after the base
    branch is merged into the pull request."""
    head: dict[str, Content] = {}
    for ch in changes:
        head[ch.path] = ch.new
        if ch.status == "R":
            head[ch.old_path] = ABSENT
    out = []
    for ch in base_side:
        mine = head.get(ch.path)
        theirs = ABSENT if ch.status == "D" else ch.new
        if mine is not None and mine != theirs:
            out.append(ch.path)
    return out


def at_merge_base(changes: list[Change]) -> dict[str, Content]:
    """Every path of the net change, with its content at the merge base (ABSENT when new);
    a rename is two paths, the old one removed and the new one added."""
    out: dict[str, Content] = {}
    for ch in changes:
        if ch.status == "R":
            out[ch.old_path] = ch.old
            out[ch.path] = ABSENT
        elif ch.status == "A":
            out[ch.path] = ABSENT
        else:
            out[ch.path] = ch.old
    return out


def read(git: Git, log_out: bytes, changes: list[Change]) -> list[Commit]:
    """The commits of BASE..HEAD (children before parents), each with `files`: the paths of
    the net change it is responsible for."""
    base = at_merge_base(changes)
    commits, blocks = parse_log(log_out, set(base))
    merges = [c for c in commits if c.merge]
    if merges:
        request = "".join(f"{c.sha} {p}\n" for c in merges for p in c.parents).encode()
        out = git.run(*MERGES_ARGS, stdin=request).stdout
        blocks.update(parse_log(out, set(base))[1])
    attribute(commits, blocks, base)
    return commits


def attribute(commits: list[Commit], blocks: dict[tuple[str, str], dict[str, Change]],
              base: dict[str, Content]) -> None:
    """Fill each commit's `files` with the paths of `base` (the net change, with its content at
    the merge base) that it changed; `commits` children first (`git log --topo-order`),
    `blocks[(commit, parent)]` what a commit changed against that parent."""
    in_range = {c.sha for c in commits}
    # produced[(commit, path)]: the path's content at that commit was made by a commit of the
    # pull request (which is blamed for it) rather than taken unchanged from the base's history.
    produced: dict[tuple[str, str], bool] = {}
    blamed: dict[str, list[Commit]] = {path: [] for path in base}
    for c in reversed(commits):  # parents first
        if not c.merge:
            parent = c.parents[0] if c.parents else ""
            changed = blocks.get((c.sha, parent), {})
            for path in base:
                if path in changed:
                    blamed[path].append(c)
                    produced[(c.sha, path)] = True
                else:
                    produced[(c.sha, path)] = parent in in_range and produced[(parent, path)]
            continue
        sides = [(p, blocks.get((c.sha, p), {})) for p in c.parents]
        for path in base:
            listed = [changed[path] for _, changed in sides if path in changed]
            made = [p in in_range and produced[(p, path)] for p, _ in sides]
            if not listed:  # the same content as every parent
                produced[(c.sha, path)] = any(made)
                continue
            content = listed[0].new
            carried = any(
                made[i] and (changed[path].old if path in changed else content) == content
                for i, (_, changed) in enumerate(sides))
            if carried:
                produced[(c.sha, path)] = True
            elif content == base[path] or (content[0] == ABSENT_MODE and base[path] == ABSENT):
                produced[(c.sha, path)] = False  # the merge base's own content
            else:
                blamed[path].append(c)  # the merge's own resolution
                produced[(c.sha, path)] = True
    for path, who in blamed.items():
        if not who:
            # Not reachable by the rules above (a path that differs from the merge base was
            # made so by some commit of the pull request); should history ever be read in a
            # way they miss, the merges — or, without any, every commit — answer for it.
            who.extend([c for c in commits if c.merge] or commits)
        for c in who:
            c.files.append(path)
