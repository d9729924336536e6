"""`tracker remind`: each unit's reminders from the status engine, shown (dry run) or sent for
real through Apprise to local servers (json:// to an HTTP server, mailto:// to an SMTP server),
never twice for the same reason on one day, one failing channel not stopping the others."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.notify_helpers import json_server, mail_text, smtp_server
from tests.status_helpers import TASKS_YAML, UNITS_YAML, filing_yaml, write_repo
from tracker.cli import cli
from tracker.notify.items import MAINTAINERS, reminders
from tracker.repository import load
from tracker.status import compute, light

REVIEW_TASKS = TASKS_YAML.replace("  end: 2025-12-31\n", "  end: 2025-12-31\n  closure: review\n")
DAY = "2024-07-07"  # 2024-Q2 is due 2024-07-10: 3 days left, within remind_days (5)


def units_yaml(channels: dict[str, list[str]], maintainers: list[str] | None = None) -> str:
    """The small plan's units with `notify:` channels added."""
    lines = UNITS_YAML.splitlines()
    out: list[str] = []
    current = None
    for line in lines:
        out.append(line)
        if line.startswith("  - id: "):
            current = line.split(": ", 1)[1]
        if line.startswith("    kind: ") and current in channels:
            out.append("    notify: " + json.dumps(channels[current]))
    if maintainers is not None:
        out.append("maintainers_notify: " + json.dumps(maintainers))
    return "\n".join(out) + "\n"


def make_repo(root: Path, channels: dict[str, list[str]],
              maintainers: list[str] | None = None, site_url: str = "") -> Path:
    """At 2024-07-07: office claims 1.1 done (awaiting review); east is off track on stations
    (0 of an expected 2); west filed 2024-Q1 only (2024-Q2 upcoming); north filed nothing
    (2024-Q1 missing, 2024-Q2 upcoming)."""
    write_repo(root, [
        ("office", "2024-Q2", filing_yaml("office", "2024-Q2", reported_on=date(2024, 7, 3),
                                          tasks={"1.1": ("done", True)})),
        ("east", "2024-Q1", filing_yaml("east", "2024-Q1", targets={"stations": 0})),
        ("east", "2024-Q2", filing_yaml("east", "2024-Q2", reported_on=date(2024, 7, 5),
                                        targets={"stations": 0})),
        ("west", "2024-Q1", filing_yaml("west", "2024-Q1", targets={"stations": 1})),
    ], tasks_yaml=REVIEW_TASKS, units_yaml=units_yaml(channels, maintainers))
    if site_url:
        (root / "tracker.yaml").write_text(f"site_url: {site_url}\n", encoding="utf-8")
    return root


def run(root: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["remind", "--root", str(root), "--as-of", DAY, *args],
                              env=env)


# --- what each unit is reminded of (pure) -------------------------------------------------


def test_each_unit_gets_its_own_items_from_the_status_rows(tmp_path: Path):
    repo = load(make_repo(tmp_path / "r", {})).repo
    assert repo is not None
    status = compute(repo, date.fromisoformat(DAY))
    rem = reminders(status, repo.plan)
    by = {r.id: [(it.kind, it.code, it.ref, it.unit) for it in r.items] for r in rem.recipients}
    assert by["office"] == [("task", "pending_review", "1.1", "office")]
    assert by["east"] == [("target", "off_track", "stations", "east")]
    assert by["west"] == [("filing", "upcoming", "2024-Q2", "west")]
    assert by["north"] == [("filing", "upcoming", "2024-Q2", "north"),
                           ("filing", "missing", "2024-Q1", "north")]
    # the maintainers see everything that needs the office, units' red rows, every unit
    # without a channel
    office = [(it.kind, it.code, it.ref, it.unit) for it in rem.recipient(MAINTAINERS).items]
    assert ("task", "pending_review", "1.1", None) in office
    assert ("filing", "missing", "2024-Q1", "north") in office
    assert ("target", "off_track", "stations", "east") in office
    assert [it.ref for it in rem.recipient(MAINTAINERS).items if it.kind == "setup"] == [
        "office", "east", "west", "north"]
    # every target item is a red or due-soon row of the engine, with its figures
    row = status.target("stations", "east")
    assert row is not None and light("target", row.status) == "red"
    [item] = rem.recipient("east").items
    assert (item.actual, item.expected, item.goal) == (row.actual, row.expected, row.goal)


