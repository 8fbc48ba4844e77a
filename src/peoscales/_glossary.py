"""The glossary: one name per concept, for every argument and result attribute.

This module is the single source of the names. The documentation's glossary page
(``docs/glossary.rst``) is generated from :data:`SECTIONS`, and the test suite
(``tests/test_glossary.py``) walks every public function signature and every public
result class (dataclass fields and properties) and fails on a name that is not here.
A name that is here but used by nothing yet is reserved for its concept, so that the
next function that needs it uses it.

Walking the public API (:func:`public_names`, :func:`deprecated_names`) is done here
too, so the documentation and the test see the same names.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["SECTIONS", "Term", "deprecated_names", "glossary", "public_names"]


@dataclass(frozen=True)
class Term:
    """One glossary entry: what it is, its name, and what the name means exactly."""

    concept: str
    name: str
    meaning: str


def _terms(*rows: tuple[str, str, str]) -> tuple[Term, ...]:
    return tuple(Term(*row) for row in rows)


#: The glossary, by section: (concept, name, meaning).
# fmt: off
SECTIONS: tuple[tuple[str, tuple[Term, ...]], ...] = (
    (
        "Rows, counts and samples",
        _terms(
            ("observations used", "n", "Number of cases (rows) an analysis used; per pair in a correlation matrix, per group in ``descriptives``."),
            ("rows left out", "n_excluded", "Rows left out of an analysis (a missing value, no group); never silently dropped."),
            ("labels of the rows left out", "excluded", "The caller's index labels of the rows counted in ``n_excluded``."),
            ("rows in the data", "n_rows", "Rows in the data given, before any were left out."),
            ("answers per variable", "n_obs", "Number of answered (non-missing) values per variable; for a statistic computed from a covariance or correlation matrix, the number of respondents behind the matrix."),
            ("respondents in the data", "n_total", "All respondents of a report table, whatever they answered."),
            ("respondents in the percentage base", "n_base", "Respondents whose answers are the base (100 %) of the percentages."),
            ("answers outside the groups", "n_ungrouped", "Answers that fall in no group of the grouping used, left out and counted."),
            ("number of items", "k", "Number of items of a scale."),
            ("items per scale", "n_items", "Number of items of each scale scored."),
            ("answered items", "answered", "Number of answered items per respondent and scale."),
            ("items a score needs", "required", "Least number of answered items a score needs, per scale."),
            ("respondents without a score", "n_below_minimum", "Respondents whose score is missing because they answered too few items."),
            ("answers treated as missing", "n_nonsubstantive", "Answers such as *weet niet* that count as missing, per scale."),
            ("corrected pairs", "n_corrected", "Item pairs whose polychoric table needed the continuity correction for empty cells."),
            ("smallest expected count", "min_expected", "Smallest expected cell count of a chi-square test."),
            ("small expected counts", "small_expected", "True when more than 20 % of the expected counts are below 5, or one is below 1 (Cochran's rule)."),
            ("smallest reported group", "min_group_size", "Cells and groups with fewer respondents are suppressed when displayed; ``None`` shows everything."),
        ),
    ),
    (
        "Test statistics and p-values",
        _terms(
            ("chi-square statistic", "chi2", "Pearson's chi-square statistic (Yates-corrected where a result says so); its degrees of freedom are ``df``."),
            ("uncorrected chi-square", "chi2_uncorrected", "Pearson's chi-square without the continuity correction."),
            ("F statistic", "f", "The F statistic of a result with one F test; its degrees of freedom are ``df1`` and ``df2``."),
            ("numerator degrees of freedom", "df1", "Numerator (between-groups, model) degrees of freedom of the F test."),
            ("denominator degrees of freedom", "df2", "Denominator (within-groups, residual) degrees of freedom of the F test."),
            ("degrees of freedom", "df", "Degrees of freedom of a t or chi-square statistic; ANOVA tables keep a ``df`` per row."),
            ("t statistic", "t", "Student's or Welch's t."),
            ("Kruskal–Wallis H", "h", "The tie-corrected Kruskal–Wallis statistic."),
            ("Mann–Whitney U", "u", "The Mann–Whitney statistic of the first group (R's ``W``)."),
            ("Wilcoxon signed-rank V", "w", "The Wilcoxon signed-rank statistic (R's ``V``)."),
            ("p-value", "p", "The p-value of the test (or a matrix of them)."),
            ("adjusted p-value", "p_adjusted", "p-values adjusted for multiple tests by the method in ``adjust``."),
            ("adjustment method", "adjust", '``"holm"``, ``"bonferroni"``, ``"fdr_bh"`` or ``"none"``.'),
            ("alternative hypothesis", "alternative", '``"two-sided"``, ``"less"`` or ``"greater"``.'),
            ("exact p-value", "exact", "Whether the p-value is exact rather than a large-sample approximation."),
            ("equal variances", "equal_var", "True: Student's test with the pooled variance; False: Welch's test."),
            ("continuity correction (Yates)", "correction", "Whether Yates' continuity correction is applied to a 2 x 2 chi-square test."),
            ("Fisher's exact test", "fisher", "Whether to compute Fisher's exact test (default: for every 2 x 2 table)."),
            ("Fisher's p-value", "fisher_p", "Two-sided p-value of Fisher's exact test (2 x 2 tables)."),
            ("Welch's test", "welch", "Welch's ANOVA (no equal-variance assumption): the option, and its result (``f``, ``df1``, ``df2``, ``p``)."),
            ("Welch's F", "welch_f", "Welch's F statistic; its numerator df is ``df1``."),
            ("Welch's denominator df", "welch_df2", "Welch–Satterthwaite denominator degrees of freedom of Welch's F."),
            ("Welch's p-value", "welch_p", "p-value of Welch's F test."),
            ("post-hoc comparisons", "posthoc", "Pairwise comparisons of all groups after an ANOVA: the option and the table."),
            ("simple comparisons of the within factor", "posthoc_within", "Mixed design: paired tests of every pair of conditions inside each group of the between factor."),
            ("simple comparisons of the between factor", "posthoc_between", "Mixed design: tests of every pair of groups at each condition of the within factor."),
            ("post-hoc procedure", "posthoc_method", "The post-hoc procedure used (Tukey HSD, Games–Howell)."),
            ("expected counts", "expected", "Expected cell counts under independence."),
            ("adjusted residuals", "stdres", "Adjusted standardised residuals of a crosstab (Haberman; R's ``chisq.test()$stdres``)."),
            ("tests per item", "tests", "A table with one test per item (``chi2``, ``df``, ``p``, ``cramers_v``, n)."),
        ),
    ),
    (
        "Effect sizes and estimates",
        _terms(
            ("mean difference", "diff", "Difference of the two group means, ``groups[0] - groups[1]``."),
            ("standard error", "se", "Standard error of an estimate."),
            ("Cohen's d (between)", "d", "Cohen's d with the pooled standard deviation."),
            ("Cohen's d_z (paired)", "dz", "Mean difference over the standard deviation of the differences."),
            ("Cohen's d_av", "d_av", "Mean difference over the mean of the two standard deviations (paired designs)."),
            ("Hedges' g", "g", "Cohen's d times the exact small-sample correction J."),
            ("eta squared", "eta2", "η² = SS_between / SS_total."),
            ("partial eta squared", "eta2_partial", "Partial η² = SS_effect / (SS_effect + SS_error)."),
            ("generalised eta squared", "eta2_generalized", "Generalised η² (Olejnik & Algina, 2003), comparable across designs."),
            ("eta squared from H", "eta2_h", "η²_H = (H − k + 1) / (n − k) (Tomczak & Tomczak, 2014), the rank effect size of Kruskal–Wallis."),
            ("omega squared", "omega2", "ω² = (SS_b − df_b MS_w) / (SS_t + MS_w)."),
            ("epsilon squared for H", "epsilon2", "ε² = H / (n − 1) for Kruskal–Wallis."),
            ("Kendall's W", "kendalls_w", "Kendall's coefficient of concordance."),
            ("rank-biserial correlation", "r_rb", "Rank-biserial correlation ``2U / (n1 n2) - 1``."),
            ("Cramér's V", "cramers_v", "Cramér's V from the uncorrected chi-square statistic."),
            ("correlation coefficient", "r", "A correlation coefficient (or matrix of them), whatever the method; the method is in ``method``."),
            ("odds ratio", "odds_ratio", "The conditional maximum-likelihood odds ratio of a 2 x 2 table (R's ``fisher.test``)."),
            ("unstandardised coefficient", "b", "Regression coefficient in the units of the variables."),
            ("standardised coefficient", "beta", "Regression coefficient of the standardised variables."),
            ("explained variance", "r2", "R² of a regression model."),
            ("adjusted explained variance", "adj_r2", "Adjusted R² of a regression model."),
            ("change in R²", "r2_change", "R² gained by a step of a hierarchical regression."),
            ("F of the change", "f_change", "F test of the R² change of a step."),
            ("numerator df of the change", "df1_change", "Numerator degrees of freedom of the F test of the R² change."),
            ("denominator df of the change", "df2_change", "Denominator degrees of freedom of the F test of the R² change."),
            ("p of the change", "p_change", "p-value of the F test of the R² change."),
            ("means", "mean", "Arithmetic means (per variable)."),
            ("standard deviations", "sd", "Standard deviations with n − 1 (per variable)."),
        ),
    ),
    (
        "Confidence intervals",
        _terms(
            ("confidence level", "confidence", "The confidence level of the intervals, e.g. 0.95; argument and result attribute."),
            ("interval method", "ci_method", 'How an interval is computed, e.g. ``"feldt"``, ``"bootstrap"``, ``"percentile"``, ``"bca"``; ``None`` for no interval.'),
            ("lower bound of the main estimate", "ci_low", "Lower confidence limit of a result's main estimate."),
            ("upper bound of the main estimate", "ci_high", "Upper confidence limit of a result's main estimate."),
            ("lower bound of d", "d_ci_low", "Lower confidence limit of ``d``."),
            ("upper bound of d", "d_ci_high", "Upper confidence limit of ``d``."),
            ("lower bound of g", "g_ci_low", "Lower confidence limit of ``g``."),
            ("upper bound of g", "g_ci_high", "Upper confidence limit of ``g``."),
            ("lower bound of the rank-biserial r", "r_rb_ci_low", "Lower confidence limit of ``r_rb``."),
            ("upper bound of the rank-biserial r", "r_rb_ci_high", "Upper confidence limit of ``r_rb``."),
            ("lower bound of the odds ratio", "odds_ratio_ci_low", "Lower limit of the exact 95 % interval of ``odds_ratio``."),
            ("upper bound of the odds ratio", "odds_ratio_ci_high", "Upper limit of the exact 95 % interval of ``odds_ratio``."),
            ("bootstrap replicates", "n_boot", "Number of bootstrap replicates."),
            ("replicate estimates", "replicates", "The bootstrap replicates of the estimate."),
            ("random seed", "seed", "Seed (or NumPy generator) that makes random draws reproducible."),
        ),
    ),
    (
        "Reliability and factor models",
        _terms(
            ("Cronbach's alpha", "alpha", "Cronbach's alpha from the covariances (ordinal alpha with ``ordinal=True``)."),
            ("standardised alpha", "std_alpha", "Cronbach's alpha from the correlations."),
            ("Guttman's lambda-6", "g6", "Guttman's λ6, from the squared multiple correlations."),
            ("average inter-item correlation", "average_r", "Mean of the correlations between the items."),
            ("median inter-item correlation", "median_r", "Median of the correlations between the items."),
            ("omega total", "omega_total", "McDonald's ω total."),
            ("omega hierarchical", "omega_hierarchical", "McDonald's ω hierarchical of a bifactor model."),
            ("omega total of all items", "omega_total_all", "ω total of all items of several scales together."),
            ("general-factor loadings", "general_loadings", "Loadings of the items on the general factor."),
            ("number of factors", "n_factors", "Number of (group) factors of a factor model."),
            ("reverse negative loaders", "flip", "Whether items that load negatively on the general factor are reversed (``psych::omega``'s ``flip``)."),
            ("reversed items", "flipped", "The items reversed because they loaded negatively."),
            ("items reversed for omega", "omega_flipped", "The items reversed for omega total of a scale."),
            ("odd-even split half", "split_half_odd_even", "Spearman–Brown split-half reliability of the odd-even split."),
            ("random split half", "split_half_random", "Mean Spearman–Brown split-half reliability over all (or random) splits."),
            ("item analysis", "item_table", "One row per item: n, mean, sd, reversed, r_cor, r_drop, alpha_if_deleted."),
            ("ordinal data", "ordinal", "Use polychoric instead of Pearson correlations."),
            ("thresholds", "tau", "Thresholds of the polychoric model, one row per item."),
            ("smooth the matrix", "smooth", "Smooth a correlation matrix that is not positive definite (``psych::cor.smooth``)."),
            ("smoothed", "smoothed", "Whether the matrix was smoothed."),
            ("thresholds per item", "global_thresholds", "Each item's thresholds from its own answers (True) or from each pair's table (False)."),
            ("continuity correction (polychoric)", "correct", "Added to the empty cells of a pair's table (``correct / n``), as ``psych::polychoric``."),
            ("most categories", "max_categories", "Largest number of categories an item may span."),
        ),
    ),
    (
        "Data, columns and designs",
        _terms(
            ("the data", "data", "A DataFrame, one row per respondent (never modified); or the data a result holds."),
            ("a dask DataFrame", "ddf", "A dask DataFrame, one row per respondent."),
            ("columns", "columns", "Column names to use (or, in results, the variables), in the caller's order."),
            ("outcome column", "dv", "The dependent variable (outcome)."),
            ("between-subjects factor", "between", "The grouping column of a between-subjects comparison."),
            ("within-subjects factor", "within", "The column naming the conditions or measurements of a within-subjects design (long data)."),
            ("person id", "subject", "The column identifying the person in long data."),
            ("split by a column", "by", "Split a description or table by the values of this column."),
            ("groups compared", "groups", "The group labels compared, in order; in instruments, the groups of a grouping."),
            ("row variable", "row", "The column whose values form the rows of a crosstab; in an instrument, an item's sub-question label."),
            ("column variable", "col", "The column whose values form the columns of a crosstab."),
            ("missing-data handling", "missing", '``"listwise"`` or ``"pairwise"``.'),
            ("share of missing answers", "missing_share", "Share of answers left empty at random, in [0, 1)."),
            ("method", "method", "Which procedure: correlation (``pearson`` ...), scoring (``mean``/``sum``), test (``t``, ``mann-whitney``, ``anova``, ``kruskal``)."),
            ("descriptive statistics", "descriptives", "n, mean, sd (or median, mean rank) per group; in a correlation table, whether to show M and SD."),
            ("table", "table", "The main table of a result, or a table of counts given."),
            ("counts", "counts", "A table of counts."),
            ("percentages", "percentages", "A table of percentages (unrounded)."),
            ("percentage base", "percent_of", 'What the percentages are shares of: ``"col"``, ``"row"``, ``"total"`` (crosstab) or ``"valid"``, ``"substantive"``, ``"all"`` (survey tables).'),
            ("values", "values", "Values to look up or group."),
            ("output now", "compute", "Compute now (True) or return a lazy ``dask.delayed`` object."),
            ("tree reduction width", "split_every", "How many partitions are combined in one step of a dask tree reduction."),
            ("progress bar", "progress", "Show dask's progress bar while the partitions of a dask DataFrame are read."),
            ("value counts kept", "max_distinct", "Most distinct values per column whose counts are kept (for exact medians of data read in partitions)."),
        ),
    ),
    (
        "Regression",
        _terms(
            ("model formula or outcome", "formula_or_y", "A patsy formula (``y ~ x1 + x2``) or the name of the outcome column."),
            ("formula", "formula", "The model as a formula."),
            ("predictors", "predictors", "Predictor columns."),
            ("blocks", "blocks", "Predictors entered in steps (hierarchical regression)."),
            ("standardise", "standardize", "Add standardised coefficients (``beta``)."),
            ("robust standard errors", "robust", "Heteroscedasticity-consistent covariance estimator (``HC0`` ... ``HC3``), or None."),
            ("reference categories", "reference", "Reference (omitted) level per categorical predictor."),
            ("coefficients", "coefficients", "The coefficient table: b, se, beta, t, p, ci_low, ci_high, vif."),
            ("steps", "steps", "The steps of a hierarchical regression."),
            ("step", "step", "Number of a step (1 for the first block)."),
            ("terms added", "added", "Design columns entered at a step."),
            ("variables added", "variables", "Predictor columns entered at a step."),
            ("hierarchical", "hierarchical", "Whether the regression has more than one step."),
            ("fitted model", "fit", "The underlying fitted model object (statsmodels)."),
            ("term", "term", "A row (term) of the coefficient table."),
            ("generalised VIF", "gvif", "Generalised VIF per model term (``car::vif``): gvif, df and gvif_adjusted = GVIF^(1/(2 df))."),
        ),
    ),
    (
        "Instruments and scoring",
        _terms(
            ("instrument", "instrument", "An instrument (or survey codebook) by name, definition or a list of them."),
            ("instruments", "instruments", "The instruments used."),
            ("scale", "scale", "A scale id (or the name of an ad-hoc item set)."),
            ("scales", "scales", "Scale ids to use, or the scales of a result."),
            ("item", "item", "An item id (a column)."),
            ("items", "items", "Item ids (columns)."),
            ("reverse-keyed items", "reverse", "Items scored in reverse (reversed on the declared range)."),
            ("least answered items", "min_valid", "Least number (int) or share (float) of answered items a score needs."),
            ("least answered share", "min_valid_share", "Least share of answered items a score needs."),
            ("details", "details", "Return the full scoring result instead of the scores alone."),
            ("scores", "scores", "Scale scores, one column per scale."),
            ("scoring result", "scoring", "The scoring result (scores with answered counts)."),
            ("name", "name", "The name of an instrument, answer group, band or grouping."),
            ("id", "id", "The stable snake_case id of an item, scale or response scale."),
            ("title", "title", "Title of a result, table or instrument."),
            ("kind", "kind", "The kind of an instrument (``instrument``, ``codebook``) or response scale (``likert``, ``ordinal``, ``nominal`` ...)."),
            ("description", "description", "What an instrument measures."),
            ("citation", "citation", "The reference to cite for an instrument."),
            ("licence", "licence", "Terms of use of an instrument."),
            ("key source", "key_source", "Where the scoring key of an instrument comes from."),
            ("key status", "key_status", "Verification status of the scoring key."),
            ("key note", "key_note", "Remarks on the scoring key."),
            ("response scales", "response_scales", "The response scales of an instrument, by id."),
            ("response scale", "response_scale", "The id of the response scale of an item or scale."),
            ("answer options", "options", "The answers of a response scale, substantive ones first."),
            ("code", "code", "The numeric code of an answer."),
            ("codes", "codes", "Answer codes."),
            ("labels", "labels", "Labels per language, or display names of variables."),
            ("label", "label", "A short display label."),
            ("substantive", "substantive", "Whether an answer is substantive (not *weet niet* and the like)."),
            ("substantive codes", "substantive_codes", "Codes of the substantive answers."),
            ("non-substantive codes", "nonsubstantive_codes", "Codes of the non-substantive answers."),
            ("integer coded", "is_integer_coded", "Whether the answers are whole-number codes."),
            ("aliases", "aliases", "Other spellings of an answer that are accepted."),
            ("the other, namely option", "other", "Whether an option of a check-all-that-apply question is its *Anders, namelijk* option, whose typed text is kept beside it."),
            ("lowest code", "min", "Lowest substantive code of a response scale."),
            ("highest code", "max", "Highest substantive code of a response scale."),
            ("groupings", "groupings", "Named groupings of the answers of a response scale."),
            ("grouping", "grouping", "A grouping of an item's answers: a codebook grouping's name, a mapping of new label to answers, ``bands([...])`` or ``versus_rest(...)``."),
            ("where a grouping put non-substantive answers", "grouping_notes", "Notes saying which non-substantive answers a grouping merged into a group or kept apart."),
            ("the answers of a group", "answers", "Answers (codes or answer texts) that make up a group."),
            ("cut points of bands", "cuts", "Increasing values at which a numeric item is cut into bands; a value equal to a cut falls in the band above."),
            ("unit of band labels", "unit", "Text appended to the numbers of band labels, e.g. ``%``."),
            ("the rest group", "rest", "A group of every substantive answer that no other group takes."),
            ("label of the rest group", "rest_label", "The label of the group of all other answers in ``versus_rest``."),
            ("the answer whose share is shown", "answer", "The answer (after grouping) whose percentage the cells of an items-by-group table show, or whose share a trend test follows."),
            ("what a cell shows", "statistic", "``percent`` (share of one answer, chi-square test) or ``mean`` (mean, one-way ANOVA) in an items-by-group table."),
            ("answers that count as chosen", "chosen", "Which answers of a multiple-response option count as choosing it (labels or codes); none: check boxes, any value is chosen."),
            ("respondents by number chosen", "n_chosen", "Respondents by the number of options of a multiple-response question they chose."),
            ("mean number chosen", "mean_chosen", "Mean number of options chosen per respondent."),
            ("options chosen together", "together", "Respondents choosing both options of each pair; the diagonal holds each option's count."),
            ("shares per group", "by_group", "Percentage of each group's respondents choosing each option."),
            ("column to sort by", "sort_by", "The column whose values order the rows when ``sort`` is given (default: the total)."),
            ("interval", "interval", "Whether an answer group is an interval of codes."),
            ("bands", "bands", "Norm bands of a scale score."),
            ("source of the bands", "bands_source", "Where the norm bands come from."),
            ("lower bound", "low", "Lowest score of a band."),
            ("upper bound", "high", "Highest score of a band."),
            ("question text", "text", "The question text (per language), or the text of a table cell."),
            ("short label", "short", "Short label of an item."),
            ("number", "number", "Position of an item in the administered questionnaire."),
            ("position", "position", "Position of an item in its scale."),
            ("routing condition", "asked_if", "The condition under which an item is asked."),
            ("same question", "same_as", "Ids of the same question in other waves."),
            ("free-text of", "other_of", "The item whose *Anders, namelijk* answer this free text explains."),
            ("combined items", "combines", "Routed items whose answers a derived item combines."),
            ("administration order", "administration_order", "Item ids in the order they are administered."),
            ("definition", "definition", "An instrument, or the path of its TOML definition."),
            ("replace", "replace", "Allow replacing a registered instrument of the same name."),
        ),
    ),
    (
        "Survey data and reports",
        _terms(
            ("wave", "wave", 'A survey wave (``"2021-09"``) or its codebook.'),
            ("waves", "waves", "The waves compared."),
            ("earlier waves' data", "compare_with", "Data of earlier waves by wave name, for the trend tables of a report."),
            ("codebooks of the waves", "codebooks", "Codebooks (or their wave names) by wave, for waves whose name is not a wave's."),
            ("waves in time order", "ordered", "Whether the waves are in time order, so a trend across them is tested."),
            ("scores of the waves", "wave_scores", "A number per wave for the trend test (default 1, 2, 3, ...), e.g. its date in years."),
            ("waves lacking an item", "missing_waves", "Per item, the waves whose codebook or data lack it; the item is trended over the others."),
            ("means per wave", "means", "A table of n, mean, sd, ci_low and ci_high per item and wave."),
            ("tests of the means", "mean_tests", "Per numeric item, one-way ANOVA (f, df1, df2, p, eta2, omega2) and Welch's ANOVA across the waves."),
            ("codebook", "codebook", "A survey codebook (a PEO wave's or another survey's, such as ``mental_fitness_2021``) or its name."),
            ("first codebook", "codebook_a", "Codebook of the first wave compared."),
            ("second codebook", "codebook_b", "Codebook of the second wave compared."),
            ("first data", "data_a", "Coded data of the first wave compared."),
            ("second data", "data_b", "Coded data of the second wave compared."),
            ("raw export", "raw", "A survey export as read, before coding."),
            ("data or path", "data_or_path", "Survey data, or the path of an export to read."),
            ("routing check", "check_routing", "Raise when a respondent answered a question the routing did not put to them."),
            ("asked", "asked", "Where the routing put each question to the respondent."),
            ("matched columns", "matched", "Item id to the export column it was read from."),
            ("unmatched items", "unmatched", "Codebook items not found in the export."),
            ("unused columns", "unused", "Export columns no item was read from."),
            ("source", "source", "Where the data or definition came from (a file)."),
            ("metadata", "metadata", "The metadata columns of an export."),
            ("file format", "format", "The format of a file (``surveymonkey``, ``qualtrics``, ``spss``, ``csv``, ``excel``)."),
            ("text encoding", "encoding", "Text encoding of a file."),
            ("field separator", "sep", "The character between the cells of a CSV file (``,``, ``;``, tab)."),
            ("decimal mark", "decimal", "The decimal mark of numbers in a CSV file (``.`` or ``,``)."),
            ("malformed lines", "on_bad_lines", "What to do with malformed lines of a file: ``\"error\"`` or ``\"skip\"`` (counted and warned about)."),
            ("line numbers left out", "bad_lines", "Line numbers (1-based, of the file) of the malformed lines left out."),
            ("worksheet", "sheet", "A worksheet of an Excel file, to read or to write."),
            ("path", "path", "A file to read or write."),
            ("index column", "index", "A column whose values become the row labels (respondent ids) of the data read."),
            ("column type", "dtype", "The numeric type the columns are read as (``float32`` or ``float64``)."),
            ("partition size", "blocksize", "Bytes of a file per partition of a dask DataFrame (``\"16MB\"``)."),
            ("output file", "out", "Where to write the report page."),
            ("workbook", "xlsx", "Where to write the tables as an .xlsx workbook."),
            ("demo data", "demo", "Use the embedded synthetic export."),
            ("the other questions of the demo survey", "questions", "Also load the demo survey's questions beside the instruments, coded by their codebook."),
            ("charts", "charts", "Draw the charts."),
            ("HTML page", "html", "A self-contained HTML page."),
            (
                "report document",
                "document",
                "A report as blocks (headings, paragraphs, tables with charts), rendered as HTML or Word.",
            ),
            ("tables", "tables", "The tables of a report, or one crosstab per item."),
            ("outcome", "outcome", "The outcome item of a dichotomised table."),
            ("grouping of the column variable", "by_grouping", "The grouping of the ``by`` column's answers."),
            ("grouping of the outcome", "outcome_grouping", "The grouping (bands) of the outcome."),
            ("suppressed", "suppressed", "Whether a table is suppressed for a small base."),
            ("primary suppression", "primary", "Cells suppressed because they are small."),
            ("complementary suppression", "complementary", "Cells hidden so the small ones cannot be computed from the totals."),
            ("published totals", "published_totals", "Which columns show a published total."),
            ("skipped items", "skipped", "Items that could not be compared, with the reason."),
            ("sections", "sections", "Sections of a report to include."),
        ),
    ),
    (
        "Display",
        _terms(
            ("decimals shown", "decimals", "Number of decimals shown (results keep unrounded numbers)."),
            ("answers from the highest code down", "descending", "List a table's substantive answers from the highest code down (non-substantive answers stay last)."),
            ("rounding", "rounding", '``None`` (round half up, as published) or ``"largest_remainder"`` (percentages add up to 100).'),
            ("language", "lang", '``"nl"`` or ``"en"``.'),
            ("significance marks", "stars", "Significance thresholds and their marks."),
            ("stars on adjusted p", "adjusted", "Mark significance by the adjusted p-values."),
            ("diagonal", "diagonal", "Values shown on the diagonal of a correlation table (e.g. alpha)."),
            ("diagonal label", "diagonal_label", "What the diagonal values are, for the note."),
            ("header", "header", "Column headings of a table."),
            ("rows", "rows", "Body rows of a table."),
            ("note", "note", "The note under a table."),
            ("alignment", "align", "One letter per column: ``l``, ``r`` or ``d`` (numbers aligned on the digit)."),
            ("mark", "mark", "A significance mark hanging right of a number."),
            ("heading", "heading", "A heading line of a result's view."),
        ),
    ),
    (
        "Factor models",
        _terms(
            ("pattern loadings", "loadings", "Factor loadings, items × factors (pattern matrix for oblique rotations)."),
            ("structure matrix", "structure", "Correlations of items with factors (pattern loadings times factor correlations)."),
            ("communalities", "communalities", "Per item, the share of its variance explained by the common factors (h²)."),
            ("uniquenesses", "uniquenesses", "Per item, the rest of its variance (1 − h²)."),
            ("variance explained", "variance", "Per factor, sums of squared loadings and their share of the total variance."),
            ("rotation", "rotation", 'The rotation of an EFA (``"oblimin"``, ``"promax"``, ``"varimax"``, ``"geomin"`` or ``None``).'),
            ("convergence", "converged", "The iterative estimation reached its convergence criterion."),
            ("loading cut-off", "cut", "Loadings whose absolute value is below it are left blank when displayed."),
            ("sort the rows", "sort", "Order the items of a loadings table by their main factor."),
            ("Kaiser–Meyer–Olkin", "kmo", "Kaiser–Meyer–Olkin measure of sampling adequacy, overall."),
            ("KMO per item", "kmo_items", "The Kaiser–Meyer–Olkin measure per item (MSA)."),
            ("eigenvalues", "eigenvalues", "Observed and random eigenvalues of a parallel analysis, by position."),
            ("quantile", "quantile", "The quantile of the random eigenvalues an observed one must exceed."),
            ("components suggested", "n_components", "Number of principal components a parallel analysis retains."),
            ("factors suggested by MAP", "n_factors_map", "Number of components at which Velicer's MAP is smallest."),
            ("MAP components", "max_map", "Largest number of components for Velicer's MAP."),
            ("factors of a model", "factors", "Factor name to its items (indicators); the first item is the marker."),
            ("measurement model", "model", "An instrument (name or object) whose scales are the factors, or a mapping ``{factor: [columns]}``."),
            ("estimator", "estimator", 'The estimation method of a factor model (``"ML"``, ``"MLR"``).'),
            ("parameter table", "parameters", "lavaan's parameter table: lhs, op, rhs, estimate, SE, z, p and standardised value."),
            ("residual variances", "residual_variances", "Per item, the variance not explained by its factors (unstandardised and standardised)."),
            ("reverse-keyed items recoded", "reversed", "Items recoded (min + max − x) before fitting, so that loadings have the expected sign."),
            ("comparative fit index", "cfi", "Bentler's CFI against the independence model."),
            ("Tucker–Lewis index", "tli", "The Tucker–Lewis (non-normed) fit index."),
            ("RMSEA", "rmsea", "Root mean square error of approximation."),
            ("RMSEA interval", "rmsea_ci_low", "Lower limit of the 90 % interval of the RMSEA (``rmsea_ci_high`` the upper)."),
            ("RMSEA interval, upper", "rmsea_ci_high", "Upper limit of the 90 % interval of the RMSEA."),
            ("test of close fit", "rmsea_p", "p-value of the test that the RMSEA is at most .05 (p-close)."),
            ("SRMR", "srmr", "Standardised root mean square residual."),
            ("Akaike information criterion", "aic", "AIC = −2 log-likelihood + 2 × parameters."),
            ("Bayesian information criterion", "bic", "BIC = −2 log-likelihood + log(n) × parameters."),
            ("log-likelihood", "loglik", "Log-likelihood of the model at the estimates."),
            ("χ² difference", "chi2_diff", "Likelihood-ratio χ² difference of a model against the one before it."),
            ("df of the χ² difference", "df_diff", "Degrees of freedom of the χ² difference."),
            ("p of the χ² difference", "p_diff", "p-value of the χ² difference test."),
            ("change in CFI", "delta_cfi", "CFI of a model minus that of the model before it (likewise ``delta_rmsea``, ``delta_srmr``)."),
            ("change in RMSEA", "delta_rmsea", "RMSEA of a model minus that of the model before it."),
            ("change in SRMR", "delta_srmr", "SRMR of a model minus that of the model before it."),
            ("verdict", "verdict", 'Whether an invariance step holds by the stated cut-offs (``"holds"``, ``"not supported"``).'),
            ("strict invariance", "strict", "Also test equal residual variances across groups."),
            ("group sizes", "group_sizes", "Rows used per group, in the order of ``groups``."),
            ("checks of a definition", "checks", "Checks of a scale definition against the data: what was checked, whether it passed, details."),
            ("flags", "flags", "Problems found in a validation, one row per item and kind."),
            ("all checks passed", "passed", "Every check of the definition against the data passed."),
            ("reliability part", "reliability", "The reliability of each scale, within a validation report."),
            ("factorability part", "suitability", "KMO and Bartlett's test, within a validation report."),
            ("parallel analysis part", "parallel", "Parallel analysis and MAP, within a validation report."),
            ("EFA part", "efa", "The exploratory factor analysis, within a validation report."),
            ("CFA part", "cfa", "The confirmatory factor analysis of the declared scales, within a validation report."),
            ("invariance part", "invariance", "The measurement invariance across ``by``, within a validation report."),
            ("scaled chi-square", "chi2_scaled", "The Yuan–Bentler scaled χ² of a robust (MLR) fit: χ² divided by ``scaling_factor``."),
            ("p of the scaled chi-square", "p_scaled", "p-value of the scaled χ²."),
            ("scaling factor", "scaling_factor", "The Yuan–Bentler scaling factor of the χ² (MLR)."),
            ("robust CFI", "cfi_robust", "The robust CFI of Brosseau-Liard & Savalei (2014), lavaan's ``cfi.robust``."),
            ("robust TLI", "tli_robust", "The robust TLI, lavaan's ``tli.robust``."),
            ("robust RMSEA", "rmsea_robust", "The robust RMSEA of Brosseau-Liard, Savalei & Li (2012), lavaan's ``rmsea.robust``."),
            ("modification indices", "modification_indices", "Score tests for fixed parameters (cross-loadings, residual covariances) with the expected parameter change."),
        ),
    ),
    (
        "Simulation",
        _terms(
            ("factor loading", "loading", "Standardised loading of every item on its scale's factor."),
            ("factor correlation", "factor_corr", "Correlation between the factors: one value or a matrix."),
            ("factor scores", "factor_scores", "Latent scores to use instead of drawing them."),
            ("skew", "skew", "Tilt of the answer distributions towards the keyed-high end, in [-1, 1]."),
            ("item spread", "item_spread", "Standard deviation of a random shift of each item's thresholds."),
        ),
    ),
    (
        "Within-person comparisons",
        _terms(
            ("first compared column", "x", "The first of two scores compared within persons (the difference is ``x - y``); the column tested in a one-sample test."),
            ("second compared column", "y", "The second score of a paired comparison; ``None`` in a one-sample test."),
            ("tested value", "mu", "The mean (or location) of the difference under the null hypothesis."),
            ("zero differences", "n_zero", "Pairs with a zero difference, left out of the signed ranks (as R)."),
            ("normal deviate", "z", "The standard-normal test statistic (continuity-corrected where a result says so)."),
            ("lower bound of d_z", "dz_ci_low", "Lower confidence limit of ``dz``."),
            ("upper bound of d_z", "dz_ci_high", "Upper confidence limit of ``dz``."),
            ("lower bound of d_av", "d_av_ci_low", "Lower confidence limit of ``d_av``."),
            ("upper bound of d_av", "d_av_ci_high", "Upper confidence limit of ``d_av``."),
            ("Hedges' correction of d_z", "gz", "Cohen's d_z (``dz``) times the exact small-sample correction J(n − 1)."),
            ("lower bound of g_z", "gz_ci_low", "Lower confidence limit of ``gz``."),
            ("upper bound of g_z", "gz_ci_high", "Upper confidence limit of ``gz``."),
            ("Hedges' correction of d_av", "g_av", "Cohen's d_av times the exact small-sample correction J(n − 1)."),
            ("Mauchly's test", "mauchly", "Mauchly's test of sphericity of a repeated-measures factor: w, chi2, df, p."),
        ),
    ),
    (
        "Mediation and moderation",
        _terms(
            ("mediators", "m", "The mediator column(s) of a mediation model (parallel when several)."),
            ("covariates", "covariates", "Numeric columns entered in every model as controls."),
            ("paths", "paths", "The regression paths of a mediation model (a, b, c, c′) with b, se, t, df, p and CI."),
            ("effects", "effects", "Indirect (per mediator and total), direct and total effects with SEs and CIs."),
            ("indirect effect", "indirect", "The (total) indirect effect, the sum of the products a_j b_j."),
            ("direct effect", "direct", "The effect of x on y given the mediators (c′)."),
            ("total effect", "total", "The effect of x on y without the mediators (c)."),
            ("proportion mediated", "proportion_mediated", "Indirect over total effect (unstable when the total effect is near zero)."),
            ("Sobel test", "sobel", "Sobel's normal test of each indirect effect: indirect, se, z, p."),
            ("moderator", "moderator", "The column whose values change the effect of x on y (w in the formulas)."),
            ("mean-centre", "center", "Subtract the mean from x and the moderator before forming their product."),
            ("simple slopes", "simple_slopes", "Slope of x at chosen values of the moderator, with se, t, df, p and CI."),
            ("slope of x along the moderator", "conditional_effects", "The slope of x with its standard error and interval at values across the moderator's observed range (the data of a Johnson–Neyman plot)."),
            ("Johnson–Neyman values", "johnson_neyman", "Values of the moderator where the slope of x is exactly significant."),
            ("regions of significance", "regions", "The observed range of the moderator cut at the Johnson–Neyman values, with whether the slope is significant."),
            ("data of a plot", "plot_data", "The numbers a chart of the result draws, one row per point."),
        ),
    ),
    (
        "Charts",
        _terms(
            ("the Axes to draw on", "ax", "A matplotlib ``Axes`` to draw on (a pair for two-panel charts); a new figure when not given."),
            ("a matplotlib figure", "figure", "The matplotlib ``Figure`` to write out."),
            ("write values in the cells", "annotate", "Write the value (with its stars) in each heatmap cell."),
            ("histogram bins", "bins", "Number of equal-width bars of a histogram."),
            ("post-hoc brackets", "brackets", "Which post-hoc pairs get a bracket with their adjusted p: ``\"significant\"``, ``\"all\"``, ``\"none\"``."),
            ("pairs compared", "pairs", "Post-hoc comparisons, one row per pair (``group1``, ``group2``, ``p_adjusted`` or ``p``)."),
            ("bar colour", "color", "A matplotlib colour for the bars."),
            ("estimates to draw", "estimates", "Estimates with their interval (``estimate``, ``ci_low``, ``ci_high``, optional ``step``), one row per term."),
            ("a table to draw", "frame", "A DataFrame of the values to draw, one row per point on the x axis."),
            ("the middle answer", "neutral", "The neutral answer of a Likert scale, centred on zero in a diverging bar chart."),
            ("answers without a position", "nonsubstantive", "Answers such as *weet niet* that have no place on the scale; left out of a Likert chart and named."),
            ("stacked bars", "stacked", "Draw 100 %-stacked bars instead of bars side by side."),
            ("shaded confidence band", "band", "Whether a chart shades the confidence interval around each line."),
            ("axis labels", "xlabel", "Label of the x axis (``ylabel``: of the y axis); a default in ``lang`` when not given."),
            ("y-axis label", "ylabel", "Label of the y axis; a default in ``lang`` when not given."),
        ),
    ),
)
# fmt: on


def glossary() -> dict[str, Term]:
    """Every term by its name."""
    return {term.name: term for _, terms in SECTIONS for term in terms}


# --------------------------------------------------------------------------------------
# Walking the public API
# --------------------------------------------------------------------------------------


def _public_modules() -> list[Any]:
    """peoscales and its public subpackages and modules (those without a leading _)."""
    import peoscales

    modules = [peoscales]
    for info in pkgutil.iter_modules(peoscales.__path__):
        if not info.name.startswith("_"):
            modules.append(importlib.import_module(f"peoscales.{info.name}"))
    return modules


def _public_objects() -> Iterator[tuple[str, Any]]:
    seen: set[int] = set()
    for module in _public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or id(obj) in seen:
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            seen.add(id(obj))
            yield f"{module.__name__}.{name}", obj


def _parameters(func: Any) -> list[str]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return []
    return [
        p.name
        for p in signature.parameters.values()
        if p.name not in ("self", "cls")
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]


def public_names() -> dict[str, list[str]]:
    """Every name of the public API, with where it is used.

    The names are the parameters of every public function and of every public method
    of a public class, and the dataclass fields and public properties of every public
    class. Public means listed in ``__all__`` of ``peoscales`` or of one of its public
    subpackages (``peoscales.peo``, ``peoscales.instruments``, ...).
    """
    where: dict[str, list[str]] = {}

    def add(name: str, place: str) -> None:
        where.setdefault(name, []).append(place)

    for qualified, obj in _public_objects():
        if inspect.isclass(obj):
            if dataclasses.is_dataclass(obj):
                for field in dataclasses.fields(obj):
                    if not field.name.startswith("_"):  # private state, not a result
                        add(field.name, f"{qualified} (attribute)")
            for name, member in inspect.getmembers(obj):
                if name.startswith("_"):
                    continue
                if isinstance(member, property):
                    add(name, f"{qualified} (attribute)")
                elif inspect.isfunction(member):
                    for parameter in _parameters(member):
                        add(parameter, f"{qualified}.{name}() (argument)")
        elif callable(obj):
            for parameter in _parameters(obj):
                add(parameter, f"{qualified}() (argument)")
    return where


def deprecated_names() -> list[tuple[str, str, str]]:
    """The old names that still work: (old name, new name, where), sorted by place."""
    from peoscales._deprecation import renamed_attributes

    rows = []
    for qualified, obj in _public_objects():
        if inspect.isclass(obj):
            for old, new in renamed_attributes(obj).items():
                new_text = new if isinstance(new, str) else " and ".join(new)
                rows.append((old, new_text, f"{qualified} (attribute)"))
            methods = inspect.getmembers(obj, inspect.isfunction)
            for name, member in methods:
                for old, new in getattr(member, "_renamed_arguments", {}).items():
                    rows.append((old, new, f"{qualified}.{name}() (argument)"))
        elif callable(obj):
            for old, new in getattr(obj, "_renamed_arguments", {}).items():
                rows.append((old, new, f"{qualified}() (argument)"))
    return sorted(rows, key=lambda row: (row[2], row[0]))
