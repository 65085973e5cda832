"""What a student controls cannot reach outside the report: text is escaped, the renderer
loads only `templates/` and the run's own plots, and a glyph no font has fails the render."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graders.report import samples
from graders.report.feedback_readback import pdftotext
from graders.report.render import (
    MissingGlyphError,
    _fetcher_for,
    html_to_pdf,
    render_student_report,
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(Path(__file__).read_bytes()[:10])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request (an "external URL" that cannot leak)."""
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counter.hits
    finally:
        httpd.shutdown()


def _image_count(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return sum(len(page.images) for page in doc.pages)


@needs_poppler
def test_student_text_is_escaped_and_loads_nothing(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    url, hits = server
    evil = f'<img src="file:///etc/passwd"><img src="{url}/x.png"><b>bold</b>'
    result = samples.sample_result(7, figures=False, name=f"Eve {evil}")
    check = result["questions"][0]["parts"][0]["checks"][0]
    check |= {"status": "fail", "message_fa": evil, "message_en": evil}
    check["evidence"] = {"found": evil, "expected": f'<link rel="stylesheet" href="{url}/s.css">'}
    pdf = render_student_report(samples.typed(result), tmp_path / "r.pdf", assignment=samples.ASSIGNMENT)
    assert hits == []
    assert b"root:x:0:0" not in pdf.read_bytes()
    assert _image_count(pdf) == 0
    text = pdftotext(pdf)
    assert 'src="file:///etc/passwd"' in text  # shown as text, not a tag
    assert "<b>bold</b>" in text


def test_raw_html_cannot_load_local_files_or_urls(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """Even HTML that escaped escaping (a template bug) loads nothing outside the allowed folders."""
    url, hits = server
    allowed = tmp_path / "artifacts"
    allowed.mkdir()
    samples_png = samples.tiny_png(1)
    import base64

    (allowed / "ok.png").write_bytes(base64.b64decode(samples_png))
    outside = tmp_path / "outside.png"
    outside.write_bytes(base64.b64decode(samples_png))
    html = f"""<html><head><link rel="stylesheet" href="{url}/evil.css"></head><body>
    <img src="file:///etc/passwd"><img src="{url}/x.png"><img src="{outside.as_uri()}">
    <img src="{(allowed / ".." / "outside.png").as_posix()}">
    <div style="background: url({url}/bg.png)">x</div></body></html>"""
    pdf = html_to_pdf(html, tmp_path / "raw.pdf", allowed=[allowed])
    assert hits == []
    assert _image_count(pdf) == 0
    # The positive control: an image in the allowed folder is embedded.
    ok = html_to_pdf(
        f'<html><body><img src="{(allowed / "ok.png").as_uri()}"></body></html>',
        tmp_path / "ok.pdf",
        allowed=[allowed],
    )
    assert _image_count(ok) == 1


def test_fetcher_refuses_files_outside_its_roots(tmp_path: Path, root: Path) -> None:
    fetcher = _fetcher_for([root / "templates", tmp_path])
    for url in [
        "file:///etc/passwd",
        "https://example.com/x.png",
        "ftp://example.com/x",
        (root / "templates" / ".." / "pyproject.toml").as_uri(),
        f"file://{root}/templates/../pyproject.toml",
    ]:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    (tmp_path / "plot.txt").write_text("ok")
    assert fetcher.fetch((tmp_path / "plot.txt").as_uri()).read() == b"ok"


def test_a_character_without_glyph_fails_the_render(tmp_path: Path) -> None:
    with pytest.raises(MissingGlyphError):
        html_to_pdf("<html><body><p>\U0010fffd</p></body></html>", tmp_path / "x.pdf", allowed=[])
    assert not (tmp_path / "x.pdf").exists()


@needs_poppler
def test_student_characters_without_glyph_are_replaced_not_fatal(tmp_path: Path) -> None:
    result = samples.sample_result(8, figures=False, name="Zoë 😀 \U0010fffd \u202eevil")
    pdf = render_student_report(samples.typed(result), tmp_path / "r.pdf", assignment=samples.ASSIGNMENT)
    text = pdftotext(pdf)
    assert "Zoë \ufffd \ufffd evil" in text
