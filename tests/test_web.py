"""Checking web pages, sitemaps and crawls against a real HTTP server on 127.0.0.1.

The server serves a folder of pages (corpus pages when ../shared/corpus is there,
else the bundled examples and fixtures) and some endpoints that misbehave: slow,
500, a redirect loop, huge, binary, a wrong charset, robots.txt rules, 429 with
Retry-After, and a gzipped sitemap index. No test reaches any other address.
"""

from __future__ import annotations

import gzip
import json
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLES, FIXTURES, run

SITE_PAGES = ["localgov-demo/order-copy-certificate.html",
              "localgov-demo/libraries-leisure-and-culture/free-online-courses.html",
              "fixmystreet-council-cobrands/bristol/about/faq-en-gb.html"]


def _site_folder(tmp: Path) -> Path:
    """Pages to serve: a few corpus pages when the corpus is here, else our own."""
    site = tmp / "site"
    site.mkdir()
    if CORPUS.is_dir():
        for n, name in enumerate(SITE_PAGES):
            shutil.copy(CORPUS / name, site / f"page{n}.html")
    else:
        shutil.copy(EXAMPLES / "bins-bad.html", site / "page0.html")
        shutil.copy(EXAMPLES / "bins-good.html", site / "page1.html")
        shutil.copy(FIXTURES / "council-bad.html", site / "page2.html")
    return site


class Server:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.requests: list[str] = []
        self.counts: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                     headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                path = self.path.split("?")[0]
                server.requests.append(path)
                server.counts[path] = server.counts.get(path, 0) + 1
                route = server.routes().get(path)
                if route is not None:
                    route(self)
                    return
                file = server.site.parent / path.lstrip("/")
                if path.startswith("/site/") and file.is_file():
                    self.send(200, file.read_bytes())
                else:
                    self.send(404, b"<html><body><p>Not found</p></body></html>")

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # a client that gives up (a time limit) is expected here

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def routes(self):
        base = self.base

        def index(h):
            links = "".join(f'<li><a href="/site/page{n}.html">Page {n}</a></li>' for n in range(3))
            extra = ['/slow', '/error500', '/loop', '/huge', '/binary', '/latin1', '/private/secret.html',
                     '/site/missing.html', '/too-many', '/docs/file.pdf', 'https://elsewhere.example/']
            links += "".join(f'<li><a href="{e}">{e}</a></li>' for e in extra)
            h.send(200, f'<html lang="en"><head><title>Index</title></head><body><main><h1>Index</h1>'
                        f'<ul>{links}</ul></main></body></html>'.encode())

        def slow(h):
            time.sleep(3)
            h.send(200, b"<html><body><p>Late</p></body></html>")

        def loop(h):
            h.send_response(302)
            h.send_header("Location", "/loop")
            h.send_header("Content-Length", "0")
            h.end_headers()

        def huge(h):
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(200 * 1024 * 1024))
            h.end_headers()
            h.wfile.write(b"<html>" + b"x" * 1024)

        def latin1(h):
            page = ('<html lang="en"><head><title>Café prices</title></head><body><main><h1>Café</h1>'
                    '<p>Tea costs £2 at the café. We will utilise the kitchen.</p></main></body></html>')
            h.send(200, page.encode("cp1252"), "text/html; charset=iso-8859-1")

        def too_many(h):
            first = self.counts["/too-many"] == 1
            if first:
                h.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            else:
                h.send(200, b'<html lang="en"><head><title>Patience</title></head><body><main><h1>Patience</h1>'
                            b'<p>Worth the wait.</p></main></body></html>')

        def sitemap_index(h):
            body = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f'<sitemap><loc>{base}/sitemap-pages.xml.gz</loc></sitemap></sitemapindex>').encode()
            h.send(200, body, "application/xml")

        def sitemap_pages(h):
            urls = "".join(f"<url><loc>{base}/site/page{n}.html</loc></url>" for n in range(3))
            body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            h.send(200, gzip.compress(body.encode()), "application/gzip")

        def bomb(h):
            body = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol3;</loc></url></urlset>')
            h.send(200, body.encode(), "application/xml")

        return {
            "/": index, "/slow": slow, "/loop": loop, "/huge": huge, "/latin1": latin1, "/too-many": too_many,
            "/error500": lambda h: h.send(500, b"broken", "text/plain"),
            "/binary": lambda h: h.send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"),
            "/robots.txt": lambda h: h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain"),
            "/sitemap.xml": sitemap_index, "/sitemap-pages.xml.gz": sitemap_pages, "/bomb.xml": bomb,
        }

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(tmp_path: Path):
    with Server(_site_folder(tmp_path)) as running:
        yield running


def check(*args: str) -> tuple[int, dict, str]:
    result = run("check", *args, "--format", "json", "--delay", "0", "--timeout", "1", "--quiet")
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_url_and_file_give_the_same_findings(server: Server) -> None:
    urls = [f"{server.base}/site/page{n}.html" for n in range(3)]
    files = [str(server.site / f"page{n}.html") for n in range(3)]
    _, by_url, _ = check(*urls)
    _, by_file, _ = check(*files)
    key = lambda f: (f["rule"], f["line"], f["column"], f["end_line"], f["end_column"], f["match"])  # noqa: E731
    for url, file in zip(urls, files):
        assert sorted(map(key, (f for f in by_url["findings"] if f["path"] == url))) == \
            sorted(map(key, (f for f in by_file["findings"] if f["path"] == file)))
    assert by_url["summary"]["findings"] == by_file["summary"]["findings"] > 0


