"""Publication-ready charts for peoscales results.

Every function takes plain data (arrays, Series, DataFrames), draws on the
``ax`` it is given (or a new figure) and returns the matplotlib ``Axes``.
Results with a natural picture have a ``.plot()`` method that calls these
functions. matplotlib (the ``report`` extra) is imported only when a chart is
drawn, so ``import peoscales`` stays light.

The palette is colour-blind safe (Okabe–Ito for categories, the ColorBrewer
RdBu diverging ramp for ordered answers and correlations); axes have labels,
no top or right spine and the number of observations in the title.
"""

from peoscales.plot._charts import (
    PALETTE,
    bars,
    coefficients,
    correlation_heatmap,
    group_means,
    grouped_bars,
    interaction,
    item_reliability,
    johnson_neyman,
    likert,
    likert_percentages,
    likert_scale,
    scale_labels,
    score_bands,
    to_svg,
    trend,
)

__all__ = [
    "PALETTE",
    "bars",
    "coefficients",
    "correlation_heatmap",
    "group_means",
    "grouped_bars",
    "interaction",
    "item_reliability",
    "johnson_neyman",
    "likert",
    "likert_percentages",
    "likert_scale",
    "scale_labels",
    "score_bands",
    "to_svg",
    "trend",
]
