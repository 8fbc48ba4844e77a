"""The embedded demo: a synthetic raw SurveyMonkey export of the PEO September 2021 wave.

The file ``peoscales/peo/data/peo_2021_09_demo.csv`` is what SurveyMonkey's "All
responses, condensed" CSV export of the 2021 questionnaire looks like: UTF-8 with a
byte-order mark, two header rows (question text; then ``Response``, the matrix row
or ``Other (please specify)``), metadata columns, and one row per respondent
(n = 178). No real person answered it: :func:`generate_demo_export` writes it
deterministically, and its answer distributions reproduce the published
percentages of the 2021 report (Tabel 1.1, 1.2, 2.1, 2.2, 2.4, 2.6-2.9 and the
thematic Tabel 3.1-3.4, 3.5) as exactly as whole counts allow.

How counts are chosen
---------------------
For each published table the counts are the whole numbers closest to the
published shares (largest remainder) that, divided by n and rounded half up,
give back every published percentage (:func:`counts_from_percentages`). Answers
are then given to respondents by ranking a latent "experienced space" variable
plus noise, so that related items correlate as in the report, and the order of
respondents is shuffled with a fixed seed.

One published row cannot be reproduced: Tabel 2.2, "Te investeren in relatie met
cliënt", reads 6 / 27 / 52 / 2, which adds up to 87. The report's text says 33%
have (ruim) onvoldoende room for it, so 6 + 27 = 33 and the (ruim) voldoende share
is 67 = 52 + 15: the demo uses 15 for "ruim voldoende" (the "2" is taken as a
misprint of 15). Tabel 2.5's column for specialist providers (2 / 31 / 36 / 31
with n = 59) has no whole-number solution either; the demo uses the closest counts.
"""

from __future__ import annotations

import csv
import datetime as _dt
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from peoscales._io import SURVEYMONKEY_HEADER

__all__ = [
    "DEMO_N",
    "counts_from_percentages",
    "demo_export_path",
    "generate_demo_export",
    "load_demo_export",
]

#: Number of respondents in the 2021 wave and in the demo export.
DEMO_N = 178
_SEED = 20210913
_FILE = "peo_2021_09_demo.csv"


def demo_export_path() -> Path:
    """Return the path of the embedded synthetic 2021 SurveyMonkey export.

    Examples
    --------
    >>> from peoscales.peo import demo_export_path
    >>> demo_export_path().name
    'peo_2021_09_demo.csv'
    """
    return Path(str(resources.files("peoscales.peo.data").joinpath(_FILE)))


def load_demo_export() -> Any:
    """Read the embedded synthetic 2021 export with :func:`peoscales.read_survey`.

    Returns
    -------
    SurveyExport
        The raw export: 178 respondents, answers as the texts SurveyMonkey writes.

    Examples
    --------
    >>> from peoscales.peo import load_demo_export
    >>> raw = load_demo_export()
    >>> raw.format, raw.n
    ('surveymonkey', 178)
    """
    from peoscales._io import read_survey

    return read_survey(demo_export_path())


def counts_from_percentages(percentages: Any, n: int) -> np.ndarray:
    """Whole counts summing to ``n`` that reproduce published rounded percentages.

    Each count is kept inside the interval of counts that round (half up) to its
    published percentage; within those intervals the counts are the largest
    remainder apportionment of ``n`` over the published shares. Where no such
    counts exist (the published row is inconsistent), the plain largest
    remainder counts are returned.

    Parameters
    ----------
    percentages : sequence of float
        The published percentages (they need not add up to exactly 100).
    n : int
        The number of respondents.

    Returns
    -------
    numpy.ndarray
        Integer counts, one per percentage, summing to ``n``.

    Notes
    -----
    Count :math:`c_i` reproduces percentage :math:`p_i` when
    :math:`\\lfloor 100 c_i / n + 1/2 \\rfloor = p_i`, i.e.
    :math:`(p_i - 1/2) n / 100 \\le c_i < (p_i + 1/2) n / 100`. The largest
    remainder (Hamilton) method gives each category the floor of its quota
    :math:`n p_i / \\sum p` and hands the remaining units to the largest
    fractional parts (Balinski & Young, 2001, *Fair Representation*).

    Examples
    --------
    >>> counts_from_percentages([33, 26, 32, 8], 178).tolist()
    [59, 47, 57, 15]
    """
    p = np.asarray(percentages, dtype=float)
    quota = n * p / p.sum()
    lo = np.maximum(np.ceil((p - 0.5) * n / 100 - 1e-9), 0).astype(int)
    hi = (np.ceil((p + 0.5) * n / 100 - 1e-9) - 1).astype(int)
    counts = np.clip(np.floor(quota).astype(int), lo, hi)
    feasible = bool(np.all(lo <= hi)) and lo.sum() <= n <= hi.sum()
    if not feasible:
        lo, hi = np.zeros_like(lo), np.full_like(hi, n)
        counts = np.floor(quota).astype(int)
    while counts.sum() < n:
        room = np.where(counts < hi, quota - counts, -np.inf)
        counts[int(np.argmax(room))] += 1
    while counts.sum() > n:
        room = np.where(counts > lo, quota - counts, np.inf)
        counts[int(np.argmin(room))] -= 1
    return counts


