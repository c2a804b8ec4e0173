"""Fetch in the app, and watches as views: `F` (or the palette's Fetch) reads the config's
arXiv categories and Hugging Face day from a loopback stand-in for the services, shows a
progress bar while it reads, says what came in and lands the new papers in the Inbox;
each watch is a tab with its Inbox count and marks the Inbox rows it matches."""

from __future__ import annotations

import tomllib

import pytest
from helpers.app import SIZE, Recorder, paper_list, row_text, settle, tab_labels, wait_until
from helpers.loopback import Answer, recorded
from textual.command import CommandList
from textual.widgets import Input, ProgressBar

from models.search.watches import add_watch
from models.shelf.papers import list_ids
from tui.app.app import PapershelfApp
from tui.app.screens.prompt import TextPrompt
from tui.app.widgets import FetchBar
from tui.config import Config, config_path

FEED = "/rss/cs.AI+cs.CL"
HF = "/api/daily_papers"
ARXIV_LINE = (
    "arXiv cs.AI+cs.CL (2026-11-30): 3 new, 1 cross-list, 0 updated, 0 unchanged, "
    "2 replacements of papers not in the library skipped"
)
CONFIGURED = Config(arxiv_categories=("cs.CL", "cs.AI"))


def feed(**fields) -> Answer:
    return Answer(body=recorded("rss-cs.CL+cs.AI-2026-11-30.xml"), **fields)


def hf_day() -> Answer:
    return Answer(body=recorded("hf-daily_papers-2026-11-30.json"), content_type="application/json")


def paper_count(library) -> int:
    with library.read() as session:
        return len(list_ids(session, reader_id=library.reader_id, limit=None))


def fetched(recorder: Recorder) -> list[str]:
    return [n.message for n in recorder.notifications if n.title == "Fetched"]


async def press_fetch(app: PapershelfApp, pilot, recorder: Recorder) -> str:
    """Press F and wait until the fetch is over; what its summary said."""
    before = len(fetched(recorder))
    await pilot.press("F")
    await wait_until(pilot, lambda: len(fetched(recorder)) > before, "the fetch's summary")
    await settle(app, pilot)
    return fetched(recorder)[-1]


async def test_fetch_says_what_came_in_and_lands_it_in_the_inbox(library, loopback):
    loopback.route(FEED, feed(etag='"feed-1"'))
    loopback.route(HF, hf_day(), date="2026-11-30")
    config = Config(arxiv_categories=("cs.CL", "cs.AI"), hf_day="2026-11-30")
    recorder = Recorder()
    app = PapershelfApp(library, watch=False, config=config)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        assert "Inbox 0" in tab_labels(app)
        arxiv, hf = (await press_fetch(app, pilot, recorder)).splitlines()
        assert arxiv == ARXIV_LINE
        assert hf.startswith("Hugging Face daily papers (2026-11-30): ") and " new" in hf
        total = paper_count(library)
        assert total >= 4 and f"Inbox {total}" in tab_labels(app)
        assert len(paper_list(app).ids) == total
        shown = " ".join(row_text(app, index) for index in range(total))
        assert "Sparse Mixtures of Experts Learn Faster" in shown
        assert not app.main.query_one(FetchBar).running  # the bar is gone once it is over
        assert recorder.errors() == []

        again = await press_fetch(app, pilot, recorder)  # nothing new, nothing doubled
        assert again.splitlines()[0] == (
            "arXiv cs.AI+cs.CL: nothing new (unchanged since the last fetch)"
        )
        assert paper_count(library) == total
    assert loopback.requests_to(FEED)[1].headers.get("if-none-match") == '"feed-1"'


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(body=recorded("error-page.html"), content_type="text/html"), "HTML page"),
        (Answer(503, b"", "text/plain", headers={"Retry-After": "3600"}), "3600"),
    ],
    ids=["html", "busy"],
)
async def test_a_failed_fetch_is_one_line_and_changes_nothing(library, loopback, answer, reason):
    loopback.route(FEED, answer)
    recorder = Recorder()
    app = PapershelfApp(library, watch=False, config=CONFIGURED)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await wait_until(pilot, recorder.errors, "the failure is said")
        await settle(app, pilot)
        [line] = recorder.errors()
        assert "\n" not in line and f"{loopback.url}{FEED}" in line and reason in line
        assert line.endswith("(library unchanged)")
        assert fetched(recorder) == []
        assert not app.main.query_one(FetchBar).running
    assert paper_count(library) == 0


