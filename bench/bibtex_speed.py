"""BibTeX import and reference export speed, each figure beside its peers in the same run.

Generates 10,000 `@article` entries in the shape of a real arXiv-heavy `.bib` (eprint,
archivePrefix, primaryClass, the arXiv DOI, keywords, 150-250-word abstracts, 1-6
authors as `Family, Given`), cached in `bench/out/`. Then, each as a whole process with
its peak resident memory (`os.wait4` of the child):

- `papershelf import` into an empty library (made beforehand, untimed, as a reader's
  library exists before they import), beside bibtexparser 2's bare parse of the same
  file (`bibtexparser.parse_file`) and `pubs import` when pubs is installed (`--pubs`);
- `papershelf export bibtex|ris|csl-json` of the 10,000 papers.

Targets: import at most twice bibtexparser's parse and under 500 MB; each export under 1 s.
Each figure is the best of `--repeat` runs, since the machine may be busy with other work;
papershelf's bytecode is compiled first, as `pip install` does.

    python bench/bibtex_speed.py [--entries 10000] [--repeat 3] [--pubs PATH-TO-pubs]
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PAPERSHELF = [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())"]


def vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        words += re.findall(r"[A-Za-z][A-Za-z\-]{2,}", path.read_text(encoding="utf-8"))
    return words


def generate(count: int, path: Path) -> Path:
    """`count` arXiv-style `@article` entries (the same file for the same count)."""
    if path.exists():
        return path
    rng = random.Random(count)
    words = vocabulary()
    entries = []
    for number in range(count):
        year, month = rng.randint(2015, 2025), rng.randint(1, 12)
        arxiv = f"{year % 100:02d}{month:02d}.{number % 90000 + 10000:05d}"
        title = " ".join(rng.choices(words, k=rng.randint(5, 12))).capitalize()
        authors = " and ".join(
            f"{rng.choice(words).capitalize()}, {rng.choice(words).capitalize()}"
            for _ in range(rng.randint(1, 6))
        )
        abstract = " ".join(rng.choices(words, k=rng.randint(150, 250))) + "."
        keywords = ", ".join(rng.sample(words, 3))
        entries.append(
            f"@article{{{authors.split(',')[0].lower()}{year}{number},\n"
            f"  title         = {{{title}}},\n"
            f"  author        = {{{authors}}},\n"
            f"  journal       = {{arXiv preprint arXiv:{arxiv}}},\n"
            f"  year          = {{{year}}},\n"
            f"  eprint        = {{{arxiv}}},\n"
            f"  archivePrefix = {{arXiv}},\n"
            f"  primaryClass  = {{cs.LG}},\n"
            f"  doi           = {{10.48550/arXiv.{arxiv}}},\n"
            f"  keywords      = {{{keywords}}},\n"
            f"  abstract      = {{{abstract}}}\n"
            "}\n"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one whole process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}\n{errors}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def _env() -> dict[str, str]:
    return os.environ | {"PYTHONPATH": str(ROOT)}


def row(name: str, seconds: float, megabytes: float, beside: float | None = None) -> None:
    ratio = f"  {seconds / beside:4.2f}x bibtexparser" if beside else ""
    print(f"  {name:<34} {seconds:6.2f} s  {megabytes:7.0f} MB{ratio}")


def pubs_import(pubs: str, bib: Path, folder: Path) -> tuple[float, float]:
    config = folder / "pubsrc"
    subprocess.run(
        [pubs, "--config", str(config), "init", "-p", str(folder / "pubs")],
        check=True,
        capture_output=True,
    )
    return measure([pubs, "--config", str(config), "import", str(bib)])


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The fastest run (the others lost time to whatever else the machine was doing)."""
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--pubs", default=shutil.which("pubs"), help="the pubs command")
    args = parser.parse_args()
    bib = generate(args.entries, OUT / f"bibtex-{args.entries}.bib")
    # As an installed papershelf runs: `pip install` compiles a package's bytecode, an
    # editable install leaves it to the first run (which PYTHONDONTWRITEBYTECODE stops).
    for package in ("models", "tui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    print(
        f"{args.entries} entries, {bib.stat().st_size / 1e6:.1f} MB: {bib}, best of {args.repeat}"
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        bare = [sys.executable, "-c", f"import bibtexparser; bibtexparser.parse_file({str(bib)!r})"]
        print("import into an empty library (whole process, peak memory)")
        # Each round runs the baseline beside papershelf, so a busy minute of the machine
        # slows both, not one of them.
        parses, first, again = [], [], []
        for number in range(args.repeat):
            library = str(work / f"library-{number}.sqlite")
            measure([*PAPERSHELF, "--db", library, "list", "--limit", "1"])  # exists, empty
            parses.append(measure(bare))
            first.append(measure([*PAPERSHELF, "--db", library, "import", str(bib)]))
            again.append(measure([*PAPERSHELF, "--db", library, "import", str(bib)]))
        parse_seconds, parse_mb = best(parses)
        row("bibtexparser 2 bare parse", parse_seconds, parse_mb)
        row("papershelf import", *best(first), parse_seconds)
        row("papershelf import again (no change)", *best(again), parse_seconds)
        if args.pubs:
            row("pubs import", *pubs_import(args.pubs, bib, work), parse_seconds)
        else:
            print("  pubs: not installed (--pubs PATH to compare)")
        print(f"export of {args.entries} papers (whole process)")
        for name, suffix in (("bibtex", "bib"), ("ris", "ris"), ("csl-json", "json")):
            target = str(work / f"refs.{suffix}")
            command = [*PAPERSHELF, "--db", library, "export", name, "-o", target]
            row(f"papershelf export {name}", *best([measure(command) for _ in range(args.repeat)]))
        startup = best(
            [measure([sys.executable, "-c", "import tui.cli"]) for _ in range(args.repeat)]
        )
        print(f"  (of which starting Python and importing papershelf: {startup[0]:.2f} s)")


if __name__ == "__main__":
    main()