def _with_mean(
    counts: np.ndarray, percentages: Any, n: int, values: np.ndarray, mean: float
) -> np.ndarray:
    """Move single answers between neighbouring values, inside the rounding
    intervals, until the mean rounds to the published ``mean`` (2 decimals)."""
    p = np.asarray(percentages, dtype=float)
    lo = np.maximum(np.ceil((p - 0.5) * n / 100 - 1e-9), 0).astype(int)
    hi = (np.ceil((p + 0.5) * n / 100 - 1e-9) - 1).astype(int)
    counts = counts.copy()
    target = round(mean * n)
    for _ in range(10 * n):
        total = int((counts * values).sum())
        if abs(total / n - mean) < 0.005:
            break
        step = 1 if total < target else -1
        for i in range(len(counts)):
            j = i + step
            if 0 <= j < len(counts) and counts[i] > lo[i] and counts[j] < hi[j]:
                counts[i] -= 1
                counts[j] += 1
                break
        else:  # pragma: no cover - no move left
            break
    return counts


def _assign(score: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Give the lowest ``counts[0]`` scores category 0, the next ones 1, ..."""
    order = np.argsort(score, kind="stable")
    out = np.empty(len(score), dtype=int)
    out[order] = np.repeat(np.arange(len(counts)), counts)
    return out


# Answer texts as they appear in the export (the survey's own capitalisation).
_SPACE = ["Ruim onvoldoende", "Onvoldoende", "Voldoende", "Ruim voldoende"]
_EMPLOYER = [
    "De specialistische (niet vrij toegankelijke) jeugdhulp (vrijwillig kader)",
    "Gecertificeerde instelling (gedwongen kader)",
    "Gemeentelijke toegang (sociaal (wijk)team, CJG, etc)",
    "Anders, namelijk...",
]
_EMPLOYER_OTHER = ["Kinderdagcentrum", "Praktijkondersteuner huisarts", "Onderwijs", "Jeugdarts"]
_FACTOR = ["Niet", "Enigszins", "In sterke mate"]
_INFLUENCE = ["Geen invloed", "Nauwelijks invloed", "Enige invloed", "Sterke invloed"]
_CHANCE = ["Klein", "Redelijk klein", "Niet groot, niet klein", "Redelijk groot", "Groot"]

# Factors a-k in questionnaire order: id, Tabel 3.1 (niet/enigszins/sterk),
# Tabel 3.2 (%), Tabel 3.3 (% ja, n).
_FACTORS: list[tuple[str, Any, int, tuple[int, int]]] = [
    ("skj", [40, 48, 12], 7, (47, 178)),
    ("time_registration", [47, 31, 23], 10, (44, 178)),
    ("specialist_care_rules", [21, 49, 29], 16, (58, 178)),
    ("municipal_differences", [17, 39, 44], 16, (70, 178)),
    ("knowledge_of_rules", [33, 54, 14], 5, (43, 178)),
    ("cost_savings_organisation", [34, 38, 28], 10, (34, 178)),
    ("cost_savings_municipality", [12, 36, 52], 28, (65, 178)),
    ("equipped", [68, 29, 3], 1, (28, 169)),
    ("support", [58, 35, 3], 1, (28, 169)),
    ("escalation", [56, 37, 7], 1, (20, 169)),
    ("other", None, 6, (33, 39)),
]
# Aspects a-h in questionnaire order with Tabel 3.4 (geen/nauwelijks, enige, sterke), n = 155.
_ASPECTS = [
    ("workload", [8, 55, 37]),
    ("quality", [17, 54, 26]),
    ("case_management", [28, 51, 21]),
    ("collaboration", [28, 56, 16]),
    ("reflection", [36, 47, 17]),
    ("client_time", [22, 40, 38]),
    ("do_what_is_needed", [14, 42, 44]),
    ("judgements", [36, 48, 16]),
]
# Tabel 3.5 (n = 98): categories of the open question, with example answers.
_SUPERFLUOUS = [
    (
        32,
        [
            "Het richtinggevend kader voor de inzet van specialistische hulp",
            "Toestemming van de gemeente vragen voor elke verlenging van specialistische hulp",
            "De aandacht voor kostenbesparing bij het aanvragen van hulp",
        ],
    ),
    (
        27,
        [
            "Dubbel rapporteren in twee systemen",
            "Het vele aanleveren van documentatie voor verantwoording",
            "Uitgebreide verslaglegging na elk contact",
        ],
    ),
    (
        19,
        [
            "Tijdschrijven per kwartier",
            "Dat indirecte cliënttijd niet gedeclareerd mag worden",
        ],
    ),
    (8, ["Geen idee", "Teveel overleggen zonder besluit"]),
    (7, ["De verplichte SKJ-registratie en herregistratie", "Punten verzamelen voor SKJ"]),
    (4, ["Verschillende eisen per gemeente in de regio"]),
    (3, ["De hoge caseload"]),
]

_META = list(SURVEYMONKEY_HEADER)


def _codebook() -> Any:
    from peoscales.instruments.registry import get_instrument

    return get_instrument("peo_2021_09")


def _header(codebook: Any, item_id: str) -> str:
    """The question as the survey tool shows it: the questionnaire text without the
    report's bracketed theme notes (a prefix of the codebook's verbatim text)."""
    text: str = codebook.items[item_id].question("nl")
    cut = {
        "space_own_judgement": "ervaar ik als",
        "space_do_what_is_needed": "ervaar ik als",
        "space_invest_in_relationship": "ervaar ik als",
        "space_reflect": "ervaar ik als",
        "pct_direct_contact": "cliëntcontacten?",
        "pct_indirect_work": "plaats vinden?",
        "work_pleasure": "in je werk?",
        "stay_one_year": "in de jeugdhulp?",
    }.get(item_id)
    if cut is not None:
        text = text[: text.index(cut) + len(cut)]
    return text


def _build(rng: np.random.Generator) -> tuple[list[str], list[str], list[list[str]]]:
    n = DEMO_N
    cb = _codebook()
    cols: list[tuple[str, str, np.ndarray]] = []

    def add(question: str, sub: str, values: Any) -> None:
        cols.append((question, sub, np.asarray(values, dtype=object)))

    # Background: Tabel 1.1 and 1.2.
    employer = _assign(rng.random(n), counts_from_percentages([33, 26, 32, 8], n))
    latent = rng.standard_normal(n) + np.select([employer == 2], [0.3], 0.0)
    # Staff of certified institutions are less experienced (Tabel 1.3).
    exp_score = rng.standard_normal(n) - 0.6 * (employer == 1)
    experience = _assign(exp_score, counts_from_percentages([23, 23, 11, 43], n))

    def ranked(weight: float, pct: Any, extra: Any = 0.0, mask: Any = None) -> np.ndarray:
        score = weight * latent + np.sqrt(1 - weight**2) * rng.standard_normal(n) + extra
        if mask is None:
            return _assign(score, counts_from_percentages(pct, n))
        out = np.full(n, -1)
        out[mask] = _assign(score[mask], counts_from_percentages(pct, int(mask.sum())))
        return out

    def text(labels: list[str], codes: np.ndarray) -> np.ndarray:
        return np.array([labels[c] if c >= 0 else "" for c in codes], dtype=object)

    add(cb.items["employer"].question(), "Response", text(_EMPLOYER, employer))
    other = np.array([""] * n, dtype=object)
    other[employer == 3] = [_EMPLOYER_OTHER[i % 4] for i in range(int((employer == 3).sum()))]
    add("", "Other (please specify)", other)
    add(
        cb.items["experience"].question(),
        "Response",
        text(["0-3", "3-6", "6-10", "10+"], experience),
    )

    # Fixed part: Tabel 2.2 (row 3 with 15 for the misprinted 2), 2.4, 2.6-2.9.
    spec_gi = np.where(employer <= 1, -0.5, 0.0)
    for item_id, pct, w, extra in [
        ("space_own_judgement", [5, 8, 54, 33], 0.8, 0.0),
        ("space_do_what_is_needed", [8, 28, 51, 14], 0.6, spec_gi),
        ("space_invest_in_relationship", [6, 27, 52, 15], 0.6, spec_gi),
        ("space_reflect", [6, 36, 47, 11], 0.6, spec_gi),
    ]:
        add(_header(cb, item_id), "Response", text(_SPACE, ranked(w, pct, extra)))
    equipped = ranked(0.4, [1, 6, 66, 28])
    add(
        _header(cb, "equipped"),
        "Response",
        text(["Nauwelijks", "Onvoldoende", "Voldoende", "Meer dan voldoende"], equipped),
    )
    pct_values = np.array([[10, 20], [30, 40], [50, 60], [70, 80]])
    for item_id, table, alle, sign in [
        (
            "pct_direct_contact",
            [[2, 31, 36, 31], [11, 62, 17, 11], [9, 42, 32, 18], [0, 20, 33, 47]],
            [7, 42, 29, 23],
            1.0,
        ),
        (
            "pct_indirect_work",
            [[15, 46, 32, 7], [2, 19, 38, 40], [7, 26, 47, 19], [20, 60, 20, 0]],
            [10, 34, 38, 19],
            -1.0,
        ),
    ]:
        band = np.empty(n, dtype=int)
        for e in range(4):
            mask = employer == e
            band[mask] = _assign(
                sign * latent[mask] + rng.standard_normal(int(mask.sum())),
                counts_from_percentages(table[e], int(mask.sum())),
            )
        del alle  # the per-employer counts determine the totals
        values = pct_values[band, rng.integers(0, 2, n)]
        add(_header(cb, item_id), "Open-Ended Response", [str(v) for v in values])
    rules = ranked(0.4, [6, 43, 51], extra=0.8 * (experience > 0))
    add(
        _header(cb, "rules_negative_influence"),
        "Response",
        text(["Nauwelijks niet", "Enigszins", "In sterke mate"], rules),
    )
    pleasure_pct = [0, 0, 4, 2, 2, 17, 34, 27, 12, 3]
    marks = np.arange(1, 11)
    counts = _with_mean(counts_from_percentages(pleasure_pct, n), pleasure_pct, n, marks, 7.18)
    score = 0.6 * latent + 0.8 * rng.standard_normal(n)
    pleasure = marks[_assign(score, counts)]
    add(_header(cb, "work_pleasure"), "Response", [str(v) for v in pleasure])
    dont_know = np.zeros(n, dtype=bool)
    dont_know[rng.choice(n, counts_from_percentages([96, 4], n)[1], replace=False)] = True
    chance = ranked(0.5, [2, 8, 12, 31, 43], mask=~dont_know)
    stay = text(_CHANCE, chance)
    stay[dont_know] = "Weet ik niet"
    add(_header(cb, "stay_one_year"), "Response", stay)
    comments = np.array([""] * n, dtype=object)
    comments[rng.choice(n, 23, replace=False)] = "Veel administratie, weinig tijd voor cliënten."
    add(cb.items["fixed_comments"].question(), "Open-Ended Response", comments)

    # Thematic module: Tabel 2.1 is the filter question.
    overall = _assign(
        0.85 * latent + np.sqrt(1 - 0.85**2) * rng.standard_normal(n),
        counts_from_percentages([2, 12, 71, 15], n),
    )
    add(cb.items["space_overall"].question(), "Response", text(_SPACE, overall))
    low = overall <= 1  # (ruim) onvoldoende -> questions 2-5; else 6-10

    limit: dict[str, np.ndarray] = {}
    for fid, pct, _, _ in _FACTORS:
        if pct is None:
            codes = np.full(n, -1)
            rated = rng.choice(n, 39, replace=False)
            codes[rated] = rng.choice([1, 2], size=39, p=[0.6, 0.4])
        else:
            codes = ranked(-0.4, pct)
        limit[fid] = codes
    most = _assign(rng.random(n), counts_from_percentages([f[2] for f in _FACTORS], n))
    adjustable: dict[str, np.ndarray] = {}
    for fid, _, _, (yes, m) in _FACTORS:
        codes = np.full(n, -1)
        pool = np.flatnonzero(limit["other"] >= 0) if fid == "other" else rng.permutation(n)[:m]
        codes[pool] = _assign(rng.random(len(pool)), counts_from_percentages([100 - yes, yes], m))
        adjustable[fid] = codes
    answered_influence = np.sort(rng.choice(n, 155, replace=False))
    influence: dict[str, np.ndarray] = {}
    for aid, (none, some, strong) in _ASPECTS:
        grouped = np.full(n, -1)
        score = -0.5 * latent[answered_influence] + rng.standard_normal(155)
        grouped[answered_influence] = _assign(
            score, counts_from_percentages([none, some, strong], 155)
        )
        four = grouped + 1  # 1 = some, 2 = strong -> codes 2, 3 of _INFLUENCE
        none_rows = np.flatnonzero(grouped == 0)
        four[none_rows] = 1  # nauwelijks invloed
        four[none_rows[: len(none_rows) // 3]] = 0  # geen invloed
        four[grouped < 0] = -1
        influence[aid] = four

    factor_rows: dict[str, list[str]] = {br: [] for br in ("insufficient", "sufficient")}
    for br in factor_rows:
        factor_rows[br] = [cb.items[f"limit_{fid}_{br}"].row["nl"] for fid, _, _, _ in _FACTORS]
    most_labels = [o.labels["nl"] for o in cb.response_scales["most_limiting"].options]
    for br, in_branch in (("insufficient", low), ("sufficient", ~low)):
        stem = cb.items[f"limit_skj_{br}"].question()
        for k, (fid, _, _, _) in enumerate(_FACTORS):
            add(
                stem if k == 0 else "",
                factor_rows[br][k],
                text(_FACTOR, np.where(in_branch, limit[fid], -1)),
            )
        other_text = np.where(in_branch & (limit["other"] >= 0), "Wachtlijsten", "")
        add("", "Other (please specify)", other_text)
        add(
            cb.items[f"most_limiting_{br}"].question(),
            "Response",
            text(most_labels, np.where(in_branch, most, -1)),
        )
        add(
            "", "Other (please specify)", np.where(in_branch & (most == 10), "Personeelstekort", "")
        )
        stem = cb.items[f"adjustable_skj_{br}"].question()
        for k, (fid, _, _, _) in enumerate(_FACTORS):
            add(
                stem if k == 0 else "",
                factor_rows[br][k],
                text(["Nee", "Ja"], np.where(in_branch, adjustable[fid], -1)),
            )
        explain = np.where(
            in_branch & (adjustable["municipal_differences"] == 1),
            "Eén set regels voor de hele regio zou veel schelen.",
            "",
        )
        add("", "Indien ja, toelichting", explain)
        stem = cb.items[f"influence_workload_{br}"].question()
        for k, (aid, _) in enumerate(_ASPECTS):
            row = cb.items[f"influence_{aid}_{br}"].row["nl"]
            add(
                stem if k == 0 else "",
                row,
                text(_INFLUENCE, np.where(in_branch, influence[aid], -1)),
            )

    superfluous = np.array([""] * n, dtype=object)
    rows = rng.choice(np.flatnonzero(~low), 98, replace=False)
    category = _assign(rng.random(98), counts_from_percentages([c for c, _ in _SUPERFLUOUS], 98))
    for r, c in zip(rows, category, strict=True):
        examples = _SUPERFLUOUS[c][1]
        superfluous[r] = examples[int(rng.integers(0, len(examples)))]
    add(cb.items["superfluous_rule"].question(), "Open-Ended Response", superfluous)

    # Metadata, then shuffle respondents with the fixed seed.
    ids = np.sort(rng.choice(np.arange(12_900_000_000, 12_990_000_000), n, replace=False))
    collector = np.where(rng.random(n) < 0.7, "404112233", "404112250")
    start = _dt.datetime(2021, 9, 13, 8, 0, 0)
    offsets = np.sort(rng.integers(0, 35 * 24 * 3600, n))
    duration = rng.integers(240, 1500, n)
    fmt = "%m/%d/%Y %I:%M:%S %p"
    starts = [start + _dt.timedelta(seconds=int(s)) for s in offsets]
    ends = [s + _dt.timedelta(seconds=int(d)) for s, d in zip(starts, duration, strict=True)]
    meta = [
        [str(i) for i in ids],
        list(collector),
        [s.strftime(fmt) for s in starts],
        [e.strftime(fmt) for e in ends],
        [""] * n,
        [""] * n,
        [""] * n,
        [""] * n,
        [""] * n,
    ]
    perm = rng.permutation(n)
    body = [[str(v) for v in c[2][perm]] for c in cols]
    # Metadata (ids, dates) stay in time order; answers are shuffled across rows.
    rows_out = [[m[i] for m in meta] + [b[i] for b in body] for i in range(n)]
    header1 = _META + [c[0] for c in cols]
    header2 = [""] * len(_META) + [c[1] for c in cols]
    return header1, header2, rows_out


def generate_demo_export(path: str | Path | None = None) -> Path:
    """Write the synthetic 2021 SurveyMonkey export (deterministic).

    Parameters
    ----------
    path : str or Path, optional
        Where to write; by default the package's own copy is rewritten.

    Returns
    -------
    Path
        The path written.
    """
    target = demo_export_path() if path is None else Path(path)
    header1, header2, rows = _build(np.random.default_rng(_SEED))
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header1)
        writer.writerow(header2)
        writer.writerows(rows)
    return target


if __name__ == "__main__":  # pragma: no cover
    print(generate_demo_export())
