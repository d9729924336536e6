"""The label language follows the plan unless someone chose another (issue 15.6): on a server or
CI runner (LANG=C.UTF-8) the dashboard is not English labels around Chinese names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import REPO
from tracker.cli import cli
from tracker.language import default_lang, locale_language, plan_language

DEMO = REPO / "examples" / "demo"
NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def status(root: Path, *args: str, **env: str) -> str:
    result = CliRunner().invoke(cli, ["status", "--root", str(root), *args],
                                env={**NO_LOCALE, **env})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("value", ["C", "C.UTF-8", "C.utf8", "POSIX"])
def test_c_and_posix_are_not_a_choice_of_language(value: str):
    assert locale_language({**NO_LOCALE, "LANG": value}) is None
    assert locale_language({**NO_LOCALE, "LC_ALL": value, "LANG": "en_US.UTF-8"}) is None
    assert default_lang({**NO_LOCALE, "LANG": value}, plan_language="zh") == "zh"


@pytest.mark.parametrize(("env", "plan", "lang"), [
    ({"LANG": "en_US.UTF-8"}, "zh", "en"),      # a chosen locale wins over the plan
    ({"LC_ALL": "zh_CN.UTF-8"}, "en", "zh"),
    ({"LANG": "C.UTF-8"}, "zh", "zh"),          # servers and CI: the plan's language
    ({}, "zh", "zh"),
    ({}, None, "en"),                          # neither: English, as before
])
def test_the_label_language(env: dict[str, str], plan: str | None, lang: str):
    assert default_lang({**NO_LOCALE, **env}, plan_language=plan) == lang


def test_the_plan_language_comes_before_the_windows_display_language():
    # A GitHub Windows runner is English: it must not turn a Chinese plan's labels English.
    assert default_lang(NO_LOCALE, windows_lcid=0x0409, plan_language="zh") == "zh"
    assert default_lang(NO_LOCALE, windows_lcid=0x0804) == "zh"


def test_the_shipped_plan_is_chinese():
    tasks = yaml.safe_load((REPO / "plan/tasks.yaml").read_text("utf-8"))
    assert tasks["plan"]["language"] == "zh"
    assert plan_language(DEMO, 10**6) == "zh"  # the demo reads the real plan (tracker.yaml)


@pytest.mark.parametrize("lang_env", ["C.UTF-8", "C", "POSIX"])
def test_the_demo_dashboard_on_a_server_is_chinese(lang_env: str):
    out = status(DEMO, LANG=lang_env)
    assert "指标(全市)" in out and "截至" in out
    assert "Targets (city)" not in out


def test_an_explicit_locale_or_option_still_gives_english():
    assert "Targets (city)" in status(DEMO, LANG="en_US.UTF-8")
    assert "Targets (city)" in status(DEMO, "--lang", "en", LANG="C.UTF-8")
    explained = CliRunner().invoke(cli, ["explain", "village-service-points", "--root", str(DEMO)],
                                   env={**NO_LOCALE, "LANG": "C.UTF-8"})
    assert "实际值" in explained.stdout


def test_a_plan_without_a_language_keeps_the_old_default(base_repo: Path):
    assert "Targets (city)" in status(base_repo, LANG="C.UTF-8")


def test_a_language_tracker_has_no_labels_for_is_refused(base_repo: Path):
    tasks = base_repo / "plan/tasks.yaml"
    tasks.write_text(tasks.read_text("utf-8").replace("plan:\n", "plan:\n  language: fr\n", 1),
                     "utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == 1
    [found] = json.loads(result.stdout)["diagnostics"]
    assert (found["path"], found["rule"]) == ("plan/tasks.yaml", "schema-enum")