def test_upcoming_filings_are_reminded_of_only_within_remind_days(tmp_path: Path):
    root = make_repo(tmp_path / "r", {})
    repo = load(root).repo
    assert repo is not None
    def upcoming(day: str, days: int | None = None) -> list[str]:
        rem = reminders(compute(repo, date.fromisoformat(day)), repo.plan, days)
        return [f"{it.unit} {it.ref}" for r in rem.recipients if r.id != MAINTAINERS
                for it in r.items if it.code == "upcoming"]
    assert upcoming("2024-07-04") == []  # 6 days before the due date
    assert upcoming("2024-07-05") == ["west 2024-Q2", "north 2024-Q2"]  # 5 days
    assert upcoming("2024-07-10") == ["west 2024-Q2", "north 2024-Q2"]  # the due date itself
    # east files on 07-05: on 07-04 its filing has not arrived yet
    assert upcoming("2024-07-04", days=6) == ["east 2024-Q2", "west 2024-Q2", "north 2024-Q2"]
    # reporting.remind_days in plan/targets.yaml sets the window
    targets = root / "plan/targets.yaml"
    targets.write_text(targets.read_text("utf-8").replace(
        "  due_days: 10\n", "  due_days: 10\n  remind_days: 1\n"), "utf-8")
    repo = load(root).repo
    assert repo is not None and repo.plan.reporting.remind_days == 1
    assert upcoming("2024-07-08") == []
    assert upcoming("2024-07-09") == ["west 2024-Q2", "north 2024-Q2"]


def test_a_task_without_a_lead_reminds_the_units_that_have_not_closed_it(tmp_path: Path):
    root = write_repo(tmp_path / "r", [
        ("east", "2025-Q4", filing_yaml("east", "2025-Q4", tasks={"S.1": ("done", True)})),
        ("west", "2025-Q4", filing_yaml("west", "2025-Q4", tasks={"S.1": ("in_progress", False)})),
    ])
    repo = load(root).repo
    assert repo is not None
    rem = reminders(compute(repo, date(2026, 1, 5)), repo.plan)
    holders = [r.id for r in rem.recipients
               if any(it.kind == "task" and it.ref == "S.1" for it in r.items)]
    assert holders == ["west", MAINTAINERS]


# --- the command: dry run -----------------------------------------------------------------


def test_dry_run_is_the_default_and_sends_nothing(tmp_path: Path):
    with json_server() as (url, inbox):
        root = make_repo(tmp_path / "r", {"east": [f"{url}/east"]}, [f"{url}/office"],
                         site_url="https://example.gov.cn/jidi/")
        result = run(root)
        assert result.exit_code == 0, result.output
        assert inbox.posts == []
    out = result.stdout
    assert "演练 dry run:未发送" in out
    assert "【督办提醒】东区" in out and "村级服务站 严重滞后" in out
    assert "详情:https://example.gov.cn/jidi/units/east.html" in out
    assert "== 北区 (north) → 未配置通知渠道" in out
    assert "【未报送】2024-Q1 期报送已于 2024-04-10 截止(逾期 88 天)" in out
    assert not (root / ".tracker").exists()  # a dry run records nothing


def test_json_output_lists_items_and_messages(tmp_path: Path):
    root = make_repo(tmp_path / "r", {"west": ["env:TRACKER_TEST_WEST"]})
    result = run(root, "--format", "json", env={"TRACKER_TEST_WEST": ""})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == DAY and data["remind_days"] == 5 and data["send"] is False
    west = next(r for r in data["recipients"] if r["id"] == "west")
    assert [i["reason"] for i in west["items"]] == ["filing:west:2024-Q2:upcoming"]
    assert west["title"] == "【督办提醒】西区"
    # an unset variable is named in a dry run, without failing it
    assert west["deliveries"] == [{"channel": "env:TRACKER_TEST_WEST", "result": "dry_run",
                                   "items": 1, "error": west["deliveries"][0]["error"]}]
    assert "TRACKER_TEST_WEST 未设置" in west["deliveries"][0]["error"]


def test_markdown_output_and_to_selects_recipients(tmp_path: Path):
    root = make_repo(tmp_path / "r", {})
    result = run(root, "--format", "markdown", "--to", "north", "--to", "maintainers")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith(f"# 督办提醒(截至 {DAY})")
    assert "## 北区 (north)" in md and "## 计划维护人(督办办公室)" in md
    assert "## 东区" not in md and "- 【未报送】2024-Q1" in md


def test_an_unknown_recipient_is_a_usage_error(tmp_path: Path):
    result = run(make_repo(tmp_path / "r", {}), "--to", "nowhere")
    assert result.exit_code == 2
    assert "nowhere" in result.output and "maintainers" in result.output


# --- the command: sending for real --------------------------------------------------------


