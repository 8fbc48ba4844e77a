"""Synthetic survey exports generated from a declarative spec of a wave's published tables.

A :class:`WaveSpec` lists the wave's questions in questionnaire order, each with the
published percentages of its answers (:class:`Question`), and the published shares
and means within groups of another question (:class:`Share`, :class:`Mean`, e.g.
"of those whose workload rose, 77% can less often do what is needed").
:func:`build_export` turns it into the two header rows and the answer rows of a
SurveyMonkey export:

1. every question's counts reproduce its published percentages
   (:func:`peoscales.peo.demo.counts_from_percentages`); a question that defines
   the groups of a published share takes, among the counts that reproduce its
   percentages, those whose group sizes let the most shares be whole counts;
2. answers are given by ranking a latent variable plus noise (and shifts by the
   answers to earlier questions), so that related questions correlate;
3. answers are then exchanged between respondents (which keeps every question's
   counts) until each published share and mean within a group is reproduced, or
   is as close as whole counts allow (a search over random pairs of respondents).

Questions are generated in an order where a question comes after those that define
its groups; the columns keep the questionnaire order.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from peoscales._io import SURVEYMONKEY_HEADER

__all__ = [
    "Mean",
    "OpenText",
    "Question",
    "Share",
    "WaveSpec",
    "build_export",
    "metadata",
    "spec_question",
]


@dataclass(frozen=True)
class Question:
    """A closed question of the export and the published percentages of its answers.

    ``percent`` and ``answers`` run in the codebook's order of answer codes (the
    non-substantive answers such as "weet niet" last). ``codes`` are the codebook
    codes (or, for numeric questions, the values) of those answers. ``latent``
    is the loading on the respondents' latent variable; ``shift`` adds, to the
    ranking score, a value per answer code of an earlier question.
    """

    item: str
    header: str
    percent: tuple[float, ...]
    answers: tuple[str, ...]
    codes: tuple[int, ...]
    source: str
    latent: float = 0.0
    shift: tuple[tuple[str, Mapping[int, float]], ...] = ()
    sub: str = "Response"
    mean: float | None = None


@dataclass(frozen=True)
class Share:
    """A published percentage of ``item``'s answers ``codes`` among the respondents
    who gave ``by`` one of ``by_codes``."""

    item: str
    codes: tuple[int, ...]
    percent: float
    by: str
    by_codes: tuple[int, ...]
    source: str
    decimals: int = 0


@dataclass(frozen=True)
class Mean:
    """A published mean of ``item`` among the respondents who gave ``by`` one of
    ``by_codes``, rounded to ``decimals``."""

    item: str
    mean: float
    by: str
    by_codes: tuple[int, ...]
    source: str
    decimals: int = 1


@dataclass(frozen=True)
class OpenText:
    """A text column: ``texts`` given in turn to the respondents who gave ``when``
    one of ``when_codes`` (or to ``count`` random respondents when ``when`` is empty)."""

    header: str
    sub: str
    texts: tuple[str, ...]
    after: str
    when: str = ""
    when_codes: tuple[int, ...] = ()
    count: int = 0


@dataclass(frozen=True)
class WaveSpec:
    """Everything a wave's synthetic export is generated from."""

    wave: str
    n: int
    seed: int
    start: _dt.datetime
    days: int
    collectors: tuple[str, str]
    questions: tuple[Question, ...]
    targets: tuple[Share | Mean, ...] = ()
    texts: tuple[OpenText, ...] = field(default=())


# ----------------------------------------------------------------------------- counts


def _interval(percent: float, m: int, decimals: int = 0) -> tuple[float, float]:
    """Counts ``c`` of ``m`` with ``round_half_up(100 c / m, decimals) == percent``
    lie in ``[lo, hi)``."""
    half = 0.5 * 10.0**-decimals
    return (percent - half) * m / 100, (percent + half) * m / 100


def _whole(lo: float, hi: float) -> bool:
    return int(np.ceil(lo - 1e-9)) < hi - 1e-9


