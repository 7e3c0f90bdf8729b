"""`dlx report`: report.md with working relative links and empty 要点 / 考察, and report.html in a real browser.

The browser test drives Debian's Chromium through its chromedriver (the
WebDriver protocol, spoken over HTTP on loopback with the standard library):
headless, no sandbox, no network services, a fresh profile. It is skipped
where Chromium or its driver is not installed (`.ci/run` installs both when
it can).
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from dl_exercises.cli.app import app
from dl_exercises.glossary import has_japanese

RUNS = ("day1.activations", "day1.sgd", "day4.detection_metrics")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three smoke runs written in Japanese, and one in English."""
    from dl_exercises.registry import get_exercise
    from dl_exercises.runner import run_exercise

    base = tmp_path_factory.mktemp("runs")
    for exercise_id in RUNS:
        run_exercise(get_exercise(exercise_id), budget="smoke", out=base / "ja" / exercise_id, lang="ja",
                     tensorboard=False)
    run_exercise(get_exercise("day1.activations"), budget="smoke", out=base / "en" / "day1.activations", lang="en",
                 tensorboard=False)
    return base


@pytest.fixture(scope="module")
def report(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(app, ["report", *(str(runs / "ja" / i) for i in RUNS), "--lang", "ja", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _tokens(markdown: str):
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(markdown)


def _links(tokens):
    for token in tokens:
        for child in [token, *(token.children or [])]:
            if child.type == "link_open":
                yield child.attrGet("href")
            elif child.type == "image":
                yield child.attrGet("src")


def test_markdown_links_resolve_beside_the_report(report):
    md = (report / "report.md").read_text(encoding="utf-8")
    targets = list(_links(_tokens(md)))
    images = [t for t in targets if t.endswith(".png")]
    assert len(images) >= 3, "every run's figures are linked"
    for target in targets:
        assert "://" not in target and not target.startswith("/"), target  # relative, so it renders on GitHub as is
        assert (report / unquote(target)).is_file(), f"broken link: {target}"
    assert all(t.startswith("figures/") for t in images)


def test_markdown_has_the_runs_and_leaves_summary_and_thoughts_empty(report):
    md = (report / "report.md").read_text(encoding="utf-8")
    tokens = _tokens(md)
    headings = [(tokens[i].tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    texts = [text for _, text in headings]
    assert texts[0] == "実装演習レポート"
    assert texts.count("要点") == texts.count("考察") == len({"Day1 Section2", "Day1 Section4", "Day4 Section6"})
    for i, token in enumerate(tokens):  # nothing a reader sees between 要点/考察 and the next heading
        if token.type == "heading_open" and tokens[i + 1].content in ("要点", "考察"):
            j = i + 3
            while j < len(tokens) and tokens[j].type != "heading_open":
                assert tokens[j].type == "html_block" and tokens[j].content.startswith("<!--"), tokens[j]
                j += 1
    assert any(text.startswith("`day1.sgd`") for text in texts)
    assert "確認テスト" in texts  # the checks these exercises answer
    assert "dlx run day1.sgd --budget smoke" in md or "dl_exercises.run('day1.sgd'" in md
    assert "自分の言葉で書いてください" in md  # says so at the top
    assert "`gradient_descent_code`" in md and "該当するソースコードを探してみよう" in md
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) >= 3


def test_html_is_one_self_contained_page(report):
    page = (report / "report.html").read_text(encoding="utf-8")
    assert "<html lang='ja'>" in page
    assert " src='data:image/png;base64," in page and "src='figures/" not in page
    assert "http://" not in page and "https://" not in page
    assert "@font-face" in page  # the Japanese glyphs of the page travel with it


def test_a_report_in_another_language_than_the_runs_is_refused(runs, tmp_path):
    result = CliRunner().invoke(app, ["report", str(runs / "en" / "day1.activations"), "--lang", "ja",
                                      "--out", str(tmp_path)])
    assert result.exit_code == 2 and "dlx --lang ja run" in result.stderr
    english = CliRunner().invoke(app, ["report", str(runs / "en"), "--out", str(tmp_path)])
    assert english.exit_code == 0, english.output
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Implementation exercises") and "要点" in md and "考察" in md


def test_report_command_checks_its_paths(tmp_path):
    result = CliRunner().invoke(app, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


# --- in a real browser ---------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,2000"]


def _chromium() -> tuple[str, str]:
    binary = next((p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "",
                               shutil.which("chromium-browser") or "") if p and os.path.exists(p)), None)
    driver = shutil.which("chromedriver") or ("/usr/lib/chromium/chromedriver"
                                              if os.path.exists("/usr/lib/chromium/chromedriver") else None)
    if not binary or not driver:
        pytest.skip("Chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)")
    return binary, driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few WebDriver commands the test needs, over HTTP to a chromedriver on a loopback port."""

    def __init__(self, binary: str, driver: str, profile: str) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen([driver, f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                self._call("GET", "/status")
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.process.kill()
                    pytest.skip("chromedriver did not start")
                time.sleep(0.2)
        options = {"binary": binary, "args": CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]}
        session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}})
        self.session = session["sessionId"]

    def _call(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())["value"]

    def command(self, method: str, path: str, body: dict | None = None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def close(self) -> None:
        try:
            self._call("DELETE", f"/session/{self.session}")
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)


def test_report_html_in_headless_chromium(report):
    binary, driver = _chromium()
    with tempfile.TemporaryDirectory() as profile:
        browser = WebDriver(binary, driver, profile)
        try:
            browser.command("POST", "/url", {"url": (report / "report.html").resolve().as_uri()})
            state = browser.command("POST", "/execute/async", {"script": """
                const done = arguments[arguments.length - 1];
                document.fonts.ready.then(() => done({
                    images: Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]),
                    headings: Array.from(document.querySelectorAll('h1, h2, h3, h4')).map(h => h.innerText),
                    text: document.body.innerText,
                    font: Array.from(document.fonts).filter(f => f.family.includes('dlx-ja')).map(f => f.status),
                    japaneseFits: document.fonts.check('16px "dlx-ja"', '実装演習レポート'),
                    height: document.body.scrollHeight}));""", "args": []})
            screenshot = base64.b64decode(browser.command("GET", "/screenshot"))
        finally:
            browser.close()
    assert state["images"] and all(ok and w > 0 and h > 0 for ok, w, h in state["images"]), state["images"]
    assert state["headings"][0] == "実装演習レポート"
    assert {"要点", "考察", "実装演習", "確認テスト"} <= set(state["headings"])
    assert has_japanese(state["text"]) and "dlx の根拠" in state["text"]
    assert state["font"] == ["loaded"] and state["japaneseFits"]
    _assert_not_blank(screenshot)


def _assert_not_blank(png: bytes) -> None:
    """The screenshot shows laid-out text and figures: many dark pixels, many distinct colours."""
    import numpy as np
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png), format="png")[..., :3]
    dark = float((pixels.mean(axis=2) < 0.5).mean())
    colours = len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert pixels.shape[0] > 200 and pixels.shape[1] > 200
    assert dark > 0.005 and colours > 50, (dark, colours)
