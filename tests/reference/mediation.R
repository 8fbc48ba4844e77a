# Reference values for peoscales.mediate: OLS paths, Sobel tests, and bootstrap
# percentile and BCa intervals of the indirect effects on the SAME resamples.
#
# Run from the repository root:  Rscript tests/reference/mediation.R
# Writes tests/reference/mediation_data.csv (the data, made here with set.seed),
# tests/reference/mediation_counts.csv (how often each complete row is drawn in each of
# 500 resamples; one line per resample) and tests/reference/mediation_expected.json.
#
# Each replicate is refitted here with lm(weights = counts), which equals lm on the
# resampled rows; the tests feed the same counts to peoscales' batched bootstrap.
# Percentile limits: quantile(type = 7). BCa (Efron, 1987): z0 = qnorm(mean(t < t0)),
# acceleration from the leave-one-out (jackknife) estimates.
suppressPackageStartupMessages(library(jsonlite))

here <- "tests/reference"
set.seed(20261204)
n <- 120
age <- round(rnorm(n, 40, 10))
x <- rnorm(n)
m1 <- 0.5 * x + 0.01 * age + rnorm(n)
m2 <- -0.3 * x + rnorm(n)
y <- 0.4 * m1 + 0.25 * m2 + 0.15 * x - 0.01 * age + rnorm(n)
data <- data.frame(x = round(x, 6), m1 = round(m1, 6), m2 = round(m2, 6),
                   y = round(y, 6), age = age)
data$m1[c(4, 50)] <- NA
data$y[9] <- NA
data$age[77] <- NA
write.csv(data, file.path(here, "mediation_data.csv"), row.names = FALSE, na = "")
data <- read.csv(file.path(here, "mediation_data.csv"))
complete <- data[complete.cases(data), ]
nc <- nrow(complete)

B <- 500
idx <- matrix(sample.int(nc, nc * B, replace = TRUE), nrow = B)
counts <- t(apply(idx, 1, tabulate, nbins = nc))
write.table(counts, file.path(here, "mediation_counts.csv"), sep = ",",
            row.names = FALSE, col.names = FALSE)

path_row <- function(fit, term) {
  s <- summary(fit)$coefficients
  ci <- confint(fit, level = 0.95)
  list(b = s[term, 1], se = s[term, 2], t = s[term, 3], p = s[term, 4],
       df = fit$df.residual, ci_low = ci[term, 1], ci_high = ci[term, 2])
}

case <- function(mediators, covariates) {
  rhs_a <- paste(c("x", covariates), collapse = " + ")
  rhs_y <- paste(c("x", mediators, covariates), collapse = " + ")
  indirect <- function(d, w = NULL) {
    d$w <- if (is.null(w)) 1 else w
    fy <- lm(as.formula(paste("y ~", rhs_y)), data = d, weights = w)
    sapply(mediators, function(mm) {
      fa <- lm(as.formula(paste(mm, "~", rhs_a)), data = d, weights = w)
      unname(coef(fa)["x"] * coef(fy)[mm])
    })
  }
  fy <- lm(as.formula(paste("y ~", rhs_y)), data = complete)
  fc <- lm(as.formula(paste("y ~", rhs_a)), data = complete)
  paths <- list()
  est <- c(); sobel <- list()
  for (mm in mediators) {
    fa <- lm(as.formula(paste(mm, "~", rhs_a)), data = complete)
    pa <- path_row(fa, "x"); pb <- path_row(fy, mm)
    paths[[paste0("a_", mm)]] <- pa
    paths[[paste0("b_", mm)]] <- pb
    ab <- pa$b * pb$b
    se <- sqrt(pb$b^2 * pa$se^2 + pa$b^2 * pb$se^2)
    sobel[[mm]] <- list(indirect = ab, se = se, z = ab / se, p = 2 * pnorm(-abs(ab / se)))
    est <- c(est, ab)
  }
  paths$c <- path_row(fc, "x")
  paths$c_prime <- path_row(fy, "x")
  reps <- t(sapply(seq_len(B), function(r) indirect(complete, counts[r, ])))
  if (length(mediators) == 1) reps <- matrix(reps, ncol = 1)
  jack <- t(sapply(seq_len(nc), function(i) indirect(complete[-i, ])))
  if (length(mediators) == 1) jack <- matrix(jack, ncol = 1)
  if (length(mediators) > 1) {
    reps <- cbind(reps, rowSums(reps)); jack <- cbind(jack, rowSums(jack))
    est <- c(est, sum(est))
  }
  effects <- lapply(seq_along(est), function(j) {
    t0 <- est[j]; tt <- reps[, j]; th <- jack[, j]
    z0 <- qnorm(mean(tt < t0))
    dev <- mean(th) - th
    a <- sum(dev^3) / (6 * sum(dev^2)^1.5)
    za <- qnorm(c(0.025, 0.975))
    prob <- pnorm(z0 + (z0 + za) / (1 - a * (z0 + za)))
    list(effect = t0, se = sd(tt),
         percentile = unname(quantile(tt, c(0.025, 0.975), type = 7)),
         bca = unname(quantile(tt, prob, type = 7)))
  })
  list(mediators = mediators, covariates = covariates, n = nc,
       n_excluded = nrow(data) - nc, paths = paths, sobel = sobel, effects = effects,
       first_replicates = head(reps, 5))
}

out <- list(single = case("m1", "age"), parallel = case(c("m1", "m2"), character(0)))
write_json(out, file.path(here, "mediation_expected.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
