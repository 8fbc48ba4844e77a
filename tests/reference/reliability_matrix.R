# Reference values for cronbach_alpha and omega from a covariance or correlation matrix
# with n_obs (psych::alpha(matrix, n.obs=), psych::omega(matrix, n.obs=)).
# Run from the repository root:  Rscript tests/reference/reliability_matrix.R
suppressPackageStartupMessages({library(psych); library(GPArotation); library(jsonlite)})
out_dir <- "tests/reference"
neuro <- read.csv(file.path(out_dir, "reliability_bfi_neuroticism_data.csv"))
covariance <- cov(neuro, use = "pairwise")
correlation <- cor(neuro, use = "pairwise")
n_obs <- nrow(neuro)
a_cov <- alpha(covariance, n.obs = n_obs, warnings = FALSE)
a_cor <- alpha(correlation, n.obs = n_obs, warnings = FALSE)
bfi25 <- read.csv(file.path(out_dir, "factor_bfi_data.csv"))
keys <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
keyed <- bfi25
keyed[, keys] <- -keyed[, keys]
r25 <- cor(keyed)
om <- suppressMessages(omega(r25, nfactors = 5, n.obs = nrow(bfi25), plot = FALSE))
om1 <- suppressWarnings(suppressMessages(omega(correlation, nfactors = 1, plot = FALSE)))
write_json(list(
  covariance = covariance, correlation = correlation, n_obs = n_obs,
  alpha_cov = list(raw_alpha = a_cov$total$raw_alpha, std_alpha = a_cov$total$std.alpha,
                   feldt_low = a_cov$feldt$lower.ci[[1]], feldt_high = a_cov$feldt$upper.ci[[1]]),
  alpha_cor = list(raw_alpha = a_cor$total$raw_alpha, std_alpha = a_cor$total$std.alpha),
  bfi_keys = keys, bfi_correlation = cor(bfi25), bfi_n = nrow(bfi25),
  omega5 = list(omega_h = om$omega_h, omega_total = om$omega.tot),
  omega1_neuroticism = om1$omega.tot
), file.path(out_dir, "reliability_matrix_expected.json"), digits = NA, auto_unbox = TRUE,
matrix = "rowmajor")
