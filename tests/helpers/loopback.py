"""A stand-in for arXiv, Hugging Face and Crossref on 127.0.0.1, serving recorded answers.

Tests register what a path answers (`server.route(...)`), point the fetchers at
`server.url` through the environment, and read back the requests it received.
Besides plain answers it can answer 429/503 with `Retry-After`, 304 to a matching
`If-None-Match`, stall past the client's timeout, or cut a body off mid-way.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from models.fetch.http import PoliteClient

DATA = Path(__file__).resolve().parent.parent / "data" / "fetch"


@dataclass
class Answer:
    """One response: status, body, headers, and the misbehaviours a test asks for."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    stall: bool = False  # never answer (until the server stops)
    cut_at: int | None = None  # announce the whole body, send only this many bytes


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    client_port: int  # the same port on two requests: the same connection


def recorded(name: str) -> bytes:
    """A recorded answer from tests/data/fetch/."""
    return (DATA / name).read_bytes()


class Loopback:
    """The server: routes of answers per path (and query parameters), and the requests seen."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, dict[str, str], list[Answer]]] = []
        self.requests: list[Request] = []
        self.release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def route(self, path: str, *answers: Answer, **params: str) -> None:
        """Answer `path` (with these query parameters) with `answers` in turn, the last
        one from then on."""
        self.routes.insert(0, (path, params, list(answers)))

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path: str, params: dict[str, str]) -> Answer:
        for route_path, wanted, answers in self.routes:
            if route_path == path and all(params.get(k) == v for k, v in wanted.items()):
                return answers.pop(0) if len(answers) > 1 else answers[0]
        return Answer(404, b"Not Found", "text/plain")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                loopback.requests.append(
                    Request(parts.path, params, headers, self.client_address[1])
                )
                answer = loopback._answer(parts.path, params)
                if answer.stall:
                    loopback.release.wait(10)
                    return
                if answer.etag and headers.get("if-none-match") == answer.etag:
                    self.send_response(304)
                    self.send_header("ETag", answer.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                if answer.etag:
                    self.send_header("ETag", answer.etag)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if answer.cut_at is not None:
                    self.wfile.write(answer.body[: answer.cut_at])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the tests read `requests` instead."""

        return Handler


def point_services_at(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    monkeypatch.setenv("PAPERSHELF_ARXIV_RSS_URL", f"{base}/rss")
    monkeypatch.setenv("PAPERSHELF_ARXIV_API_URL", f"{base}/api/query")
    monkeypatch.setenv("PAPERSHELF_HF_API_URL", f"{base}/api/daily_papers")
    monkeypatch.setenv("PAPERSHELF_CROSSREF_URL", f"{base}/works")


@pytest.fixture(autouse=True)
def no_real_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: the services point at a closed port, so no test can reach a real host."""
    point_services_at(monkeypatch, "http://127.0.0.1:9")


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loopback]:
    """The stand-in server, with every service URL pointing at it."""
    server = Loopback()
    point_services_at(monkeypatch, server.url)
    yield server
    server.stop()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def fetch_client(fake_time: FakeTime) -> Iterator[PoliteClient]:
    """A polite client on the fake clock, with a timeout short enough for a stalled server."""
    polite = PoliteClient(clock=fake_time.clock, sleep=fake_time.sleep, timeout=2.0)
    yield polite
    polite.close()


class FakeTime:
    """A clock and a sleeper that advance together without waiting: the waits are recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
