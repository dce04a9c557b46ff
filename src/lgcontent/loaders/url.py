"""Fetch web pages politely and safely, for checking pages as published.

httpx does the HTTP. On top of it: connect and read time limits, a redirect
limit, a cap on the size of a response, retries with backoff on 429 and 5xx
(honouring Retry-After, within limits), only http and https, and a user agent
that says who we are. Every problem becomes a one-line message for that URL.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

from .. import __version__

USER_AGENT = f"lgcontent/{__version__} (content checker; +https://github.com/LocalGovDigital/content-standards)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
MARKDOWN_TYPES = ("text/markdown", "text/x-markdown")
#: Addresses of documents, images and other files that are not web pages.
NOT_PAGES = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|odp|csv|zip|gz|jpe?g|png|gif|svg|webp|ico|css|js|"
                       r"mp3|mp4|avi|mov|xml|json|rss|atom|txt|rtf|ics)$", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_redirects: int = 5
    max_bytes: int = 20 * 1024 * 1024
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_retry_after: float = 30.0  # never wait longer than this for Retry-After


@dataclass(frozen=True)
class Fetched:
    """A response, or why there is none (``error`` set)."""

    url: str  # the URL asked for
    final_url: str = ""  # after redirects
    status: int = 0
    content_type: str = ""
    charset: str | None = None
    body: bytes = b""
    error: str | None = None

    @property
    def format(self) -> str | None:
        """'html' or 'markdown' if the response is a page we can check."""
        if self.content_type in HTML_TYPES:
            return "html"
        if self.content_type in MARKDOWN_TYPES:
            return "markdown"
        return None


def is_web_address(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def normalise(url: str) -> str:
    """The URL without its #fragment, which names a place in the page, not a page."""
    return urldefrag(url)[0]


def _retry_after(value: str | None, limits: FetchLimits) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), limits.max_retry_after)
    import email.utils  # an HTTP date; imported here as every run loads this module

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), limits.max_retry_after))


class Fetcher:
    """One HTTP client for a run, shared by threads, with a delay between requests to a host."""

    def __init__(self, limits: FetchLimits = FetchLimits(), delay: float = 0.0) -> None:
        import httpx  # only when a web address is checked: the import is not free

        self._httpx = httpx
        self.limits = limits
        self.delay = delay
        self._client = httpx.Client(
            timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.5"},
            trust_env=False,
        )
        self._lock = threading.Lock()
        self._next_time: dict[str, float] = {}

    def close(self) -> None:
        self._client.close()

    def _wait_turn(self, host: str) -> None:
        """Politeness: space out requests to the same host by ``delay`` seconds."""
        if self.delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_time.get(host, now))
            self._next_time[host] = start + self.delay
        if start > now:
            time.sleep(start - now)

    def fetch(self, url: str) -> Fetched:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return Fetched(url, error="only http and https web addresses can be checked")
        attempt = 0
        while True:
            self._wait_turn(parts.netloc.lower())
            result, retry_after = self._fetch_once(url)
            retryable = result.status == 429 or 500 <= result.status < 600
            if not retryable or attempt >= self.limits.retries:
                return result
            wait = retry_after if retry_after is not None else self.limits.backoff * (2 ** attempt)
            time.sleep(wait)
            attempt += 1

    def _fetch_once(self, url: str) -> tuple[Fetched, float | None]:
        httpx = self._httpx
        try:
            with self._client.stream("GET", url) as response:
                content_type = response.headers.get("content-type", "")
                mime = content_type.split(";", 1)[0].strip().lower()
                declared = _CHARSET.search(content_type)
                final = str(response.url)
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.limits.max_bytes:
                    return Fetched(url, final, response.status_code, mime,
                                   error=f"is too large to check ({int(length):,} bytes; the limit is"
                                         f" {self.limits.max_bytes:,})"), None
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.limits.max_bytes:
                        return Fetched(url, final, response.status_code, mime,
                                       error=f"is too large to check (more than {self.limits.max_bytes:,}"
                                             " bytes)"), None
                fetched = Fetched(url, final, response.status_code, mime,
                                  declared.group(1) if declared else None, bytes(body))
                if response.status_code >= 400:
                    reason = response.reason_phrase or "error"
                    fetched = Fetched(url, final, response.status_code, mime,
                                      error=f"the server answered {response.status_code} {reason}")
                return fetched, _retry_after(response.headers.get("retry-after"), self.limits)
        except httpx.TooManyRedirects:
            return Fetched(url, error=f"redirects more than {self.limits.max_redirects} times"), None
        except httpx.TimeoutException:
            return Fetched(url, error="timed out"), None
        except httpx.InvalidURL as exc:
            return Fetched(url, error=f"is not a valid web address ({exc})"), None
        except httpx.UnsupportedProtocol:
            return Fetched(url, error="redirects to an address that is not http or https"), None
        except httpx.HTTPError as exc:
            return Fetched(url, error=f"could not be fetched: {type(exc).__name__}: {exc}"), None