def _candidates(percent: Sequence[float], n: int) -> list[tuple[int, ...]]:
    """Every count vector summing to ``n`` that reproduces ``percent``."""
    p = np.asarray(percent, dtype=float)
    lo = np.maximum(np.ceil((p - 0.5) * n / 100 - 1e-9), 0).astype(int)
    hi = (np.ceil((p + 0.5) * n / 100 - 1e-9) - 1).astype(int)
    ranges = [range(a, b + 1) for a, b in zip(lo, hi, strict=True)]
    return [c for c in itertools.product(*ranges) if sum(c) == n]


def _totals_fit(
    cand: Sequence[int], q: Question, own: Sequence[Share], answered: Mapping[str, np.ndarray]
) -> int:
    """How many of ``q``'s groups of published shares (one set of answers by one
    earlier question) have whole solutions that add up to ``cand``'s count."""
    fits = 0
    sets: dict[tuple[str, tuple[int, ...]], list[Share]] = {}
    for t in own:
        sets.setdefault((t.by, t.codes), []).append(t)
    for (by, codes), shares in sets.items():
        lo = hi = 0
        covered: set[int] = set()
        for t in shares:
            m = int(np.isin(answered[by], t.by_codes).sum())
            a, b = _interval(t.percent, m, t.decimals)
            lo += int(np.ceil(a - 1e-9))
            hi += int(np.ceil(b - 1e-9) - 1)
            covered |= set(t.by_codes)
        total = sum(c for c, code in zip(cand, q.codes, strict=True) if code in codes)
        everyone = set(np.unique(answered[by]).tolist()) <= covered
        fits += lo <= total and (total <= hi or not everyone)
    return fits


def _counts(
    q: Question, n: int, targets: Sequence[Share | Mean], answered: Mapping[str, np.ndarray]
) -> np.ndarray:
    """The counts of ``q``: the largest remainder counts, or, when published shares
    involve ``q``, the reproducing counts that let most of them be whole (ties go
    to the counts nearest the largest remainder ones)."""
    from peoscales.peo.demo import _with_mean, counts_from_percentages

    base = counts_from_percentages(q.percent, n)
    if q.mean is not None:
        values = np.asarray(q.codes, dtype=float)
        return _with_mean(base, q.percent, n, values, q.mean)
    groups = [t for t in targets if t.by == q.item and isinstance(t, Share)]
    own = [t for t in targets if t.item == q.item and isinstance(t, Share)]
    if not groups and not own:
        return base
    best: tuple[int, int, tuple[int, ...]] | None = None
    for cand in _candidates(q.percent, n):
        fits = _totals_fit(cand, q, own, answered) if own else 0
        for t in groups:
            m = sum(c for c, code in zip(cand, q.codes, strict=True) if code in t.by_codes)
            fits += _whole(*_interval(t.percent, m, t.decimals))
        dist = int(np.abs(np.asarray(cand) - base).sum())
        key = (-fits, dist, cand)
        if best is None or key < best:
            best = key
    return base if best is None else np.asarray(best[2])


# ----------------------------------------------------------------------------- fitting