def test_send_delivers_to_each_unit_exactly_its_own_items(tmp_path: Path):
    with json_server() as (url, inbox), smtp_server() as (port, mailbox):
        mail = f"mailto://127.0.0.1:{port}?from=tracker@example.com&mode=insecure&to="
        root = make_repo(tmp_path / "r", {
            "office": [f"{url}/office"],
            "east": [f"{url}/east"],
            "west": ["env:TRACKER_TEST_WEST"],
            "north": [mail + "north@example.com"],
        }, [f"{url}/maintainers", mail + "office@example.com"], site_url="https://x.example/t")
        env = {"TRACKER_TEST_WEST": f"{url}/west"}
        result = run(root, "--send", env=env)
        assert result.exit_code == 0, result.output + result.stderr
        [office] = inbox.to("/office")
        [east] = inbox.to("/east")
        [west] = inbox.to("/west")
        [summary] = inbox.to("/maintainers")
        [north] = mailbox.mail_to("north@example.com")
        [summary_mail] = mailbox.mail_to("office@example.com")
        assert len(inbox.posts) == 4 and len(mailbox.mails) == 2
    assert office["title"] == "【督办提醒】市示范办公室"
    assert "任务 1.1 建设服务站:2024-07-03 已申请销号,待审核" in office["message"]
    assert east["title"] == "【督办提醒】东区"
    assert east["message"].splitlines()[1:] == [
        "【红灯】村级服务站 严重滞后:实际 0,序时进度 2,目标 10个。",
        "详情:https://x.example/t/units/east.html",
    ]
    assert "2024-Q2 期报送于 2024-07-10 截止,还有 3 天" in west["message"]
    assert "东区" not in west["message"] and "北区" not in west["message"]
    assert north["Subject"] == "【督办提醒】北区"
    body = mail_text(north)
    assert "【待报送】2024-Q2" in body and "【未报送】2024-Q1" in body and "东区" not in body
    assert summary["title"] == f"【督办汇总】截至 {DAY}"
    assert "【未报送】1 份:北区 2024-Q1" in summary["message"]
    assert "【待审核销号】1 项" in summary["message"]
    assert mail_text(summary_mail).splitlines() == summary["message"].splitlines()
    assert "已发送 6,今日已发送(跳过)0,失败 0" in result.stdout
    state = (root / ".tracker/remind-state.json").read_text("utf-8")
    assert "filing:north:2024-Q1:missing" in state
    assert url not in state and "127.0.0.1" not in state  # channels are recorded by hash only


def test_the_same_reason_is_never_sent_twice_on_one_day(tmp_path: Path):
    with json_server() as (url, inbox):
        root = make_repo(tmp_path / "r", {"north": [f"{url}/north"]})
        assert run(root, "--send").exit_code == 0
        again = run(root, "--send")
        assert again.exit_code == 0, again.output
        assert len(inbox.to("/north")) == 1
        assert "今日已发送,跳过" in again.stdout
        # the next day is another day: reminded again
        nextday = CliRunner().invoke(cli, ["remind", "--root", str(root), "--as-of",
                                           "2024-07-08", "--send"])
        assert nextday.exit_code == 0, nextday.output
        assert len(inbox.to("/north")) == 2


def test_only_new_reasons_are_sent_later_the_same_day(tmp_path: Path):
    with json_server() as (url, inbox):
        root = make_repo(tmp_path / "r", {"east": [f"{url}/east"]})
        assert run(root, "--send").exit_code == 0
        # later that day a new reason appears (east's 2024-Q1 filing is gone: now missing)
        (root / "submissions/east/2024-Q1.yaml").unlink()
        assert run(root, "--send").exit_code == 0
        first, second = inbox.to("/east")
    assert "【红灯】村级服务站" in first["message"]
    assert "【未报送】2024-Q1" in second["message"] and "村级服务站" not in second["message"]


def test_a_failing_channel_does_not_stop_the_others_and_is_named(tmp_path: Path):
    with json_server() as (url, inbox), json_server(status=500) as (broken, _):
        root = make_repo(tmp_path / "r", {
            "east": [f"{broken}/east", f"{url}/east"],
            "west": ["env:TRACKER_TEST_WEST"],
            "north": [f"{url}/north"],
        })
        result = run(root, "--send", env={"TRACKER_TEST_WEST": ""})
        assert result.exit_code == 1
        assert len(inbox.to("/east")) == 1 and len(inbox.to("/north")) == 1
        assert "发送失败 failed: east json://127.0.0.1" in result.stderr
        assert "发送失败 failed: west env:TRACKER_TEST_WEST:环境变量 TRACKER_TEST_WEST 未设置" \
            in result.stderr
        # a re-run with the secret set sends to the channels that failed, and only to them
        retry = run(root, "--send", env={"TRACKER_TEST_WEST": f"{url}/west"})
        assert retry.exit_code == 1  # the broken server still fails
        assert len(inbox.to("/west")) == 1
        assert len(inbox.to("/east")) == 1 and len(inbox.to("/north")) == 1


