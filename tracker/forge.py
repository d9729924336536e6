"""The forge (GitHub, GitLab, Gitee) a repository lives on: the web addresses of its commits,
files and new-file pages, from the `forge` setting of `tracker.yaml`.

One setting serves the audit site (links from a filing to its commit and file views) and the
filing page (a "new file" page pre-filled with the produced filing). Without a forge, nothing
links anywhere: the site shows full commit hashes instead.

    forge:
      type: github                 # github | gitlab | gitee
      url: https://github.com/huzhou-postal/jidi-tracker
      branch: main                 # optional; the branch filings are proposed against

Addresses are built here only, from parts that are percent-encoded, so a path from a filing
cannot add a query, a fragment or another host.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

TYPES = ("github", "gitlab", "gitee")
DEFAULT_BRANCH = "main"


@dataclass(frozen=True)
class Forge:
    type: str
    url: str  # https://host/owner/repo, no trailing slash
    branch: str = DEFAULT_BRANCH

    @classmethod
    def from_config(cls, data: dict[str, Any] | None) -> Forge | None:
        if not data:
            return None
        return cls(str(data["type"]), str(data["url"]).rstrip("/"),
                   str(data.get("branch") or DEFAULT_BRANCH))

    @property
    def _dash(self) -> str:
        # GitLab puts its views under /-/ (older instances also answer without it).
        return "/-" if self.type == "gitlab" else ""

    def commit_url(self, sha: str) -> str:
        return f"{self.url}{self._dash}/commit/{quote(sha, safe='')}"

    def file_url(self, path: str, ref: str | None = None) -> str:
        """The file's view at a commit (or at the branch)."""
        ref = quote(ref or self.branch, safe="")
        return f"{self.url}{self._dash}/blob/{ref}/{quote(path, safe='/')}"

    def history_url(self, path: str) -> str:
        """Every commit that touched the file."""
        if self.type == "gitlab":
            return f"{self.url}/-/commits/{quote(self.branch, safe='')}/{quote(path, safe='/')}"
        return f"{self.url}/commits/{quote(self.branch, safe='')}/{quote(path, safe='/')}"

    @property
    def prefills_new_files(self) -> bool:
        """Whether the forge's new-file page takes the file's name and content from its address
        (GitHub and GitLab do; Gitee's does not: there the filing page offers download/copy)."""
        return self.type in ("github", "gitlab")

    def new_file_url(self, path: str, content: str) -> str | None:
        """The forge's own page for adding `path` on the branch with `content` filled in (the
        user reviews it and proposes it as a change); None where the forge cannot pre-fill."""
        folder, _, name = path.rpartition("/")
        where = f"{quote(self.branch, safe='')}/{quote(folder, safe='/')}".rstrip("/")
        if self.type == "github":
            return f"{self.url}/new/{where}?" + urlencode({"filename": name, "value": content})
        if self.type == "gitlab":
            return f"{self.url}/-/new/{where}?" + urlencode(
                {"file_name": name, "content": content})
        return None


    def new_file_page_url(self, path: str) -> str:
        """The forge's new-file page in `path`'s folder, with nothing filled in: where the user
        pastes a copied filing when the forge cannot pre-fill (Gitee). Gitee's web editor
        lives at /new/<branch>/<folder> like GitHub's; see docs/site.md for how sure that is."""
        folder = path.rpartition("/")[0]
        where = f"{quote(self.branch, safe='')}/{quote(folder, safe='/')}".rstrip("/")
        return f"{self.url}{self._dash}/new/{where}"


def url_problem(url: str) -> str | None:
    """Why `url` is not a repository's web address (None when it is one)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "不是有效的网址"
    if parts.scheme != "https" or not parts.hostname:
        return "须以 https:// 开头并写明网站地址"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "只写仓库地址,不带 ? # 或用户名密码"
    if len([p for p in parts.path.split("/") if p]) < 2:
        return "须写到仓库一级,如 https://github.com/组织/仓库"
    return None
