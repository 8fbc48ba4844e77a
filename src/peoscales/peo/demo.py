"""The embedded demo: synthetic raw SurveyMonkey exports of the PEO waves.

Each file ``peoscales/peo/data/peo_<wave>_demo.csv`` is what SurveyMonkey's "All
responses, condensed" CSV export of that wave's questionnaire looks like: UTF-8
with a byte-order mark, two header rows (question text, as in the wave's
codebook; then ``Response``, the matrix row or ``Other (please specify)``),
metadata columns, and one row per respondent. No real person answered them:
:func:`generate_demo_export` writes them deterministically, and their answer
distributions reproduce the published figures of the wave's report as exactly as
whole counts allow.

=========  ====  ===========================================================
wave       n     reproduces
=========  ====  ===========================================================
2020-05    282   seed report 000: Tabel 1-18 and the shares of the
                 "verdiepende analyses" (by work field, workload, doing what
                 is needed, change in the nature of requests)
2021-09    178   seed report 001: Tabel 1.1, 1.2, 2.1, 2.2, 2.4, 2.6-2.9 and
                 the thematic Tabel 3.1-3.4, 3.5
2022-04    150   seed report 003 (summary): employer and experience, the
                 (ruim) onvoldoende shares of the four kinds of room and the
                 overall space, the mean work pleasure overall, by employer
                 and in the two groups the summary names
=========  ====  ===========================================================

How counts are chosen
---------------------
For each published table the counts are the whole numbers closest to the
published shares (largest remainder) that, divided by n and rounded half up,
give back every published percentage (:func:`counts_from_percentages`). Answers
are then given to respondents by ranking a latent "experienced space" variable
plus noise, so that related items correlate as in the report, and the order of
respondents is shuffled with a fixed seed. The 2020 and 2022 exports are
generated from a declarative spec of the published tables (:func:`wave_spec`,
built by :mod:`peoscales.peo._demo_spec`): published shares and means within
groups of another question are then reached by exchanging answers between
respondents, which keeps every table's counts. The 2021 export keeps the
builder it was first written with, so that the file stays the same.

2021: one published row cannot be reproduced: Tabel 2.2, "Te investeren in
relatie met cliënt", reads 6 / 27 / 52 / 2, which adds up to 87. The report's
text says 33% have (ruim) onvoldoende room for it, so 6 + 27 = 33 and the (ruim)
voldoende share is 67 = 52 + 15: the demo uses 15 for "ruim voldoende" (the "2"
is taken as a misprint of 15). Tabel 2.5's column for specialist providers
(2 / 31 / 36 / 31 with n = 59) has no whole-number solution either; the demo
uses the closest counts.

2020: the report says "ruim 280" respondents; 282 is the smallest n above 280
for which every column of Tabel 1-18 has whole counts (Tabel 2's 68 / 18 / 13
has none for 280 or 281). Four shares of the verdiepende analyses cannot all
hold together with the tables and come out one respondent off: "(zeer) veel
moeite" with work and private life, 37% of those whose workload rose and 14% of
the others, needs at least 73 respondents where Tabel 10 (17 + 8%) allows at
most 72 (the demo has 36%); 5.1% "onvoldoende of nauwelijks toegerust" of the
85 who can do what is needed as often or more often (Tabel 8) is no whole
count (the demo has 4.7%); 77% / 66% / 57% "minder vaak" by workload group add
up to one more than Tabel 8 allows with the group sizes the other shares need
(the demo has 76%); and the four work fields' shares able to help at a distance
(97 / 92 / 86 / 84%) leave Tabel 14's 92% no room for the two small fields (the
demo has 85% for ambulante en daghulp). "Verandering" for residentiële en
crisishulp (21%) is read as minder plus meer client time.

2022: the summary publishes no tables, only the figures above. Where it gives
the (ruim) onvoldoende share of a four-point item only, the split within the
two halves follows the 2021 wave; the marks for work pleasure are a distribution
with the published mean and room for the published group means. Items the
summary does not report (toegerust, percentages of working time, rules, the
chance of still working in youth care) take the 2021 distributions as stand-ins
(2021 Tabel 2.4-2.9; Tabel 2.4's 1 / 6 / 66 / 28 has no whole counts for 150);
the directions the summary states (GI professionals more often lack room to do
what is needed and to invest in the relationship, specialist care to reflect;
local teams rate the chance of staying highest and GI lowest) hold in the demo.
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
    "DEMO_WAVES",
    "counts_from_percentages",
    "demo_export_path",
    "generate_demo_export",
    "load_demo_export",
]

#: Number of respondents in the 2021 wave and in the demo export.
DEMO_N = 178
_SEED = 20210913
_FILE = "peo_2021_09_demo.csv"
#: The waves with an embedded demo export.
DEMO_WAVES = ("2020-05", "2021-09", "2022-04")


def _wave(wave: str) -> str:
    from peoscales._validation import check_option

    return str(check_option("wave", wave, DEMO_WAVES))


def demo_export_path(wave: str = "2021-09") -> Path:
    """Return the path of the embedded synthetic SurveyMonkey export of a wave.

    Parameters
    ----------
    wave : {"2020-05", "2021-09", "2022-04"}, default "2021-09"
        The wave.

    Examples
    --------
    >>> from peoscales.peo import demo_export_path
    >>> demo_export_path().name
    'peo_2021_09_demo.csv'
    >>> demo_export_path(wave="2020-05").name
    'peo_2020_05_demo.csv'
    """
    name = f"peo_{_wave(wave).replace('-', '_')}_demo.csv"
    return Path(str(resources.files("peoscales.peo.data").joinpath(name)))


def load_demo_export(wave: str = "2021-09") -> Any:
    """Read the embedded synthetic export of a wave with :func:`peoscales.read_survey`.

    Parameters
    ----------
    wave : {"2020-05", "2021-09", "2022-04"}, default "2021-09"
        The wave: 2021 has 178 respondents, 2020 282 and 2022 150.

    Returns
    -------
    SurveyExport
        The raw export, answers as the texts SurveyMonkey writes.

    Examples
    --------
    >>> from peoscales.peo import load_demo_export
    >>> raw = load_demo_export()
    >>> raw.format, raw.n
    ('surveymonkey', 178)
    >>> load_demo_export(wave="2022-04").n
    150
    """
    from peoscales._io import read_survey

    return read_survey(demo_export_path(wave))


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
    from peoscales.peo._demo_spec import metadata

    start = _dt.datetime(2021, 9, 13, 8, 0, 0)
    meta = metadata(rng, n, start, 35, ("404112233", "404112250"))
    perm = rng.permutation(n)
    body = [[str(v) for v in c[2][perm]] for c in cols]
    # Metadata (ids, dates) stay in time order; answers are shuffled across rows.
    rows_out = [[m[i] for m in meta] + [b[i] for b in body] for i in range(n)]
    header1 = _META + [c[0] for c in cols]
    header2 = [""] * len(_META) + [c[1] for c in cols]
    return header1, header2, rows_out


# ----------------------------------------------------------------------------- 2020-05
# Seed 000, the May-June 2020 quick scan: "ruim 280" respondents; the demo has 282,
# the smallest n above 280 for which every column of Tabel 1-18 has whole counts.


def _spec_2020() -> Any:
    from peoscales.peo._demo_spec import Share, WaveSpec, spec_question
    from peoscales.peo.coding import get_codebook

    book = get_codebook("2020-05")

    def q(item: str, percent: list[float], table: str, latent: float = 0.0) -> Any:
        return spec_question(book, item, percent, table, latent=latent)

    questions = (
        q("work_field", [31, 27, 10, 26, 3, 3], "Tabel 1"),
        q("contact_colleagues_internal", [68, 18, 13], "Tabel 2", 0.3),
        q("contact_colleagues_external", [43, 43, 14], "Tabel 3", 0.3),
        q("contact_manager", [31, 58, 11], "Tabel 4", 0.3),
        q("change_space_reflect", [30, 54, 16], "Tabel 5", 0.4),
        q("change_space_own_judgement", [20, 65, 15], "Tabel 6", 0.5),
        q("change_direct_contact", [44, 35, 21], "Tabel 7", 0.2),
        q("do_what_is_needed", [70, 27, 4], "Tabel 8", 0.4),
        q("workload", [1, 14, 32, 38, 15], "Tabel 9", -0.3),
        q("work_private_difficulty", [29, 46, 17, 8], "Tabel 10", -0.3),
        # codes: verslechterd, niet verbeterd of verslechterd, verbeterd, n.v.t.
        q("client_contact_remote", [25, 63, 3, 10], "Tabel 11", 0.3),
        q("client_reachability", [41, 59], "Tabel 12", -0.3),
        q("own_reachability", [1, 26, 74], "Tabel 13", 0.3),
        q("remote_help_ability", [9, 63, 29], "Tabel 14", 0.4),
        q("equipped", [1, 22, 65, 13], "Tabel 15", 0.4),
        q("change_n_requests", [7, 18, 38, 22, 15], "Tabel 16"),
        q("change_nature_requests", [33, 60, 7], "Tabel 17", -0.2),
        q("change_severity", [4, 74, 22], "Tabel 18", -0.2),
    )
    field_ = "verdiepende analyses, werkveld"
    load = "verdiepende analyses, werkdruk"
    need = "verdiepende analyses, doen wat nodig is"
    nature = "verdiepende analyses, aard problematiek"
    work = "work_field"
    targets = (
        # work fields: 1 lokaal team, 2 ambulant, 3 residentieel, 4 GI
        Share("change_direct_contact", (1,), 64, work, (2,), field_),
        Share("change_direct_contact", (1, 3), 21, work, (3,), field_),
        Share("client_reachability", (2,), 68, work, (2,), field_),
        Share("client_reachability", (2,), 67, work, (1,), field_),
        Share("client_reachability", (2,), 53, work, (4,), field_),
        Share("client_reachability", (2,), 34, work, (3,), field_),
        Share("remote_help_ability", (2, 3), 97, work, (1,), field_),
        Share("remote_help_ability", (2, 3), 92, work, (4,), field_),
        Share("remote_help_ability", (2, 3), 86, work, (3,), field_),
        Share("remote_help_ability", (2, 3), 84, work, (2,), field_),
        # workload: (1, 2) (sterk) afgenomen, 3 gelijk, (4, 5) (sterk) toegenomen
        Share("do_what_is_needed", (1,), 77, "workload", (4, 5), load),
        Share("do_what_is_needed", (1,), 66, "workload", (3,), load),
        Share("do_what_is_needed", (1,), 57, "workload", (1, 2), load),
        Share("work_private_difficulty", (3, 4), 37, "workload", (4, 5), load),
        Share("work_private_difficulty", (3, 4), 14, "workload", (1, 2, 3), load),
        Share("change_space_reflect", (1,), 40, "workload", (4, 5), load),
        Share("change_space_reflect", (1,), 18, "workload", (3,), load),
        Share("change_space_reflect", (1,), 21, "workload", (1, 2), load),
        Share("change_severity", (3,), 33, "workload", (4, 5), load),
        Share("change_severity", (3,), 9, "workload", (3,), load),
        Share("change_severity", (3,), 10, "workload", (1, 2), load),
        # do what is needed: 1 minder vaak, (2, 3) net zo vaak of vaker
        Share("client_reachability", (2,), 71, "do_what_is_needed", (1,), need),
        Share("client_reachability", (2,), 32, "do_what_is_needed", (2, 3), need),
        Share("remote_help_ability", (3,), 20, "do_what_is_needed", (1,), need),
        Share("remote_help_ability", (3,), 48, "do_what_is_needed", (2, 3), need),
        Share("equipped", (1, 2), 30, "do_what_is_needed", (1,), need),
        Share("equipped", (1, 2), 5.1, "do_what_is_needed", (2, 3), need, decimals=1),
        # nature of requests: 1 niet, (2, 3) enigszins of in sterke mate veranderd
        Share("change_severity", (3,), 31, "change_nature_requests", (2, 3), nature),
        Share("change_severity", (3,), 3, "change_nature_requests", (1,), nature),
        Share("change_n_requests", (5,), 20, "change_nature_requests", (2, 3), nature),
        Share("change_n_requests", (5,), 6, "change_nature_requests", (1,), nature),
        Share("workload", (4, 5), 61, "change_nature_requests", (2, 3), nature),
        Share("workload", (4, 5), 36, "change_nature_requests", (1,), nature),
    )
    return WaveSpec(
        wave="2020-05",
        n=282,
        seed=20200515,
        start=_dt.datetime(2020, 5, 15, 8, 0, 0),
        days=31,
        collectors=("298877401", "298877415"),
        questions=questions,
        targets=targets,
    )


# ----------------------------------------------------------------------------- 2022-04
# Seed 003, the April 2022 summary: n = 150, the fixed items.


def _spec_2022() -> Any:
    from peoscales.peo._demo_spec import Mean, OpenText, Question, WaveSpec, spec_question
    from peoscales.peo.coding import get_codebook

    book = get_codebook("2022-04")
    summary = "samenvatting 2022"

    def q(item: str, percent: list[float], source: str, **kw: Any) -> Question:
        return spec_question(book, item, percent, source, header=_header(book, item), **kw)

    # Employer codes: 1 specialist care, 2 GI, 3 local team, 4 other.
    gi_low = (("employer", {2: -0.5}),)
    questions = (
        q("employer", [31, 33, 30, 6], summary, answers=_EMPLOYER),
        q("experience", [19, 23, 11, 47], summary, answers=("0-3", "3-6", "6-10", "10+")),
        # Only the (ruim) onvoldoende shares are published; the split within the two
        # halves follows the 2021 wave's (Tabel 2.2).
        q("space_own_judgement", [5, 8, 54, 33], summary, answers=_SPACE, latent=0.8),
        q(
            "space_do_what_is_needed",
            [10, 34, 44, 12],
            summary,
            answers=_SPACE,
            latent=0.6,
            shift=gi_low,
        ),
        q(
            "space_invest_in_relationship",
            [9, 38, 41, 12],
            summary,
            answers=_SPACE,
            latent=0.6,
            shift=gi_low,
        ),
        q(
            "space_reflect",
            [5, 32, 51, 12],
            summary,
            answers=_SPACE,
            latent=0.6,
            shift=(("employer", {1: -0.6}),),
        ),
        # Not published for 2022: the 2021 distributions (Tabel 2.4-2.9) stand in.
        q(
            "equipped",
            [1, 6, 66, 28],
            "2021: Tabel 2.4",
            answers=("Nauwelijks", "Onvoldoende", "Voldoende", "Meer dan voldoende"),
            latent=0.4,
        ),
        q(
            "pct_direct_contact",
            [3.5, 3.5, 21, 21, 14.5, 14.5, 11.5, 11.5],
            "2021: Tabel 2.5",
            codes=(10, 20, 30, 40, 50, 60, 70, 80),
            latent=0.3,
        ),
        q(
            "pct_indirect_work",
            [5, 5, 17, 17, 19, 19, 9.5, 9.5],
            "2021: Tabel 2.6",
            codes=(10, 20, 30, 40, 50, 60, 70, 80),
            latent=-0.3,
        ),
        q(
            "rules_negative_influence",
            [6, 43, 51],
            "2021: Tabel 2.7",
            answers=("Nauwelijks niet", "Enigszins", "In sterke mate"),
            latent=-0.4,
        ),
        # The marks are not published, only their mean (7,3); this distribution has
        # room for the published group means.
        q(
            "work_pleasure",
            [0, 1, 3, 3, 5, 12, 25, 28, 17, 6],
            summary,
            codes=tuple(range(1, 11)),
            latent=0.6,
            mean=7.3,
        ),
        q(
            "stay_one_year",
            [2, 8, 12, 30, 44, 4],
            "2021: Tabel 2.9",
            answers=(*_CHANCE, "Weet ik niet"),
            latent=0.5,
            shift=(("employer", {2: -0.6, 3: 0.6}),),
        ),
        q("space_overall", [1, 7, 76, 16], summary, answers=_SPACE, latent=0.85),
    )
    targets = (
        Mean("work_pleasure", 7.7, "employer", (3,), summary),
        Mean("work_pleasure", 7.2, "employer", (2,), summary),
        Mean("work_pleasure", 6.9, "employer", (1,), summary),
        Mean("work_pleasure", 5.8, "space_own_judgement", (1, 2), summary),
        Mean("work_pleasure", 8.2, "space_invest_in_relationship", (3, 4), summary),
    )
    texts = (
        OpenText(
            "", "Other (please specify)", tuple(_EMPLOYER_OTHER), "employer", "employer", (4,)
        ),
        OpenText(
            book.items["fixed_comments"].question(),
            "Open-Ended Response",
            ("Het werk is mooi, maar de caseload is te hoog.",),
            "stay_one_year",
            count=19,
        ),
    )
    return WaveSpec(
        wave="2022-04",
        n=150,
        seed=20220404,
        start=_dt.datetime(2022, 4, 4, 8, 0, 0),
        days=28,
        collectors=("412500871", "412500893"),
        questions=questions,
        targets=targets,
        texts=texts,
    )


def wave_spec(wave: str) -> Any:
    """The declarative spec (:class:`peoscales.peo._demo_spec.WaveSpec`) of a wave's
    generated demo export (2020-05 and 2022-04; 2021-09 has its own builder)."""
    specs = {"2020-05": _spec_2020, "2022-04": _spec_2022}
    from peoscales._validation import check_option

    return specs[check_option("wave", wave, tuple(specs))]()


def generate_demo_export(path: str | Path | None = None, *, wave: str = "2021-09") -> Path:
    """Write the synthetic SurveyMonkey export of a wave (deterministic).

    Parameters
    ----------
    path : str or Path, optional
        Where to write; by default the package's own copy is rewritten.
    wave : {"2020-05", "2021-09", "2022-04"}, default "2021-09"
        The wave.

    Returns
    -------
    Path
        The path written.
    """
    target = demo_export_path(wave) if path is None else Path(path)
    if _wave(wave) == "2021-09":
        header1, header2, rows = _build(np.random.default_rng(_SEED))
    else:
        from peoscales.peo._demo_spec import build_export

        header1, header2, rows = build_export(wave_spec(wave))
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header1)
        writer.writerow(header2)
        writer.writerows(rows)
    return target


if __name__ == "__main__":  # pragma: no cover
    for _w in DEMO_WAVES:
        print(generate_demo_export(wave=_w))