def test_secrets_are_never_printed(tmp_path: Path):
    secret = "SECRETTOKEN0123456789"
    with json_server(status=500) as (broken, _):
        root = make_repo(tmp_path / "r", {"west": ["env:TRACKER_TEST_WEST"],
                                          "north": ["json://127.0.0.1:9/${TRACKER_TEST_PATH}"]})
        env = {"TRACKER_TEST_WEST": f"{broken}/{secret}", "TRACKER_TEST_PATH": secret + "X"}
        for args in ((), ("--send",), ("--send", "--format", "json"),
                     ("--format", "markdown")):
            result = run(root, *args, env=env)
            assert secret not in result.stdout + result.stderr, args
        sent = run(root, "--send", "--as-of", "2024-07-08", env=env)
    assert sent.exit_code == 1
    assert "json://127.0.0.1:9/${TRACKER_TEST_PATH}" in sent.stderr


def test_a_literal_url_is_shown_masked(tmp_path: Path):
    root = make_repo(tmp_path / "r", {"east": ["json://user:hunter2pass@127.0.0.1:9/east"]})
    result = run(root)
    assert result.exit_code == 0
    assert "hunter2pass" not in result.stdout
    assert "json://user:****@127.0.0.1:9/east" in result.stdout


def test_a_broken_state_file_stops_sending(tmp_path: Path):
    with json_server() as (url, inbox):
        root = make_repo(tmp_path / "r", {"east": [f"{url}/east"]})
        state = tmp_path / "state.json"
        state.write_text("{not json", "utf-8")
        result = run(root, "--send", "--state", str(state))
        assert result.exit_code == 2
        assert "提醒记录文件" in result.output and inbox.posts == []
        state.unlink()
        assert run(root, "--send", "--state", str(state)).exit_code == 0
        assert json.loads(state.read_text("utf-8"))["sent"][DAY]["east"]


# --- configuration ------------------------------------------------------------------------


def test_a_channel_of_the_wrong_form_is_a_schema_error_with_a_hint(tmp_path: Path):
    root = make_repo(tmp_path / "r", {"east": ["dingtalk token abc"]})
    result = CliRunner().invoke(cli, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert "notify" in result.output and "[schema-pattern]" in result.output
    assert "通知渠道" in result.output


@pytest.mark.parametrize("value", ["https://example.gov.cn/jidi/", "http://10.0.0.1/t"])
def test_site_url_is_accepted(tmp_path: Path, value: str):
    root = make_repo(tmp_path / "r", {}, site_url=value)
    assert load(root).repo.config.site_url == value  # type: ignore[union-attr]
    bad = make_repo(tmp_path / "b", {})
    (bad / "tracker.yaml").write_text("site_url: example.gov.cn\n", "utf-8")
    result = CliRunner().invoke(cli, ["validate", "--root", str(bad)])
    assert result.exit_code == 1 and "site_url" in result.output


def test_control_characters_from_the_plan_reach_no_message(tmp_path: Path):
    root = make_repo(tmp_path / "r", {})
    units = root / "plan/units.yaml"
    units.write_text(units.read_text("utf-8").replace("short: 北区", 'short: "北\\e]0;x\\a区\\u202e"'),
                     "utf-8")
    result = run(root, "--format", "json")
    assert result.exit_code == 0, result.output
    assert not any(ch in result.stdout for ch in ("\x1b", "\x07", "\u202e", "\\u001b"))
    north = next(r for r in json.loads(result.stdout)["recipients"] if r["id"] == "north")
    assert north["title"] == "【督办提醒】北]0;x区"


def test_a_name_in_the_plan_cannot_mention_everyone_in_a_chat(tmp_path: Path):
    # Feishu reads <at user_id="all"></at> in a robot's text message as @所有人 (WeCom and
    # DingTalk take mentions from separate fields only): a unit's name or a target's title
    # must not notify a whole group.
    root = make_repo(tmp_path / "r", {})
    units = root / "plan/units.yaml"
    units.write_text(units.read_text("utf-8").replace(
        "short: 北区", 'short: "北区<at user_id=\\"all\\">所有人</at>< AT id=all></AT>"'), "utf-8")
    result = run(root, "--format", "json")
    assert result.exit_code == 0, result.output
    recipients = json.loads(result.stdout)["recipients"]
    texts = [r["title"] + "\n" + r["body"] for r in recipients]
    assert any("所有人" in t for t in texts)
    assert not any(re.search(r"<\s*at\b", t, re.I) for t in texts), texts