async def test_the_progress_bar_shows_while_the_feed_is_read(library, loopback):
    loopback.route(FEED, Answer(stall=True))  # answers only when the test lets it
    recorder = Recorder()
    app = PapershelfApp(library, watch=False, config=CONFIGURED)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle_screen(pilot)
        await pilot.press("F")
        bar = app.main.query_one(FetchBar)
        await wait_until(pilot, lambda: "fetching http" in bar_text(bar), "the bar says so")
        assert bar.running and bar.display and bar.query_one(ProgressBar).total == 1
        await pilot.press("j", "F")  # the list still answers; a second fetch waits its turn
        await wait_until(pilot, lambda: recorder.said("A fetch is running already."))
        loopback.release.set()  # the server hangs up without an answer
        await wait_until(pilot, recorder.errors, "the failure is said")
        await settle(app, pilot)
        assert not bar.running
    assert paper_count(library) == 0


async def settle_screen(pilot) -> None:
    await settle(pilot.app, pilot)


def bar_text(bar: FetchBar) -> str:
    from textual.widgets import Label

    return str(bar.query_one(Label).render())


async def test_with_nothing_configured_it_asks_and_remembers(library, loopback):
    loopback.route(FEED, feed())
    recorder = Recorder()
    app = PapershelfApp(library, watch=False, config=Config())
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"fetch today")  # the palette's Fetch, as F
        offered = lambda: any(  # noqa: E731
            "Fetch" in str(hit.prompt) for hit in app.screen.query_one(CommandList).options
        )
        await wait_until(pilot, offered, "the palette offers Fetch")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "it asks")
        await pilot.press(*"cs.cl, cs.AI", "enter")
        await wait_until(pilot, lambda: fetched(recorder), "the fetch's summary")
        await settle(app, pilot)
        assert fetched(recorder) == [ARXIV_LINE]
        assert app.config.arxiv_categories == ("cs.CL", "cs.AI")
    saved = tomllib.loads(config_path().read_text(encoding="utf-8"))
    assert saved == {"fetch": {"arxiv": ["cs.CL", "cs.AI"]}}


async def test_an_unknown_category_is_refused_before_any_request(library, loopback):
    recorder = Recorder()
    app = PapershelfApp(library, watch=False, config=Config())
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "it asks")
        app.screen.query_one(Input).value = "cs.XX"
        await pilot.press("enter")
        await wait_until(pilot, recorder.errors, "the category is refused")
        assert "cs.XX" in recorder.errors()[0]
    assert loopback.requests == [] and not config_path().exists()


async def test_each_watch_is_a_tab_with_its_inbox_count_and_marks_its_rows(library, loopback):
    with library.write() as session:
        add_watch(session, reader_id=library.reader_id, name="moe", query="experts")
    loopback.route(FEED, feed())
    recorder = Recorder()
    app = PapershelfApp(library, watch=False, config=CONFIGURED)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        assert "⚑moe 0" in tab_labels(app)
        await press_fetch(app, pilot, recorder)
        await wait_until(pilot, lambda: "⚑moe 1" in tab_labels(app), "the count follows")
        await settle(app, pilot)
        papers = paper_list(app)
        rows = [row_text(app, index) for index in range(len(papers.ids))]
        [marked] = [row for row in rows if "⚑" in row]
        assert "Sparse Mixtures of Experts" in marked
        assert all("⚑" not in row for row in rows if row is not marked)

        papers.cursor = rows.index(marked)
        await pilot.press("t")  # triaged: no longer in the Inbox, so no longer counted
        await wait_until(pilot, lambda: "⚑moe 0" in tab_labels(app), "the count follows")
        await pilot.click("#watch-0")  # the watch's view: every paper it matches
        await settle(app, pilot)
        assert app.main.view.watch == "moe" and len(papers.ids) == 1
        assert "Sparse Mixtures of Experts" in row_text(app, 0)
        assert "⚑" not in row_text(app, 0)  # to read now: a mark is for the Inbox
        await pilot.press("left_square_bracket")  # [ ] step through the watches' tabs too
        await settle(app, pilot)
        assert (app.main.view.watch, app.main.view.status) == (None, None)  # All
        await pilot.press("right_square_bracket", "right_square_bracket")  # wraps to Inbox
        await settle(app, pilot)
        assert (app.main.view.watch, app.main.view.status) == (None, "new")


def test_the_config_names_the_sources_and_a_bad_day_is_one_line():
    from datetime import date

    from tui.app.fetching import FetchPlan, plan_from_answer, plan_from_config

    assert plan_from_config(Config()).is_empty
    assert plan_from_config(Config(hf_day="latest")) == FetchPlan(hf=True)
    assert plan_from_config(Config(arxiv_categories=("cs.CL",), hf_day="2026-11-30")) == (
        FetchPlan(("cs.CL",), hf=True, hf_day=date(2026, 11, 30))
    )
    with pytest.raises(ValueError, match=r'fetch.hf_day must be "latest" or a date'):
        plan_from_config(Config(hf_day="yesterday"))
    assert plan_from_answer("cs.cl,cs.AI  HF cs.CL") == FetchPlan(("cs.CL", "cs.AI"), hf=True)
    assert plan_from_answer("hf").settings() == {"arxiv_categories": (), "hf_day": "latest"}
