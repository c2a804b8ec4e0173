"""The polite HTTP client every fetcher shares: paced, identified, bounded, conditional.

arXiv, Hugging Face and Crossref are shared services, so the client keeps to what
their operators ask: one connection per host (one httpx client each, a pool of
one), a minimum gap between requests to one service (3 s for arXiv), a User-Agent
that names papershelf and, when `PAPERSHELF_CONTACT` is set, how to reach its user,
timeouts, retries on 429 and 503 that wait as long as `Retry-After` says (up to a
cap), and conditional requests (`If-None-Match`, `If-Modified-Since`) when the
caller has the validators of the last answer. The clock and the sleeper are
parameters, so tests check the waits without waiting.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

import httpx

ENV_CONTACT = "PAPERSHELF_CONTACT"
RETRIED_STATUSES = {429, 503}
#: Waits longer than this are not sat out: the fetch fails and says when to try again.
MAX_RETRY_AFTER = 300.0
MAX_BODY_BYTES = 64 << 20  # a 2,000-item arXiv feed is about 5 MiB
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class FetchError(Exception):
    """A fetch that failed: one line naming the URL. Nothing was written."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class Validators:
    """What the last answer said about its content, to ask whether it changed since."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Fetched:
    """One answer: its body (empty when not modified) and its validators."""

    url: str
    status: int
    body: bytes
    content_type: str
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def user_agent() -> str:
    """`papershelf/0.1.0 (mailto:someone@example.org)`, the contact only when it is set."""
    try:
        release = version("papershelf")
    except PackageNotFoundError:
        release = "dev"
    contact = os.environ.get(ENV_CONTACT, "").strip()
    if contact and "://" not in contact and not contact.startswith("mailto:"):
        contact = f"mailto:{contact}"
    return f"papershelf/{release}" + (f" (+{contact})" if contact else "")


@dataclass
class PoliteClient:
    """Sequential GETs with per-service pacing, retries and conditional requests."""

    timeout: httpx.Timeout | float = field(default_factory=lambda: TIMEOUT)
    attempts: int = 4
    max_retry_after: float = MAX_RETRY_AFTER
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    wall_clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    #: Called with a line before every wait longer than a second.
    on_wait: Callable[[str], None] | None = None
    _clients: dict[str, httpx.Client] = field(default_factory=dict, repr=False)
    _last_request: dict[str, float] = field(default_factory=dict, repr=False)

    def get(
        self,
        url: str,
        *,
        params: dict[str, str] | None = None,
        service: str,
        interval: float = 0.0,
        validators: Validators | None = None,
        accept: str = "*/*",
        missing_ok: bool = False,
    ) -> Fetched:
        """GET `url`; raises FetchError for anything but a usable answer or a 304 (or, with
        `missing_ok`, a 404: the service does not have what was asked for)."""
        request_url = str(httpx.URL(url, params=params)) if params else url
        headers = {"Accept": accept, **(validators.headers() if validators else {})}
        for attempt in range(1, self.attempts + 1):
            self._pace(service, interval)
            status, body, response_headers = self._send(request_url, headers)
            if status in RETRIED_STATUSES and attempt < self.attempts:
                self._wait(self._retry_delay(request_url, status, response_headers, attempt))
                continue
            if status == 304:
                return Fetched(request_url, 304, b"", "", validators or Validators())
            if status == 404 and missing_ok:
                return Fetched(request_url, 404, b"", "", Validators())
            if status >= 400:
                raise FetchError(request_url, _status_reason(status, response_headers))
            return Fetched(
                request_url,
                status,
                body,
                response_headers.get("content-type", ""),
                Validators(response_headers.get("etag"), response_headers.get("last-modified")),
            )
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _client(self, url: str) -> httpx.Client:
        """One client per host, each with a pool of one connection."""
        host = urlsplit(url).netloc
        client = self._clients.get(host)
        if client is None:
            client = httpx.Client(
                timeout=self.timeout,
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                headers={"User-Agent": user_agent()},
                follow_redirects=True,
            )
            self._clients[host] = client
        return client

    def _pace(self, service: str, interval: float) -> None:
        last = self._last_request.get(service)
        if last is not None:
            remaining = interval - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[service] = self.clock()

    def _send(self, url: str, headers: dict[str, str]) -> tuple[int, bytes, httpx.Headers]:
        try:
            with self._client(url).stream("GET", url, headers=headers) as response:
                body = _read_capped(response, url) if response.status_code < 300 else b""
                return response.status_code, body, response.headers
        except httpx.TimeoutException:
            raise FetchError(
                url, f"timed out (no answer within {_seconds(self.timeout)})"
            ) from None
        except httpx.ConnectError as error:
            raise FetchError(url, f"cannot connect ({_first_line(error)})") from None
        except (httpx.RemoteProtocolError, httpx.ReadError):
            raise FetchError(url, "the answer was cut off before its end") from None
        except httpx.HTTPError as error:
            raise FetchError(url, f"request failed ({_first_line(error)})") from None

    def _retry_delay(
        self, url: str, status: int, headers: httpx.Headers, attempt: int
    ) -> tuple[float, str]:
        """How long the server asks us to wait; a doubling backoff when it does not say."""
        asked = _retry_after(headers.get("retry-after"), self.wall_clock())
        delay = asked if asked is not None else 5.0 * 2 ** (attempt - 1)
        if delay > self.max_retry_after:
            raise FetchError(
                url,
                f"HTTP {status}: the server asks to retry after {delay:.0f} s; try again later",
            )
        return delay, f"{urlsplit(url).netloc} answered {status}; retrying in {delay:.0f} s"

    def _wait(self, delay_and_reason: tuple[float, str]) -> None:
        delay, reason = delay_and_reason
        if self.on_wait and delay >= 1:
            self.on_wait(reason)
        self.sleep(delay)


def _read_capped(response: httpx.Response, url: str) -> bytes:
    chunks = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise FetchError(url, f"the answer is larger than {MAX_BODY_BYTES >> 20} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(value: str | None, now: datetime) -> float | None:
    """`Retry-After` in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def _status_reason(status: int, headers: httpx.Headers) -> str:
    reason = f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".rstrip()
    if status in RETRIED_STATUSES:
        reason += " (still, after retries); try again later"
    return reason


def _seconds(timeout: httpx.Timeout | float) -> str:
    value = timeout.read if isinstance(timeout, httpx.Timeout) else timeout
    return f"{value:g} s" if value is not None else "the time limit"


def _first_line(error: Exception) -> str:
    return (str(error) or type(error).__name__).splitlines()[0]
