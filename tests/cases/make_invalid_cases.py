"""Regenerates tests/cases/invalid/: one folder per invalid example (run from anywhere)."""
import json
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent
base = ROOT / 'base'
E1 = (base/'submissions/east/2024-Q1.yaml').read_text()
E2 = (base/'submissions/east/2024-Q2.yaml').read_text()
W1 = (base/'submissions/west/2024-Q1.yaml').read_text()
REG = (base/'submissions/east/registers/stations.yaml').read_text()
UNITS = (base/'plan/units.yaml').read_text()
TASKS = (base/'plan/tasks.yaml').read_text()
TARGETS = (base/'plan/targets.yaml').read_text()

def line_of(text, needle, nth=1):
    count = 0
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            count += 1
            if count == nth:
                return i
    raise SystemExit(f'needle {needle!r} not found')

cases = []
def case(name, rule, file, content=None, needle=None, line=None, files=None, **extra):
    files = dict(files or {})
    if content is not None:
        files[file] = content
    if line is None:
        text = files.get(file)
        line = line_of(text if isinstance(text, str) else text.decode('utf-8','replace'), needle) if needle else 0
    cases.append((name, dict(rule=rule, file=file, line=line, **extra), files))

W2 = 'submissions/west/2024-Q2.yaml'
w2 = textwrap.dedent('''\
    unit: west
    period: 2024-Q2
    as_of: 2024-06-30
    reported_on: 2024-07-05
    revision: 1
    targets:
      stations:
        value: 2
        note: 新建服务站
    tasks:
      "1.1":
        progress: in_progress
        summary: 推进中
    ''')
# --- reading files
case('encoding-gbk', 'encoding-gbk', W2, w2.encode('gbk'), line=line_of(w2, '新建'))
case('encoding-utf16', 'encoding-utf16', W2, w2.encode('utf-16'), line=1)
case('encoding-invalid', 'encoding-invalid', W2, w2.encode() + b'  # \xff\xff\n', line=w2.count('\n') + 1)
case('yaml-syntax', 'yaml-syntax', W2, w2.replace('    note: 新建服务站', '   note: 新建服务站'), needle='note:')
case('yaml-syntax-tab', 'yaml-syntax', W2, w2.replace('    note: 新建服务站', '\tnote: 新建服务站'), needle='note:')
case('yaml-duplicate-key', 'yaml-duplicate-key', W2, w2.replace('revision: 1\n', 'revision: 1\nas_of: 2024-06-29\n'), needle='as_of: 2024-06-29')
case('yaml-anchor', 'yaml-anchor', W2, w2.replace('value: 2', 'value: &n 2'), needle='&n')
case('yaml-alias', 'yaml-anchor', W2, w2.replace('value: 2', 'value: &n 2').replace('revision: 1', 'revision: *n'), needle='revision')
case('yaml-tag', 'yaml-tag', W2, w2.replace('value: 2', 'value: !!str 2'), needle='!!str')
case('yaml-key-type', 'yaml-key-type', W2, w2.replace('"1.1":', '1.1:'), needle='1.1:')
case('yaml-key-type-bool', 'yaml-key-type', W2, w2.replace('tasks:', 'tasks:\n  true: x'), needle='true: x')
case('yaml-multiple-documents', 'yaml-multiple-documents', W2, w2 + '---\nunit: west\n', needle='---')
case('yaml-empty', 'yaml-empty', W2, '# 只有注释\n', line=1)
case('file-too-large', 'file-too-large', W2, w2 + '# ' + 'x' * 5000 + '\n', line=0, args=['--max-file-size', '4096'])
case('file-symlink', 'file-symlink', W2, line=0, symlinks={W2: '../east/2024-Q1.yaml'})
case('file-unexpected', 'file-unexpected', 'submissions/west/2024-Q2.yml', w2, line=0, severity='warning')
# A YAML file in a place tracker never reads (a misspelled folder): never counted, so said
case('file-misplaced', 'file-misplaced', 'submission/west/2024-Q2.yaml', w2, line=0, severity='warning')
# A named file the run does not read: in no place tracker reads, or in a repository nested inside
case('file-not-checked', 'file-not-checked', 'notes/2024-Q2.yaml', w2, line=0, args=['notes/2024-Q2.yaml'])
case('file-not-checked-nested-repository', 'file-not-checked', 'demo/submissions/west/2024-Q2.yaml', w2,
     line=0, files={'demo/tracker.yaml': 'plan: ../plan\n'}, args=['demo/submissions/west/2024-Q2.yaml'])
