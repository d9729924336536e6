"""Re-take the filing page screenshots in docs/img/ (needs fonts-noto-cjk for Chinese):
    .venv/bin/python docs/img/filing_screenshots.py"""
import shutil, sys
from datetime import date
from pathlib import Path
sys.path.insert(0, ".")
from tests.test_filing_page import make_repo
from tests.site_helpers import build
from playwright.sync_api import sync_playwright
import tempfile
tmp = Path(tempfile.mkdtemp(prefix="filing-shots-")); shutil.rmtree(tmp, ignore_errors=True); tmp.mkdir()
root = make_repo(tmp / "repo")
build(root, tmp / "site", date(2024, 6, 30), provenance=False)
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless","--no-sandbox","--disable-gpu"])
    page = b.new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
    hide = ".md-header, .md-tabs, .md-sidebar--secondary { display: none !important; }"
    def shot(path, first, last=None, height=None):
        a = page.locator(first).first.bounding_box()
        z = page.locator(last).first.bounding_box() if last else a
        sy = page.evaluate("window.scrollY"); a = dict(a, y=a["y"] + sy); bottom = z["y"] + sy + z["height"]
        h = (bottom - a["y"] + 16) if height is None else height
        page.screenshot(path=path, full_page=True,
                        clip={"x": a["x"] - 8, "y": a["y"] - 8, "width": a["width"] + 16, "height": h})
    page.goto((tmp / "site/file/nantaihu.html").as_uri())
    page.add_style_tag(content=hide)
    page.select_option("#tk-period", "2024-Q1")
    page.fill("#tk-reported-on", "2024-04-09")
    page.locator('[data-path="targets/transfer-centres/value"]').fill("0.5")
    page.locator('[data-path="targets/village-service-points/value"]').fill("45")
    page.locator('[data-path="tasks/1.2/summary"]').fill("新建村级寄递物流服务点 3 个,完成 2 个乡镇转运中心改造。")
    shot("docs/img/filing-form.png", ".md-content h1", "#tk-filing")
    shot("docs/img/filing-errors.png", '[data-target="village-service-points"]', '[data-target="transfer-centres"]')
    shot("docs/img/filing-output.png", ".tk-f-out", height=560)
    page.goto((tmp / "site/file/anji.html").as_uri())
    page.add_style_tag(content=hide)
    page.fill("#tk-reason", "更正:复核发现住宅小区驿站少报 2 个")
    page.locator('[data-path="targets/residential-stations/value"]').fill("132")
    shot("docs/img/filing-amend.png", "#tk-filing")
    b.close()
