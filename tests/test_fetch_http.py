"""The polite client against the loopback server: pacing, retries, timeouts, validators."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers.loopback import Answer

from models.fetch.http import FetchError, PoliteClient, Validators, user_agent

FEED = b"<rss version='2.0'><channel></channel></rss>"


def test_requests_name_papershelf_and_the_contact(loopback, fetch_client, monkeypatch):
    monkeypatch.setenv("PAPERSHELF_CONTACT", "reader@example.org")
    loopback.route("/feed", Answer(body=FEED))
    fetch_client.get(f"{loopback.url}/feed", service="arxiv")
    agent = loopback.requests[0].headers["user-agent"]
    assert agent.startswith("papershelf/") and agent.endswith("(+mailto:reader@example.org)")
    assert agent == user_agent()


def test_arxiv_requests_are_three_seconds_apart_and_other_services_are_not_held(
    loopback, fetch_client, fake_time
):
    loopback.route("/feed", Answer(body=FEED))
    fetch_client.get(f"{loopback.url}/feed", service="arxiv", interval=3.0)
    fake_time.now += 1.0  # our own work took a second
    fetch_client.get(f"{loopback.url}/feed", service="arxiv", interval=3.0)
    fetch_client.get(f"{loopback.url}/feed", service="crossref", interval=1.0)
    assert fake_time.sleeps == [pytest.approx(2.0)]
    assert len(loopback.requests) == 3


def test_429_and_503_are_retried_after_the_wait_the_server_asks_for(
    loopback, fetch_client, fake_time
):
    loopback.route(
        "/feed",
        Answer(429, b"slow down", "text/plain", headers={"Retry-After": "7"}),
        Answer(503, b"busy", "text/plain", headers={"Retry-After": "12"}),
        Answer(body=FEED),
    )
    fetched = fetch_client.get(f"{loopback.url}/feed", service="arxiv", interval=3.0)
    assert fetched.body == FEED
    assert fake_time.sleeps == [7.0, 12.0]  # the pacing gap is inside the asked-for wait
    assert len(loopback.requests) == 3


def test_retry_after_as_an_http_date(loopback, fake_time):
    now = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)
    fetch_client = PoliteClient(
        clock=fake_time.clock, sleep=fake_time.sleep, wall_clock=lambda: now
    )
    date = "Tue, 01 Dec 2026 09:00:30 GMT"
    loopback.route(
        "/feed", Answer(503, b"", "text/plain", headers={"Retry-After": date}), Answer(body=FEED)
    )
    fetch_client.get(f"{loopback.url}/feed", service="hf")
    assert fake_time.sleeps == [30.0]
    fetch_client.close()


def test_a_wait_longer_than_the_cap_fails_at_once_and_says_so(loopback, fetch_client, fake_time):
    loopback.route("/feed", Answer(503, b"", "text/plain", headers={"Retry-After": "86400"}))
    with pytest.raises(FetchError, match="retry after 86400 s; try again later"):
        fetch_client.get(f"{loopback.url}/feed", service="arxiv")
    assert fake_time.sleeps == [] and len(loopback.requests) == 1


def test_a_server_that_stays_busy_fails_after_the_last_attempt(loopback, fetch_client, fake_time):
    loopback.route("/feed", Answer(503, b"", "text/plain"))  # no Retry-After: backoff
    with pytest.raises(FetchError, match=r"HTTP 503 Service Unavailable \(still, after retries\)"):
        fetch_client.get(f"{loopback.url}/feed", service="arxiv")
    assert fake_time.sleeps == [5.0, 10.0, 20.0]
    assert len(loopback.requests) == fetch_client.attempts


def test_a_slow_answer_times_out_with_one_line(loopback, fake_time):
    fetch_client = PoliteClient(clock=fake_time.clock, sleep=fake_time.sleep, timeout=0.2)
    loopback.route("/feed", Answer(stall=True))
    with pytest.raises(FetchError) as caught:
        fetch_client.get(f"{loopback.url}/feed", service="arxiv")
    assert str(caught.value) == f"{loopback.url}/feed: timed out (no answer within 0.2 s)"
    fetch_client.close()


def test_a_body_cut_off_mid_way_is_an_error_not_a_short_feed(loopback, fetch_client):
    loopback.route("/feed", Answer(body=FEED * 50, cut_at=100))
    with pytest.raises(FetchError, match="cut off before its end"):
        fetch_client.get(f"{loopback.url}/feed", service="arxiv")


def test_http_errors_name_the_url_and_status(loopback, fetch_client):
    with pytest.raises(FetchError) as caught:
        fetch_client.get(f"{loopback.url}/nothing-here", service="arxiv")
    assert str(caught.value) == f"{loopback.url}/nothing-here: HTTP 404 Not Found"


def test_a_host_that_cannot_be_reached(fetch_client):
    with pytest.raises(FetchError, match=r"^http://127\.0\.0\.1:9/feed: cannot connect"):
        fetch_client.get("http://127.0.0.1:9/feed", service="arxiv")


def test_validators_make_the_request_conditional_and_304_brings_nothing(loopback, fetch_client):
    loopback.route("/feed", Answer(body=FEED, etag='"v1"', headers={"Last-Modified": "x"}))
    first = fetch_client.get(f"{loopback.url}/feed", service="arxiv")
    assert first.validators == Validators('"v1"', "x")
    again = fetch_client.get(f"{loopback.url}/feed", service="arxiv", validators=first.validators)
    assert again.not_modified and again.body == b""
    sent = loopback.requests[1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "x"


def test_one_connection_per_host_is_kept_open_between_requests(loopback, fetch_client):
    loopback.route("/feed", Answer(body=FEED))
    for _ in range(3):
        fetch_client.get(f"{loopback.url}/feed", service="arxiv")
    assert len({request.client_port for request in loopback.requests}) == 1
