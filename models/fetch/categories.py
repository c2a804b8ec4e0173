"""arXiv's category taxonomy, to refuse an unknown category before asking arXiv.

From arXiv's category taxonomy page; archives without subject classes (`hep-th`,
`quant-ph`, ...) are categories themselves, and every archive can be fetched whole
(`cs`, `math`). Categories are matched without regard to case (`cs.cl` is `cs.CL`).
"""

from __future__ import annotations

import difflib

_SUBJECTS = {
    "astro-ph": "CO EP GA HE IM SR",
    "cond-mat": "dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con",
    "cs": "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS "
    "NA NE NI OH OS PF PL RO SC SD SE SI SY",
    "econ": "EM GN TH",
    "eess": "AS IV SP SY",
    "math": "AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR "
    "QA RA RT SG SP ST",
    "nlin": "AO CD CG PS SI",
    "physics": "acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an "
    "ed-ph flu-dyn gen-ph geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph soc-ph space-ph",
    "q-bio": "BM CB GN MN NC OT PE QM SC TO",
    "q-fin": "CP EC GN MF PM PR RM ST TR",
    "stat": "AP CO ME ML OT TH",
}
_WHOLE = [
    "gr-qc",
    "hep-ex",
    "hep-lat",
    "hep-ph",
    "hep-th",
    "math-ph",
    "nucl-ex",
    "nucl-th",
    "quant-ph",
]


CATEGORIES: tuple[str, ...] = tuple(
    sorted(
        [*_SUBJECTS, *_WHOLE]
        + [
            f"{archive}.{subject}"
            for archive, names in _SUBJECTS.items()
            for subject in names.split()
        ]
    )
)
_BY_FOLDED = {name.lower(): name for name in CATEGORIES}


class UnknownCategory(ValueError):
    """A category arXiv does not have; the message suggests the closest ones."""


def normalise_category(text: str) -> str:
    """`cs.cl` -> `cs.CL`; raises UnknownCategory for a category arXiv does not have."""
    folded = text.strip().lower()
    found = _BY_FOLDED.get(folded)
    if found:
        return found
    close = difflib.get_close_matches(folded, list(_BY_FOLDED), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(_BY_FOLDED[name] for name in close)}?)" if close else ""
    raise UnknownCategory(f"unknown arXiv category {text!r}{hint}")
