# p.adjust with missing p-values (a test that could not be computed, e.g. a group of
# one): R leaves NA as NA and counts only the non-missing p-values as comparisons.
# Run: Rscript tests/reference/p_adjust_na.R  (writes p_adjust_na_expected.json)
library(jsonlite)
cases <- list(
  c(0.776881, NA, NA),
  c(0.4, NA, 0.01, 0.03),
  c(NA, 0.02, 0.5, NA, 0.04, 0.001),
  c(NA, NA)
)
methods <- c(holm = "holm", bonferroni = "bonferroni", fdr_bh = "BH", none = "none")
out <- lapply(cases, function(p) {
  list(p = p, adjusted = lapply(methods, function(m) p.adjust(p, m)))
})
write_json(out, file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))),
                          "p_adjust_na_expected.json"), digits = NA, na = "null", auto_unbox = FALSE)
