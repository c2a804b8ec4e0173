"""`papershelf fetch`, `enrich` and `watch` as a researcher runs them each morning."""

from __future__ import annotations

import json

import pytest
from helpers.loopback import Answer, FakeTime, recorded

from tui.cli import fetch_commands, main

FEED = "/rss/cs.AI+cs.CL"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    """The commands' client on a fake clock: the 3 s between arXiv requests are not sat out."""
    fake = FakeTime()
    real = fetch_commands.make_client
    monkeypatch.setattr(
        fetch_commands, "make_client", lambda: real(clock=fake.clock, sleep=fake.sleep)
    )
    return fake


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_fetch_arxiv_says_what_came_in_and_lands_it_in_the_inbox(db_path, loopback, capsys):
    loopback.route(FEED, Answer(body=recorded("rss-cs.CL+cs.AI-2026-11-30.xml")))
    status, out, err = run(capsys, "--db", str(db_path), "fetch", "arxiv", "cs.CL", "cs.AI")
    assert (status, err) == (0, "")
    assert out == (
        "arXiv cs.AI+cs.CL (2026-11-30): 3 new, 1 cross-list, 0 updated, 0 unchanged, "
        "2 replacements of papers not in the library skipped\n"
    )
    status, out, _ = run(capsys, "--db", str(db_path), "list", "--status", "new", "--json")
    assert {paper["arxiv_id"] for paper in json.loads(out)} == {
        "2611.00001", "2611.00002", "2611.00003", "2611.00004"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(body=recorded("error-page.html"), content_type="text/html"), "an HTML page"),
        (Answer(503, b"", "text/plain", headers={"Retry-After": "3600"}), "retry after 3600 s"),
        (Answer(body=b"<rss><channel>", cut_at=5), "cut off"),
    ],
    ids=["html", "busy", "cut-off"],
)
def test_a_failure_is_one_line_naming_the_url_and_exit_2(
    db_path, loopback, capsys, dump, answer, reason
):
    run(capsys, "--db", str(db_path), "list")
    before = dump(db_path)
    loopback.route(FEED, answer)
    status, out, err = run(capsys, "--db", str(db_path), "fetch", "arxiv", "cs.CL", "cs.AI")
    assert status == 2 and out == ""
    assert err.startswith(f"papershelf: {loopback.url}{FEED}: ") and reason in err
    assert err.endswith("(library unchanged)\n") and err.count("\n") == 1
    assert dump(db_path) == before


def test_a_host_that_cannot_be_reached(db_path, capsys, monkeypatch):
    monkeypatch.setenv("PAPERSHELF_HF_API_URL", "http://127.0.0.1:9/api/daily_papers")
    status, _, err = run(capsys, "--db", str(db_path), "fetch", "hf")
    assert status == 2
    assert err.startswith("papershelf: http://127.0.0.1:9/api/daily_papers: cannot connect")


def test_a_retry_is_announced_on_stderr(db_path, loopback, capsys, no_waiting):
    loopback.route(
        "/api/daily_papers",
        Answer(429, b"", "text/plain", headers={"Retry-After": "20"}),
        Answer(body=recorded("hf-daily_papers-2026-11-30.json"), content_type="application/json"),
    )
    status, out, err = run(capsys, "--db", str(db_path), "fetch", "hf", "--date", "2026-11-30")
    assert (
        status == 0
        and out == "Hugging Face daily papers (2026-11-30): 3 new, 0 updated, 0 unchanged\n"
    )
    assert err == "papershelf: 127.0.0.1:{} answered 429; retrying in 20 s\n".format(
        loopback.url.rsplit(":", 1)[1]
    )
    assert no_waiting.sleeps == [20.0]


def test_bad_arguments_exit_2_before_any_request(db_path, loopback, capsys):
    for args, message in [
        (["fetch", "arxiv", "cs.Cl", "cs.XY"], "unknown arXiv category 'cs.XY'"),
        (["fetch", "arxiv", "--id", "2401.00001", "not-an-id"], "not an arXiv id: 'not-an-id'"),
        (["fetch", "arxiv"], "give categories (cs.CL cs.AI) or --id ID..., not both"),
        (["enrich", 'author:"unclosed'], 'enrich: unclosed quote: add the closing "'),
    ]:
        status, _, err = run(capsys, "--db", str(db_path), *args)
        assert status == 2 and message in err and err.count("\n") == 1, (args, err)
    assert loopback.requests == []


def test_fetch_by_id_and_enrich(db_path, loopback, capsys):
    answer = Answer(body=recorded("arxivapi-id_1605.08386_s0_m100.xml"))
    loopback.route("/api/query", answer, id_list="1605.08386")
    args = ["--db", str(db_path)]
    status, out, _ = run(capsys, *args, "fetch", "arxiv", "--id", "arXiv:1605.08386")
    assert status == 0 and out.startswith("arXiv API: 1 new")
    status, out, _ = run(capsys, *args, "enrich")
    assert status == 0 and out == "enrich: no paper lacks a title, authors or a date\n"


def test_watches_count_the_inbox_per_reader(db_path, loopback, capsys):
    loopback.route(FEED, Answer(body=recorded("rss-cs.CL+cs.AI-2026-11-30.xml")))
    mine = ["--db", str(db_path), "--reader", "ada"]
    assert run(capsys, *mine, "fetch", "arxiv", "cs.CL", "cs.AI")[0] == 0
    assert run(capsys, *mine, "watch", "add", "translation", "translation -survey")[0] == 0
    assert run(capsys, *mine, "watch", "add", "agents", "agents year:2026")[0] == 0
    status, out, _ = run(capsys, *mine, "set", "2611.00002", "--status", "read")
    status, out, _ = run(capsys, *mine, "watch", "list", "--json")
    assert status == 0
    assert json.loads(out) == [
        {"name": "agents", "query": "agents year:2026", "new": 0, "total": 1},
        {"name": "translation", "query": "translation -survey", "new": 1, "total": 1},
    ]
    status, out, _ = run(capsys, *mine, "watch", "list")
    assert out.splitlines()[1].split() == ["translation", "1", "new", "1", "in", "all",
                                           "translation", "-survey"]  # fmt: skip
    others = ["--db", str(db_path), "--reader", "grace"]
    assert json.loads(run(capsys, *others, "watch", "list", "--json")[1]) == []
    assert run(capsys, *mine, "watch", "remove", "agents")[0] == 0
    assert [w["name"] for w in json.loads(run(capsys, *mine, "watch", "list", "--json")[1])] == [
        "translation"
    ]


def test_a_watch_that_does_not_parse_is_refused_with_the_query_error(db_path, capsys):
    args = ["--db", str(db_path)]
    status, _, err = run(capsys, *args, "watch", "add", "good", "rating:>=x")
    assert status == 2
    assert err == "papershelf: watch add: rating: needs a whole number 1-5, not 'x' (at 8: >=x)\n"
    assert run(capsys, *args, "watch", "add", "rl", "tag:rl")[0] == 0
    status, _, err = run(capsys, *args, "watch", "add", "rl", "tag:rl")
    assert status == 2 and "exists already" in err
    status, _, err = run(capsys, *args, "watch", "remove", "nope")
    assert status == 2 and err == "papershelf: watch remove: no watch named 'nope'\n"
