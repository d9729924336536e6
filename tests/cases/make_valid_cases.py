"""Regenerates tests/cases/valid/ (run from anywhere)."""
import textwrap
from pathlib import Path

V = Path(__file__).resolve().parent / 'valid'
def write(case, rel, content, note):
    p = V / case / 'files' / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    p.write_bytes(content)
    (V / case / 'case.yaml').write_text(f'# 有效示例 valid case: {case}\ndescription: "{note}"\n', encoding='utf-8')
w2 = textwrap.dedent('''\
    # 西区 2024 年第二季度报送
    unit: west
    period: 2024-Q2
    as_of: 2024-06-30
    reported_on: 2024-07-05
    revision: 1
    targets:
      stations:
        value: 2   # 累计值
        note: 新建服务站
    tasks:
      "1.1":
        progress: in_progress
        summary: 推进中
    ''')
write('bom-and-crlf', 'submissions/west/2024-Q2.yaml', b'\xef\xbb\xbf' + w2.replace('\n', '\r\n').encode(), 'Windows Notepad writes a BOM and CRLF line endings: both are fine.')
write('yaml11-words-stay-text', 'submissions/west/2024-Q2.yaml', w2.replace('note: 新建服务站', 'note: NO').replace('summary: 推进中', 'summary: on'), 'NO and on are plain text under YAML 1.2, not booleans.')
write('chinese-evidence-path', 'submissions/west/2024-Q2.yaml', w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 验收材料, path: "evidence/west/2024-Q2/验收 材料.txt"}'), 'Evidence file names may be Chinese and contain spaces.')
write('chinese-evidence-path', 'evidence/west/2024-Q2/验收 材料.txt', '佐证材料(测试)\n', 'Evidence file names may be Chinese and contain spaces.')
write('literal-blocks', 'submissions/west/2024-Q2.yaml', w2.replace('summary: 推进中', 'summary: |\n      第一行: 含冒号\n      # 不是注释\n      第三行'), 'Multi-line text in a literal block keeps colons and # as text.')

TASKS = (V.parent / 'base/plan/tasks.yaml').read_text('utf-8')
write('review-closure', 'plan/tasks.yaml', TASKS.replace('  end: 2025-12-31\n', '  end: 2025-12-31\n  closure: review\n', 1), 'closure: review with a decision that answers the lead\'s claim.')
write('review-closure', 'reviews/1.2.yaml', 'task: "1.2"\ndecisions:\n  - on: 2024-07-20\n    decision: returned\n    note: 缺少验收文件\n  - on: 2024-07-20\n    decision: approved   # 同日补齐材料\n    note: 材料齐全,同意销号\n', 'closure: review with decisions that answer the lead\'s claim.')
