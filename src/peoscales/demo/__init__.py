"""Embedded synthetic data sets for examples, tutorials and the ``peoscales demo`` command.

The data are synthetic, made by :mod:`peoscales.demo.make_mental_fitness` with
:func:`peoscales.simulate`; they contain no real respondent.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from peoscales.demo._schema import CARE_TYPES, EDUCATION, GENDERS
from peoscales.demo.report import SECTIONS, DemoContext, demo_context, demo_report

__all__ = [
    "DEMO_INSTRUMENTS",
    "SECTIONS",
    "DemoContext",
    "demo_context",
    "demo_report",
    "load_mental_fitness",
]

#: The instruments answered in the mental-fitness data set.
DEMO_INSTRUMENTS = ("brs", "swing12", "wbns")


def load_mental_fitness(questions: bool = False) -> pd.DataFrame:
    """Load the synthetic mental-fitness survey of 499 youth-care professionals.

    Modelled on the 2021 national survey *Mentale fitheid van
    jeugdzorgprofessionals* (Garage2020 & PGGM&CO): the answers to the BRS
    (``brs_1`` ... ``brs_6``, coded 1-5), the 12-item SWING (``swing_nwhi_1`` ...
    ``swing_nhwi_4``, coded 1-4, instrument ``"swing12"``) and the W-BNS
    (``wbns_autonomy_1`` ... ``wbns_relatedness_6``, coded 1-5), with
    demographics. The data are simulated, with the findings of that survey built
    in: over 80% average or high resilience, higher resilience in jeugdhulp than
    in jeugdbescherming, negative work-to-home interference going with lower
    resilience and lower need satisfaction, competence rising with age, and
    resilience correlating positively with autonomy, competence and relatedness.

    About 1% of the answers are missing at random, and three respondents stopped
    before the W-BNS, so their need scores are missing (scoring warns about them).

    Parameters
    ----------
    questions : bool, default False
        Also the questions beside the instruments, coded with the codebook
        ``mental_fitness_2021`` by :func:`peoscales.peo.code_wave`: job function
        and tasks, changed working conditions, the relation with clients, whom one
        asked for support (check all that apply), the supervisor, the attitude to
        technology and its use. They hold the survey's published figures (83% of
        the respondents saw their working conditions change completely or partly,
        (ruim) 40% a somewhat worse relation with clients, 60% sought support from
        colleagues). The three respondents who stopped before the W-BNS did not
        reach them.

    Returns
    -------
    DataFrame
        Indexed by ``respondent`` (1-499), with columns

        - ``gender``: categorical ``vrouw`` / ``man`` (missing for two respondents);
        - ``age``: years (22-68);
        - ``education``: ordered categorical ``mbo`` < ``hbo`` < ``wo``;
        - ``care_type``: categorical ``jeugd-ggz``, ``jeugdhulp``,
          ``jeugdbescherming``, ``overig``;
        - ``years_experience``: years in youth care;
        - the 36 item columns as float codes (NaN where not answered);
        - with ``questions=True``, 33 more columns as :func:`~peoscales.peo.code_wave`
          codes them: categoricals with the codebook's Dutch answer labels, one
          nullable boolean column per option of ``tasks`` and ``support``
          (``support_colleagues``, ...) and the "other" texts.

    Examples
    --------
    >>> import peoscales
    >>> data = peoscales.demo.load_mental_fitness()
    >>> data.shape
    (499, 41)
    >>> data["care_type"].cat.categories.tolist()
    ['jeugd-ggz', 'jeugdhulp', 'jeugdbescherming', 'overig']
    >>> round(float(data["age"].mean()))
    43
    >>> full = peoscales.demo.load_mental_fitness(questions=True)
    >>> full.shape
    (499, 74)
    >>> int(full["conditions_changed"].isin(["deels veranderd", "volledig veranderd"]).sum())
    412
    """
    source = resources.files("peoscales.demo").joinpath("mental_fitness.csv")
    with source.open("r", encoding="utf-8") as handle:
        raw = pd.read_csv(handle, keep_default_na=False, na_values=[""])
    data = raw.set_index("respondent")
    data["gender"] = pd.Categorical(data["gender"], categories=list(GENDERS))
    data["education"] = pd.Categorical(data["education"], categories=list(EDUCATION), ordered=True)
    data["care_type"] = pd.Categorical(data["care_type"], categories=list(CARE_TYPES))
    for col in ("age", "years_experience"):
        data[col] = data[col].astype(np.int64)
    items = [c for c in data.columns if c.startswith(("brs_", "swing_", "wbns_"))]
    data[items] = data[items].astype(np.float64)
    if questions:
        data = data.join(_questions(data))
    return data


#: The background columns, which are also items of the codebook ``mental_fitness_2021``.
_BACKGROUND = ("gender", "age", "education", "care_type", "years_experience")


def _questions(data: pd.DataFrame) -> pd.DataFrame:
    """The other questions, coded with their codebook (the background columns are coded
    along so that every item of the codebook is found, then left out)."""
    from peoscales.instruments.registry import get_instrument
    from peoscales.peo.coding import code_wave

    source = resources.files("peoscales.demo").joinpath("mental_fitness_questions.csv")
    with source.open("r", encoding="utf-8") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])
    raw = raw.set_index(raw["respondent"].astype(np.int64).rename("respondent"))
    raw = raw.drop(columns="respondent")
    export = pd.concat([data[list(_BACKGROUND)].astype(object), raw], axis=1)
    book = get_instrument("mental_fitness_2021")
    columns = {item: item for item in book.items if item in export.columns}
    coded = code_wave(export, book, columns=columns).data
    return coded.drop(columns=list(_BACKGROUND))