def _fit(
    cat: np.ndarray,
    q: Question,
    targets: Sequence[Share | Mean],
    answered: Mapping[str, np.ndarray],
    rng: np.random.Generator,
    *,
    fixed: bool = False,
    batch: int = 512,
    patience: int = 100,
) -> np.ndarray:
    """Change answers until the targets on ``q`` hold, keeping ``q``'s percentages.

    Each target is a sum over a group (answers in ``codes``, or values for a
    mean) that must fall in the interval of sums rounding to the published
    figure. Two kinds of move are tried, ``batch`` random ones of each per round:
    exchanging two respondents' answers (the counts stay) and changing one
    respondent's answer where the counts stay inside the interval that rounds to
    the published percentages (not when ``fixed``: a question with a published
    mean, or one whose counts were chosen for the sizes of the groups it defines).
    Each round takes the move that lowers the total distance to the intervals most.
    """
    codes = np.asarray(q.codes)
    masks, values, lows, highs = [], [], [], []
    for t in targets:
        group = np.isin(answered[t.by], t.by_codes)
        m = int(group.sum())
        if isinstance(t, Share):
            value = np.isin(codes, t.codes).astype(float)
            lo, hi = _interval(t.percent, m, t.decimals)
        else:
            value = codes.astype(float)
            half = 0.5 * 10.0**-t.decimals
            lo, hi = (t.mean - half) * m, (t.mean + half) * m
        if _whole(lo, hi):  # sums are whole: the integers that round right
            lo, hi = float(np.ceil(lo - 1e-9)), float(np.ceil(hi - 1e-9) - 1)
        masks.append(group.astype(float))
        values.append(value)
        lows.append(lo)
        highs.append(hi)
    g = np.asarray(masks)
    v = np.asarray(values)
    lo_arr, hi_arr = np.asarray(lows)[:, None], np.asarray(highs)[:, None]
    cat = cat.copy()
    n, k = len(cat), len(codes)
    counts = np.bincount(cat, minlength=k)
    p = np.asarray(q.percent, dtype=float)
    c_lo = np.maximum(np.ceil((p - 0.5) * n / 100 - 1e-9), 0)
    c_hi = np.ceil((p + 0.5) * n / 100 - 1e-9) - 1
    if fixed or np.any(counts < c_lo) or np.any(counts > c_hi):
        c_lo, c_hi = counts.astype(float), counts.astype(float)
    s = (g * v[:, cat]).sum(axis=1)[:, None]

    def distance(sums: np.ndarray) -> np.ndarray:
        return (np.maximum(lo_arr - sums, 0) + np.maximum(sums - hi_arr, 0)).sum(axis=0)

    current = float(distance(s)[0])
    stall = 0
    while current > 1e-12 and stall < patience:
        # exchanges of two respondents' answers
        i = rng.integers(0, n, batch)
        j = rng.integers(0, n, batch)
        vi, vj = v[:, cat[i]], v[:, cat[j]]
        swap = g[:, i] * (vj - vi) + g[:, j] * (vi - vj)
        # one respondent's answer changed, counts kept inside their intervals
        r = rng.integers(0, n, batch)
        to = rng.integers(0, k, batch)
        allowed = (to != cat[r]) & (counts[cat[r]] > c_lo[cat[r]]) & (counts[to] < c_hi[to])
        change = g[:, r] * (v[:, to] - v[:, cat[r]])
        after = np.concatenate(
            [distance(s + swap), np.where(allowed, distance(s + change), np.inf)]
        )
        b = int(np.argmin(after))
        if after[b] >= current - 1e-12:
            stall += 1
            continue
        current = float(after[b])
        if b < batch:
            cat[i[b]], cat[j[b]] = cat[j[b]], cat[i[b]]
            s = s + swap[:, b : b + 1]
        else:
            b -= batch
            counts[cat[r[b]]] -= 1
            counts[to[b]] += 1
            cat[r[b]] = to[b]
            s = s + change[:, b : b + 1]
        stall = 0
    return cat


# ----------------------------------------------------------------------------- export


def _order(spec: WaveSpec) -> list[Question]:
    """Questions in an order where the questions that define groups come first."""
    needs = {q.item: {t.by for t in spec.targets if t.item == q.item} for q in spec.questions}
    for q in spec.questions:
        needs[q.item] |= {by for by, _ in q.shift}
    done: set[str] = set()
    out: list[Question] = []
    pending = list(spec.questions)
    while pending:
        ready = next(q for q in pending if needs[q.item] <= done)
        pending.remove(ready)
        done.add(ready.item)
        out.append(ready)
    return out


def metadata(
    rng: np.random.Generator,
    n: int,
    start: _dt.datetime,
    days: int,
    collectors: tuple[str, str],
) -> list[list[str]]:
    """SurveyMonkey's metadata columns: ids and times in order of response."""
    ids = np.sort(rng.choice(np.arange(12_900_000_000, 12_990_000_000), n, replace=False))
    collector = np.where(rng.random(n) < 0.7, *collectors)
    offsets = np.sort(rng.integers(0, days * 24 * 3600, n))
    duration = rng.integers(240, 1500, n)
    fmt = "%m/%d/%Y %I:%M:%S %p"
    starts = [start + _dt.timedelta(seconds=int(s)) for s in offsets]
    ends = [s + _dt.timedelta(seconds=int(d)) for s, d in zip(starts, duration, strict=True)]
    empty = [""] * n
    return [
        [str(i) for i in ids],
        [str(c) for c in collector],
        [s.strftime(fmt) for s in starts],
        [e.strftime(fmt) for e in ends],
        empty,
        empty,
        empty,
        empty,
        empty,
    ]


