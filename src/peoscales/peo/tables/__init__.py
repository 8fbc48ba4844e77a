"""Report tables for PEO surveys: frequencies, item tables, crosstabs, group means, trends.

Every function takes the coded data of one wave (one row per respondent, one
column per codebook item, as returned by :func:`peoscales.peo.code_wave`) and
the wave's codebook, and returns a frozen result with ``to_frame()``,
``summary()`` and ``_repr_html_()``. Numbers are stored unrounded; rounding
and the suppression marks are applied when a table is displayed.

Disclosure control
------------------
PEO samples are small workplace surveys. Displayed tables follow one rule,
controlled by ``min_group_size`` (default 5):

* a *group* (the whole sample of a one-way table, a column of a crosstab, a
  group in a table of means) with fewer respondents than the threshold is
  suppressed as a whole, its size shown as ``<5``;
* in a table that crosses an answer with a background group (a crosstab), a
  *cell* with 1 to threshold - 1 respondents is suppressed (``<5``); zero
  cells are shown;
* the row and column totals of a crosstab are published, so further
  (complementary) cells are hidden (``x``) until no hidden cell can be
  computed exactly from the totals and the visible cells. This is checked by
  linear programming, not by a rule of thumb;
* when exactly one group is small, the total of the next smallest group is
  hidden too (``x``): otherwise the small group is the row totals minus the
  others;
* a one-way table of the whole sample shows small counts, also as the row
  totals (``Totaal``) of a crosstab: it attaches an answer to no identifiable
  subgroup (this is how the published PEO reports show, e.g., the 1%
  answering ``nauwelijks``). A crosstab in which one group holds everyone is
  such a one-way table.

Test statistics are computed on the full, unsuppressed table.

One file per table kind (``frequency``, ``items``, ``crosstabs``, ``dichotomy``, ``means``,
``waves``, ``trend``), with the reading of one item's answers in ``answers`` and what they share in
``common``; small-cell suppression itself is a kernel (``peoscales._kernels.peo_tables``).
"""

from peoscales.peo.tables.crosstabs import CrosstabTable, crosstab_table
from peoscales.peo.tables.dichotomy import DichotomyTable, dichotomy_table
from peoscales.peo.tables.frequency import FrequencyTable, frequency_table
from peoscales.peo.tables.items import ItemTable, item_table
from peoscales.peo.tables.means import GroupMeans, group_means
from peoscales.peo.tables.trend import TrendTable, trend
from peoscales.peo.tables.waves import WaveComparison, compare_waves

__all__ = [
    "CrosstabTable",
    "DichotomyTable",
    "FrequencyTable",
    "GroupMeans",
    "ItemTable",
    "TrendTable",
    "WaveComparison",
    "compare_waves",
    "crosstab_table",
    "dichotomy_table",
    "frequency_table",
    "group_means",
    "item_table",
    "trend",
]