def test_charset_from_the_header(server: Server) -> None:
    code, data, _ = check(f"{server.base}/latin1")
    assert code == 0
    avoid = next(f for f in data["findings"] if f["rule"] == "plain-english.words-to-avoid")
    assert avoid["match"] == "utilise"
    assert data["pages"][0]["path"] == f"{server.base}/latin1"


@pytest.mark.parametrize(("path", "message"), [
    ("/slow", "timed out"),
    ("/error500", "the server answered 500"),
    ("/loop", "redirects more than 5 times"),
    ("/huge", "is too large to check"),
    ("/binary", "is not a web page (image/png)"),
    ("/site/missing.html", "the server answered 404"),
])
def test_misbehaving_endpoints_are_reported_one_by_one(server: Server, path: str, message: str) -> None:
    code, data, stderr = check(f"{server.base}{path}", f"{server.base}/site/page1.html")
    assert code == 2
    assert data["unchecked"][0]["path"] == f"{server.base}{path}" and message in data["unchecked"][0]["message"]
    assert data["summary"]["pages"] == 1  # the good page was still checked
    assert f"{server.base}{path}: " in stderr and "Traceback" not in stderr


def test_429_is_retried_after_waiting(server: Server) -> None:
    started = time.monotonic()
    code, data, _ = check(f"{server.base}/too-many")
    assert data["unchecked"] == [] and data["summary"]["pages"] == 1
    assert server.counts["/too-many"] == 2 and time.monotonic() - started >= 0.9


def test_only_http_and_https() -> None:
    code, data, _ = check("file:///etc/passwd")
    assert code == 2
    assert "no such file or folder" in data["unchecked"][0]["message"]


def test_crawl_reaches_each_page_once_and_obeys_robots(server: Server) -> None:
    code, data, stderr = check("--crawl", f"{server.base}/", "--max-pages", "50")
    checked = {p["path"] for p in data["pages"]}
    assert {f"{server.base}/site/page{n}.html" for n in range(3)} <= checked
    assert f"{server.base}/latin1" in checked and f"{server.base}/too-many" in checked
    for page in ("/site/page0.html", "/site/page1.html", "/latin1", "/"):
        assert server.counts[page] == 1, (page, server.counts)
    assert "/private/secret.html" not in server.requests  # robots.txt
    assert "/docs/file.pdf" not in server.requests  # not a web page: not fetched
    assert not any("elsewhere" in r for r in server.requests)  # other hosts: not followed
    unchecked = {u["path"]: u["message"] for u in data["unchecked"]}
    assert "timed out" in unchecked[f"{server.base}/slow"]
    assert "500" in unchecked[f"{server.base}/error500"]
    assert "redirects" in unchecked[f"{server.base}/loop"]
    assert "robots.txt" in stderr
    broken = [(f["path"], f["match"]) for f in data["findings"] if f["rule"] == "site.broken-link"]
    assert (f"{server.base}/", "/site/missing.html") in broken
    assert code == 2


def test_crawl_respects_max_pages_and_patterns(server: Server) -> None:
    _, data, stderr = check("--crawl", f"{server.base}/", "--max-pages", "3")
    assert len(data["pages"]) + len(data["unchecked"]) <= 3
    assert "stopped at --max-pages" in stderr
    _, data, _ = check("--crawl", f"{server.base}/", "--include", r"/site/|/$")
    assert {p["path"] for p in data["pages"]} == {f"{server.base}/"} | {
        f"{server.base}/site/page{n}.html" for n in range(3)}


def test_sitemap_index_and_gzip(server: Server) -> None:
    code, data, _ = check("--sitemap", f"{server.base}/sitemap.xml")
    assert sorted(p["path"] for p in data["pages"]) == [f"{server.base}/site/page{n}.html" for n in range(3)]
    assert data["unchecked"] == []


def test_sitemap_entities_are_not_expanded(server: Server) -> None:
    code, data, _ = check("--sitemap", f"{server.base}/bomb.xml")
    assert code == 2 and "lists no pages" in data["unchecked"][0]["message"]
    assert data["summary"]["pages"] <= 1
    assert all("lollollol" not in p["path"] for p in data["pages"])


def test_no_progress_bar_when_not_a_terminal(server: Server) -> None:
    result = run("check", "--crawl", f"{server.base}/", "--max-pages", "2", "--delay", "0", "--timeout", "1",
                 "--format", "concise")
    assert "checking" not in result.stderr and "\x1b" not in result.stderr


def test_progress_bar_on_a_terminal(server: Server, tmp_path: Path) -> None:
    from conftest import run_in_terminal

    report = tmp_path / "r.json"
    output = run_in_terminal("check", "--crawl", f"{server.base}/", "--max-pages", "5", "--delay", "0.3",
                             "--timeout", "1", "--format", "json", "--output", str(report))
    assert "pages done" in output and "findings" in output
    assert json.loads(report.read_text())["summary"]["pages"] >= 1