def generate_answers(spec: WaveSpec, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The answer codes (or values) of every question, one per respondent."""
    n = spec.n
    latent = rng.standard_normal(n)
    answered: dict[str, np.ndarray] = {}
    for q in _order(spec):
        counts = _counts(q, n, spec.targets, answered)
        w = q.latent
        score = w * latent + np.sqrt(1 - w**2) * rng.standard_normal(n)
        for by, shift in q.shift:
            for code, value in shift.items():
                score = score + value * (answered[by] == code)
        order = np.argsort(score, kind="stable")
        cat = np.empty(n, dtype=int)
        cat[order] = np.repeat(np.arange(len(counts)), counts)
        mine = [t for t in spec.targets if t.item == q.item]
        if mine:
            fixed = q.mean is not None or any(t.by == q.item for t in spec.targets)
            cat = _fit(cat, q, mine, answered, rng, fixed=fixed)
        answered[q.item] = np.asarray(q.codes)[cat]
    return answered


def build_export(spec: WaveSpec) -> tuple[list[str], list[str], list[list[str]]]:
    """The two header rows and the answer rows of ``spec``'s SurveyMonkey export."""
    rng = np.random.default_rng(spec.seed)
    answers = generate_answers(spec, rng)
    n = spec.n
    cols: list[tuple[str, str, list[str]]] = []
    for q in spec.questions:
        text = dict(zip(q.codes, q.answers, strict=True))
        cols.append((q.header, q.sub, [text[int(c)] for c in answers[q.item]]))
        for extra in spec.texts:
            if extra.after != q.item:
                continue
            if extra.when:
                picked = np.flatnonzero(np.isin(answers[extra.when], extra.when_codes))
            else:
                picked = np.sort(rng.choice(n, extra.count, replace=False))
            column = [""] * n
            for k, r in enumerate(picked):
                column[int(r)] = extra.texts[k % len(extra.texts)]
            cols.append((extra.header, extra.sub, column))
    meta = metadata(rng, n, spec.start, spec.days, spec.collectors)
    perm = rng.permutation(n)
    body = [[c[2][int(i)] for i in perm] for c in cols]
    # Metadata (ids, dates) stay in time order; answers are shuffled across rows.
    rows = [[m[i] for m in meta] + [b[i] for b in body] for i in range(n)]
    header1 = list(SURVEYMONKEY_HEADER) + [c[0] for c in cols]
    header2 = [""] * len(SURVEYMONKEY_HEADER) + [c[1] for c in cols]
    return header1, header2, rows


def answer_texts(labels: Sequence[str]) -> tuple[str, ...]:
    """Answer texts as a survey tool shows them: the first letter capitalised."""
    return tuple(label[:1].upper() + label[1:] for label in labels)


def spec_question(
    book: Any,
    item: str,
    percent: Sequence[float],
    source: str,
    *,
    header: str | None = None,
    answers: Sequence[str] | None = None,
    **kwargs: Any,
) -> Question:
    """A :class:`Question` with the codebook's question text, codes and labels."""
    it = book.items[item]
    options = book.response_scales[it.response_scale].options
    if options:
        codes = tuple(int(o.code) for o in options)
        labels = answers if answers is not None else answer_texts([o.labels["nl"] for o in options])
    else:  # numeric: one category per value
        codes = tuple(kwargs.pop("codes"))
        labels = answers if answers is not None else [str(c) for c in codes]
    return Question(
        item=item,
        header=header if header is not None else it.question("nl"),
        percent=tuple(float(p) for p in percent),
        answers=tuple(labels),
        codes=codes,
        source=source,
        **kwargs,
    )
