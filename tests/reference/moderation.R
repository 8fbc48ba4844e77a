# Reference values for peoscales.moderate: moderated regression with centred predictors,
# simple slopes, the Johnson-Neyman boundaries and the interaction's R² change.
#
# Run from the repository root:  Rscript tests/reference/moderation.R
# Reads tests/reference/mediation_data.csv (made by mediation.R) and writes
# tests/reference/moderation_expected.json. Simple slopes and their SEs come from lm's
# vcov; the Johnson-Neyman values are the roots (polyroot) of
# (b1 + b3 w)^2 - qt(.975, df)^2 (V11 + 2 w V13 + w^2 V33). The interaction plot's lines
# and bands are predict.lm's fitted values and confidence intervals.
suppressPackageStartupMessages(library(jsonlite))
here <- "tests/reference"
data <- read.csv(file.path(here, "mediation_data.csv"))
case <- function(x, w, y, covs, center, values) {
  d <- data[complete.cases(data[, c(x, w, y, covs)]), ]
  xs <- if (center) mean(d[[x]]) else 0
  ws <- if (center) mean(d[[w]]) else 0
  d$xc <- d[[x]] - xs; d$wc <- d[[w]] - ws
  rhs <- paste(c("xc * wc", covs), collapse = " + ")
  fit <- lm(as.formula(paste(y, "~", rhs)), data = d)
  reduced <- lm(as.formula(paste(y, "~", paste(c("xc + wc", covs), collapse = " + "))), data = d)
  b <- coef(fit); V <- vcov(fit); s <- summary(fit)$coefficients; ci <- confint(fit)
  term <- "xc:wc"
  if (is.null(values)) values <- mean(d[[w]]) + c(-1, 0, 1) * sd(d[[w]])
  w0 <- values - ws
  slope <- b["xc"] + b[term] * w0
  se <- sqrt(V["xc", "xc"] + 2 * w0 * V["xc", term] + w0^2 * V[term, term])
  df <- fit$df.residual
  tc <- qt(0.975, df)
  roots <- polyroot(c(b["xc"]^2 - tc^2 * V["xc", "xc"],
                      2 * (b["xc"] * b[term] - tc^2 * V["xc", term]),
                      b[term]^2 - tc^2 * V[term, term]))
  jn <- if (all(abs(Im(roots)) < 1e-9)) sort(Re(roots)) + ws else numeric(0)
  an <- anova(reduced, fit)
  # Interaction plot: predicted y with its confidence interval (predict.lm) at 21 values
  # of x from mean - 1 SD to mean + 1 SD, for each value of w, covariates at their means.
  xg <- seq(mean(d[[x]]) - sd(d[[x]]), mean(d[[x]]) + sd(d[[x]]), length.out = 21)
  grid <- data.frame(xc = rep(xg, times = length(values)) - xs,
                     wc = rep(values, each = length(xg)) - ws)
  for (cv in covs) grid[[cv]] <- mean(d[[cv]])
  pr <- predict(fit, newdata = grid, interval = "confidence", level = 0.95, se.fit = TRUE)
  # Johnson-Neyman plot: the slope of x at 101 values across the observed range of w.
  wg <- seq(min(d[[w]]), max(d[[w]]), length.out = 101) - ws
  jn_b <- b["xc"] + b[term] * wg
  jn_se <- sqrt(V["xc", "xc"] + 2 * wg * V["xc", term] + wg^2 * V[term, term])
  order <- c("(Intercept)", "xc", "wc", term, covs)
  list(x = x, w = w, y = y, covariates = covs, center = center, n = nrow(d),
       n_excluded = nrow(data) - nrow(d),
       b = unname(b[order]), se = unname(s[order, 2]), t = unname(s[order, 3]),
       p = unname(s[order, 4]), ci_low = unname(ci[order, 1]), ci_high = unname(ci[order, 2]),
       r2 = summary(fit)$r.squared,
       r2_change = summary(fit)$r.squared - summary(reduced)$r.squared,
       f_change = an$F[2], p_change = an$`Pr(>F)`[2],
       values = values, slope = unname(slope), slope_se = unname(se),
       slope_t = unname(slope / se), slope_p = unname(2 * pt(-abs(slope / se), df)),
       johnson_neyman = jn,
       plot_x = grid$xc + xs, plot_w = grid$wc + ws, plot_y = unname(pr$fit[, "fit"]),
       plot_se = unname(pr$se.fit), plot_ci_low = unname(pr$fit[, "lwr"]),
       plot_ci_high = unname(pr$fit[, "upr"]),
       effects_w = wg + ws, effects_b = unname(jn_b), effects_se = unname(jn_se),
       effects_ci_low = unname(jn_b - tc * jn_se), effects_ci_high = unname(jn_b + tc * jn_se))
}
out <- list(
  case("x", "m2", "y", "age", TRUE, NULL),
  case("x", "m1", "y", character(0), FALSE, c(-1, 0, 0.5, 2)),
  case("m1", "x", "y", "age", TRUE, NULL)
)
write_json(out, file.path(here, "moderation_expected.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