# --- schema
case('schema-required', 'schema-required', W2, w2.replace('as_of: 2024-06-30\n', ''), line=1)
case('schema-unknown-key', 'schema-unknown-key', W2, w2.replace('value: 2', 'vaule: 2'), needle='vaule')
case('schema-type-quoted-number', 'schema-type', W2, w2.replace('value: 2', 'value: "2"'), needle='value:')
case('schema-type-float', 'schema-type', W2, w2.replace('value: 2', 'value: 2.5'), needle='value:')
case('schema-type-whole-float', 'schema-type', W2, w2.replace('value: 2', 'value: 2.0'), needle='value:')
case('schema-type-leading-zero', 'schema-type', W2, w2.replace('value: 2', 'value: 010'), needle='value:')
case('schema-type-yaml11-bool', 'schema-enum', W2, w2.replace('progress: in_progress', 'progress: on'), needle='progress')
case('schema-type-sexagesimal', 'schema-pattern', W2, w2.replace('reported_on: 2024-07-05', 'reported_on: 12:30'), needle='reported_on')
case('schema-enum', 'schema-enum', W2, w2.replace('progress: in_progress', 'progress: finished'), needle='progress')
case('schema-pattern', 'schema-pattern', W2, w2.replace('unit: west', 'unit: West'), needle='unit:')
case('schema-format', 'schema-format', W2, w2.replace('as_of: 2024-06-30', 'as_of: 2024-02-30'), needle='as_of')
case('schema-minimum', 'schema-minimum', W2, w2.replace('value: 2', 'value: -1'), needle='value:')
case('schema-empty', 'schema-empty', W2, w2.replace('revision: 1', 'revision: 2\namendment_reason: ""'), needle='amendment_reason')
case('schema-unique', 'schema-unique', 'plan/tasks.yaml', TASKS.replace('units: [east, west]', 'units: [east, west, east]'), needle='units: [east, west, east]')
case('schema-evidence', 'schema-evidence', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 照片, path: evidence/east/2024-Q2/photo.txt, url: "https://a.example.invalid"}'), needle='- {title')
case('schema-invalid', 'schema-invalid', 'plan/targets.yaml', TARGETS.replace('per_unit: {min: 1}', 'per_unit: {min: 1, from: villages}'), needle='per_unit: {min: 1, from')
case('schema-type-task-id-float', 'yaml-key-type', W2, w2.replace('"1.1":', '1.10:'), needle='1.10:')
# --- plan
case('plan-missing', 'plan-missing', 'plan/tasks.yaml', line=0, remove=['plan/tasks.yaml'])
case('plan-duplicate-id', 'plan-duplicate-id', 'plan/tasks.yaml', TASKS.replace('id: "1.2"', 'id: "1.1"'), needle='id: "1.1"', line=None)
cases[-1][1]['line'] = line_of(TASKS.replace('id: "1.2"', 'id: "1.1"'), 'id: "1.1"', 2)
case('plan-unknown-unit', 'plan-unknown-unit', 'plan/tasks.yaml', TASKS.replace('units: [east, west]', 'units: [east, nowhere]'), needle='nowhere')
case('plan-unknown-group-member', 'plan-unknown-unit', 'plan/units.yaml', UNITS.replace('members: [east, west]', 'members: [east, west, south]'), needle='south')
case('plan-unknown-task', 'plan-unknown-task', 'plan/targets.yaml', TARGETS.replace('task: "1.2"', 'task: "9.9"'), needle='9.9')
case('plan-unknown-target', 'plan-unknown-target', 'plan/targets.yaml', TARGETS.replace('{target: centres', '{target: centers'), needle='centers')
case('plan-milestone-order', 'plan-milestone-order', 'plan/targets.yaml', TARGETS.replace('{by: 2025-12-31, value: 16}', '{by: 2024-06-30, value: 16}'), needle='2024-06-30, value: 16')
case('plan-date-range', 'plan-date-range', 'plan/targets.yaml', TARGETS.replace('{by: 2025-12-31, value: 16}', '{by: 2026-12-31, value: 16}'), needle='2026-12-31')
case('plan-timezone', 'plan-timezone', 'plan/tasks.yaml', TASKS.replace('  end: 2025-12-31\n', '  end: 2025-12-31\n  timezone: Asia/Shangai\n'), needle='timezone')
case('plan-count-missing', 'plan-count-missing', 'plan/units.yaml', UNITS.replace('    counts: {villages: 6}\n', ''), line=0, severity='warning')
cases[-1][1]['file'] = 'plan/targets.yaml'
cases[-1][1]['line'] = line_of(TARGETS, 'per_unit: {from: villages}')
case('plan-allocation-not-reporting', 'plan-allocation-not-reporting', 'plan/targets.yaml', TARGETS.replace('per_unit: {min: 1}', 'per_unit: {allocations: {east: 1, west: 1, office: 1}}'), needle='allocations', severity='warning')
case('config-invalid', 'config-invalid', 'tracker.yaml', 'demo: false\ncounts:\n  south: {villages: 3}\n', needle='south')
case('config-schema', 'schema-type', 'tracker.yaml', 'demo: maybe\n', needle='demo')
# --- filings
case('filing-unknown-unit', 'filing-unknown-unit', 'submissions/north/2024-Q1.yaml', W1.replace('unit: west', 'unit: north'), needle='unit:')
case('filing-unit-mismatch', 'filing-unit-mismatch', W2, w2.replace('unit: west', 'unit: east'), needle='unit:')
case('filing-period-mismatch', 'filing-period-mismatch', W2, w2.replace('period: 2024-Q2', 'period: 2024-Q3').replace('2024-06-30', '2024-09-30'), needle='period:')
case('filing-period-cadence', 'filing-period-cadence', 'submissions/west/2024-05.yaml', w2.replace('period: 2024-Q2', 'period: 2024-05').replace('2024-06-30', '2024-05-31'), needle='period:')
case('filing-period-outside-plan', 'filing-period-outside-plan', 'submissions/west/2023-Q4.yaml', W1.replace('period: 2024-Q1', 'period: 2023-Q4').replace('as_of: 2024-03-31', 'as_of: 2023-12-31').replace('2024-04-02', '2024-01-05'), needle='period:')
case('filing-as-of-outside-period', 'filing-as-of-outside-period', W2, w2.replace('as_of: 2024-06-30', 'as_of: 2024-07-01').replace('2024-07-05', '2024-07-06'), needle='as_of')
case('filing-reported-before-as-of', 'filing-reported-before-as-of', W2, w2.replace('reported_on: 2024-07-05', 'reported_on: 2024-06-01'), needle='reported_on', severity='warning')
case('filing-amendment-reason', 'filing-amendment-reason', W2, w2.replace('revision: 1', 'revision: 2'), needle='revision')
case('filing-target-not-reported', 'filing-target-not-reported', 'submissions/office/2024-Q3.yaml', 'unit: office\nperiod: 2024-Q3\nas_of: 2024-09-30\nreported_on: 2024-10-05\nrevision: 1\ntargets:\n  stations:\n    value: 1\n', needle='stations')
case('filing-task-not-named', 'filing-task-not-named', 'submissions/office/2024-Q3.yaml', 'unit: office\nperiod: 2024-Q3\nas_of: 2024-09-30\nreported_on: 2024-10-05\nrevision: 1\ntasks:\n  "1.2":\n    progress: in_progress\n    summary: 标准编制中\n', needle='"1.2"')
case('filing-unknown-task', 'plan-unknown-task', W2, w2.replace('"1.1":', '"7.7":'), needle='"7.7"')
case('filing-unknown-target', 'plan-unknown-target', W2, w2.replace('  stations:', '  stationz:'), needle='stationz')
case('filing-value-decreased', 'filing-value-decreased', W2, w2.replace('value: 2', 'value: 0'), needle='value:', severity='warning')
case('evidence-missing', 'evidence-missing', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 照片, path: evidence/west/none.pdf}'), needle='none.pdf')
case('evidence-outside-repo', 'evidence-outside-repo', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 照片, path: ../../../../etc/passwd}'), needle='passwd')
case('evidence-absolute', 'evidence-outside-repo', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 照片, path: /etc/passwd}'), needle='passwd')
case('evidence-symlink', 'evidence-symlink', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 照片, path: evidence/west/link.txt}'), needle='link.txt', symlinks={'evidence/west/link.txt': '../east/2024-Q2/photo.txt'})
case('evidence-hidden', 'evidence-hidden', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 配置, path: .git/config}'), needle='.git/config')
case('evidence-file-type', 'evidence-file-type', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 网页, path: evidence/west/page.html}'), needle='page.html', files={'evidence/west/page.html': '<p>网页</p>\n'}, severity='warning')
case('evidence-url-not-https', 'evidence-url-not-https', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 报道, url: "http://news.example.invalid/x"}'), needle='http://')
case('evidence-javascript-url', 'evidence-url-not-https', W2, w2.replace('    note: 新建服务站', '    evidence:\n      - {title: 报道, url: "javascript:alert(1)"}'), needle='javascript')
case('yaml-too-deep', 'yaml-too-deep', W2, w2.replace('    note: 新建服务站', '    note: ' + '[' * 100 + ']' * 100), needle='[[[')
# --- registers
RP = 'submissions/east/registers/stations.yaml'
case('register-unit-mismatch', 'register-unit-mismatch', RP, REG.replace('unit: east', 'unit: west'), needle='unit:')
case('register-target-mismatch', 'register-target-mismatch', RP, REG.replace('target: stations', 'target: centres'), needle='target:')
case('register-duplicate-code', 'register-duplicate-code', RP, REG.replace('"330901003"', '"330901002"'), needle='"330901002"', line=None)
cases[-1][1]['line'] = line_of(REG.replace('"330901003"', '"330901002"'), '"330901002"', 2)
case('register-duplicate-code-across-units', 'register-duplicate-code', 'submissions/west/registers/stations.yaml', 'unit: west\ntarget: stations\nitems:\n  - {code: "330901001", name: 西一村服务站, opened: 2024-01-10}\n', needle='330901001')
case('register-code-region', 'register-code-region', RP, REG.replace('"330901003"', '"330902003"'), needle='330902003')
case('register-closed-before-opened', 'register-closed-before-opened', RP, REG.replace('closed: 2024-03-20', 'closed: 2024-02-20'), needle='closed')
case('register-count-mismatch', 'register-count-mismatch', 'submissions/east/2024-Q1.yaml', E1.replace('value: 2\n', 'value: 5\n'), needle='value: 5')

# --- reviews (销号 by review)
TASKS_REVIEW = TASKS.replace('  end: 2025-12-31\n', '  end: 2025-12-31\n  closure: review\n', 1)
def review(task, *decisions):
    items = ''.join(f'  - on: {on}\n    decision: {d}\n    note: 复核意见\n' for on, d in decisions)
    return f'task: "{task}"\ndecisions:\n{items}'
R_OK = review('1.2', ('2024-07-20', 'approved'))
case('review-task-mismatch', 'review-task-mismatch', 'reviews/1.2.yaml', review('1.1', ('2024-07-20', 'approved')), needle='task:', files={'plan/tasks.yaml': TASKS_REVIEW})
case('review-unknown-task', 'review-unknown-task', 'reviews/1.3.yaml', review('1.3', ('2024-07-20', 'approved')), needle='task:', files={'plan/tasks.yaml': TASKS_REVIEW})
case('review-date-range', 'review-date-range', 'reviews/1.2.yaml', review('1.2', ('2023-12-20', 'approved')), needle='2023-12-20', files={'plan/tasks.yaml': TASKS_REVIEW})
case('review-out-of-order', 'review-out-of-order', 'reviews/1.2.yaml', review('1.2', ('2024-07-20', 'returned'), ('2024-07-15', 'approved')), needle='2024-07-15', files={'plan/tasks.yaml': TASKS_REVIEW}, severity='warning')
case('review-before-claim', 'review-before-claim', 'reviews/1.2.yaml', review('1.2', ('2024-07-01', 'approved')), needle='2024-07-01', files={'plan/tasks.yaml': TASKS_REVIEW}, severity='warning')
case('review-closure-self', 'review-closure-self', 'reviews/1.2.yaml', R_OK, needle='task:', severity='warning')
case('review-schema', 'schema-enum', 'reviews/1.2.yaml', R_OK.replace('approved', 'accepted'), needle='decision:', files={'plan/tasks.yaml': TASKS_REVIEW})
case('plan-thresholds', 'plan-thresholds', 'plan/targets.yaml', TARGETS.replace('  lagging: 0.8\n', '  points: {lagging: 30, off_track: 10}\n'), needle='points:')
case('schema-too-long', 'schema-too-long', W2, w2.replace('summary: 推进中', 'summary: ' + '很长的说明' * 2001), needle='很长的说明')
case('schema-task-key-pattern', 'schema-pattern', W2, w2.replace('"1.1":', 'one:'), needle='one:')
inv = ROOT / 'invalid'
if inv.exists():
    shutil.rmtree(inv)
for name, meta, files in cases:
    d = inv / name
    d.mkdir(parents=True)
    for rel, content in files.items():
        p = d / 'files' / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding='utf-8')
    lines = [f'# 无效示例 invalid case: {name}', f'rule: {meta.pop("rule")}', f'file: {meta.pop("file")}', f'line: {meta.pop("line")}']
    for k, v in meta.items():
        lines.append(f'{k}: {json.dumps(v, ensure_ascii=False)}')
    (d / 'case.yaml').write_text('\n'.join(lines) + '\n', encoding='utf-8')
print(len(cases), 'cases')
