# Reference values for peoscales.corr_matrix (tests/test_correlation.py).
#
# Run from the repository root:  Rscript tests/reference/correlation.R
# Writes the data sets it makes (correlation_data.csv, correlation_sparse.csv) and R's
# results (correlation_expected.json). R 4.2, psych 2.2.9, jsonlite.
#
# Data: 150 respondents, six variables with missing values (MCAR, 5-20% per column),
# Likert items with many ties, a count with heavy ties and a column with a large offset
# (1e6 + x), to check the numerical stability of the one-pass products.
# The sparse set has a pair of columns that overlap in only two rows (n < 3: no p-value)
# and checks that p-value adjustment counts only the pairs that have a p-value.

suppressPackageStartupMessages(library(psych))
library(jsonlite)

set.seed(20261123)
n <- 150
f <- rnorm(n)
d <- data.frame(
  veerkracht = 0.6 * f + rnorm(n, sd = 0.8),
  werkdruk = -0.4 * f + rnorm(n),
  autonomie = pmin(5, pmax(1, round(3 + 0.8 * f + rnorm(n)))),
  offset = 1e6 + 0.5 * f + rnorm(n),
  verloop = pmin(7, pmax(1, round(4 - 1.2 * f + rnorm(n, sd = 1.5)))),
  verzuim = pmin(3, rpois(n, exp(0.2 - 0.3 * f)))
)
rates <- c(0.05, 0.10, 0.08, 0.12, 0.15, 0.20)
for (j in seq_along(d)) d[runif(n) < rates[j], j] <- NA
write.csv(d, "tests/reference/correlation_data.csv", row.names = FALSE, na = "")
# Compute on exactly what the tests read (the CSV keeps 15 significant digits).
d <- read.csv("tests/reference/correlation_data.csv")

sparse <- data.frame(
  a = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
  b = c(2, 1, 4, 3, 6, 5, 8, 9, 7, 12, 10, 11),
  c = c(5, 3, 4, 1, 2, NA, NA, NA, NA, NA, NA, NA),
  d = c(NA, NA, NA, 2, 7, 1, 3, 8, 4, 6, 5, 9)
)
write.csv(sparse, "tests/reference/correlation_sparse.csv", row.names = FALSE, na = "")
sparse <- read.csv("tests/reference/correlation_sparse.csv")

# Full matrices from psych's lower-triangle CI vectors (column-major order).
ci_matrix <- function(values, k) {
  m <- matrix(NA_real_, k, k)
  m[lower.tri(m)] <- values
  m[upper.tri(m)] <- t(m)[upper.tri(m)]
  m
}

# Upper triangle of psych's p (adjusted) mirrored to a full matrix, diagonal NA.
adjusted <- function(x, method, adjust) {
  p <- suppressWarnings(corr.test(x, method = method, adjust = adjust, ci = FALSE))$p
  m <- matrix(NA_real_, ncol(x), ncol(x))
  m[upper.tri(m)] <- p[upper.tri(p)]
  m[lower.tri(m)] <- t(m)[lower.tri(m)]
  m
}

one_case <- function(x, method, use) {
  k <- ncol(x)
  res <- suppressWarnings(corr.test(x, method = method, adjust = "none"))
  n <- res$n
  if (length(n) == 1) n <- matrix(n, k, k)
  p <- res$p
  diag(p) <- NA
  list(
    r_cor = unname(cor(x, method = method, use = use)),
    r = unname(res$r),
    n = unname(n),
    p = unname(p),
    ci_low = ci_matrix(res$ci$lower, k),
    ci_high = ci_matrix(res$ci$upper, k),
    p_holm = adjusted(x, method, "holm"),
    p_bonferroni = adjusted(x, method, "bonferroni"),
    p_fdr_bh = adjusted(x, method, "BH")
  )
}

out <- list()
for (method in c("pearson", "spearman", "kendall")) {
  # Pairwise: psych counts n per pair from the missingness mask.
  out[[paste0(method, "_pairwise")]] <- one_case(d, method, "pairwise.complete.obs")
  # Listwise: psych's use = "complete" reports n as the smallest pairwise count, not the
  # number of complete rows, so its p-values are wrong under listwise deletion; the
  # reference runs psych on the complete rows instead.
  out[[paste0(method, "_listwise")]] <- one_case(na.omit(d), method, "everything")
  out[[paste0(method, "_listwise")]]$r_cor <- unname(cor(d, method = method, use = "complete.obs"))
}
out$sparse_r <- unname(suppressWarnings(cor(sparse, use = "pairwise.complete.obs")))
out$sparse_n <- unname(crossprod(!is.na(sparse)) + 0)
out$sparse_p_fdr_bh <- adjusted(sparse, "pearson", "BH")
out$sparse_p_holm <- adjusted(sparse, "pearson", "holm")
out$sparse_p_bonferroni <- adjusted(sparse, "pearson", "bonferroni")
out$columns <- names(d)
out$n_complete <- nrow(na.omit(d))
out$means <- unname(colMeans(d, na.rm = TRUE))
out$sds <- unname(apply(d, 2, sd, na.rm = TRUE))
out$versions <- list(R = R.version.string, psych = as.character(packageVersion("psych")))

writeLines(
  toJSON(out, digits = NA, na = "null", auto_unbox = TRUE, pretty = FALSE),
  "tests/reference/correlation_expected.json"
)
