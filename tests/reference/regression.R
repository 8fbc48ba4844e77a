# Reference values for peoscales.regress (tests/test_regression.py).
#
# Run from the repository root:  Rscript tests/reference/regression.R
# Writes tests/reference/regression_data.csv (the data, made here with set.seed) and
# tests/reference/regression_expected.json (R's results, full precision).
#
# Models (all on the complete cases of every variable used by any of them, as the
# hierarchical analysis of peoscales and SPSS do):
#   full     brs ~ wbns_autonomy + wbns_competence + swing_nwhi + care_type (ref "jeugdhulp")
#   steps    m1: brs ~ wbns_autonomy + wbns_competence
#            m2: m1 + swing_nwhi + swing_nhwi
#            m3: m2 + care_type
#   robust   the full model with HC0-HC3 sandwich covariances (sandwich, lmtest)
# Standardized betas come from lm(scale(y) ~ scale(X)) on the model-matrix columns, VIFs
# from 1/(1 - R^2_j) of each model-matrix column on the others (car::vif is stored too for
# the numeric-only model, where it is the same quantity).
suppressPackageStartupMessages({
  library(jsonlite)
  library(car)
  library(sandwich)
  library(lmtest)
})

set.seed(20261123)
n <- 320
care_levels <- c("jeugd-ggz", "jeugdhulp", "jeugdbescherming", "overig")
care_type <- sample(care_levels, n, replace = TRUE, prob = c(.25, .35, .3, .1))
age <- round(runif(n, 21, 64))
wbns_autonomy <- round(pmin(5, pmax(1, rnorm(n, 3.6, .6))) * 6) / 6
wbns_competence <- round(pmin(5, pmax(1, 2.6 + .02 * age + rnorm(n, 0, .5))) * 6) / 6
wbns_relatedness <- round(pmin(5, pmax(1, rnorm(n, 3.8, .5) + .3 * (wbns_autonomy - 3.6))) * 6) / 6
swing_nwhi <- round(pmin(4, pmax(1, rnorm(n, 2.1, .5) - .2 * (wbns_autonomy - 3.6))) * 8) / 8
swing_nhwi <- round(pmin(4, pmax(1, rnorm(n, 1.6, .4) + .3 * (swing_nwhi - 2.1))) * 4) / 4
care_shift <- c("jeugd-ggz" = 0, "jeugdhulp" = .15, "jeugdbescherming" = -.1, "overig" = 0)
brs <- 1.2 + .25 * wbns_autonomy + .2 * wbns_competence + .1 * wbns_relatedness -
  .3 * swing_nwhi - .1 * swing_nhwi + care_shift[care_type] + rnorm(n, 0, .45)
brs <- round(pmin(5, pmax(1, brs)) * 6) / 6
dat <- data.frame(
  respondent = sprintf("r%03d", seq_len(n)),
  brs, wbns_autonomy, wbns_competence, wbns_relatedness, swing_nwhi, swing_nhwi,
  age, care_type,
  stringsAsFactors = FALSE
)
# Missing values scattered over the outcome, predictors of every block and the factor.
dat$brs[sample(n, 9)] <- NA
dat$wbns_autonomy[sample(n, 7)] <- NA
dat$swing_nwhi[sample(n, 6)] <- NA
dat$swing_nhwi[sample(n, 5)] <- NA
dat$care_type[sample(n, 4)] <- NA
write.csv(dat, "tests/reference/regression_data.csv", row.names = FALSE, na = "")

dat <- read.csv("tests/reference/regression_data.csv", stringsAsFactors = FALSE, na.strings = "")
dat$care_type <- relevel(factor(dat$care_type), ref = "jeugdhulp")

vars_all <- c("brs", "wbns_autonomy", "wbns_competence", "swing_nwhi", "swing_nhwi", "care_type")
cc <- dat[complete.cases(dat[, vars_all]), ]

coef_table <- function(m, vc = vcov(m)) {
  b <- coef(m)
  se <- sqrt(diag(vc))
  t <- b / se
  df <- df.residual(m)
  p <- 2 * pt(abs(t), df, lower.tail = FALSE)
  q <- qt(.975, df)
  X <- model.matrix(m)
  y <- model.response(model.frame(m))
  Z <- scale(X[, -1, drop = FALSE])
  beta <- c(NA, coef(lm(scale(y) ~ Z))[-1])
  vif <- c(NA, sapply(seq_len(ncol(X) - 1), function(j) {
    if (ncol(X) == 2) return(1)
    r2 <- summary(lm(X[, j + 1] ~ X[, -c(1, j + 1)]))$r.squared
    1 / (1 - r2)
  }))
  list(
    term = names(b), b = unname(b), se = unname(se), t = unname(t), p = unname(p),
    ci_low = unname(b - q * se), ci_high = unname(b + q * se),
    ci_low_confint = unname(confint(m)[, 1]), ci_high_confint = unname(confint(m)[, 2]),
    beta = unname(beta), vif = unname(vif)
  )
}

model_stats <- function(m) {
  s <- summary(m)
  f <- s$fstatistic
  list(
    r2 = s$r.squared, adj_r2 = s$adj.r.squared,
    f = unname(f["value"]), df1 = unname(f["numdf"]), df2 = unname(f["dendf"]),
    p = unname(pf(f["value"], f["numdf"], f["dendf"], lower.tail = FALSE)),
    n = nobs(m), sigma = s$sigma
  )
}

full <- lm(brs ~ wbns_autonomy + wbns_competence + swing_nwhi + care_type, data = cc)
# The full model on its own listwise sample (without swing_nhwi) for the single-model test.
single_vars <- c("brs", "wbns_autonomy", "wbns_competence", "swing_nwhi", "care_type")
single_cc <- dat[complete.cases(dat[, single_vars]), ]
single <- lm(brs ~ wbns_autonomy + wbns_competence + swing_nwhi + care_type, data = single_cc)
numeric_only <- lm(brs ~ wbns_autonomy + wbns_competence + swing_nwhi + swing_nhwi, data = cc)

m1 <- lm(brs ~ wbns_autonomy + wbns_competence, data = cc)
m2 <- update(m1, . ~ . + swing_nwhi + swing_nhwi)
m3 <- update(m2, . ~ . + care_type)
steps <- list(m1, m2, m3)
change <- lapply(seq_along(steps), function(k) {
  if (k == 1) {
    st <- model_stats(m1)
    return(list(r2_change = st$r2, f_change = st$f, df1_change = st$df1, df2_change = st$df2,
                p_change = st$p))
  }
  a <- anova(steps[[k - 1]], steps[[k]])
  list(
    r2_change = summary(steps[[k]])$r.squared - summary(steps[[k - 1]])$r.squared,
    f_change = a$F[2], df1_change = a$Df[2], df2_change = a$Res.Df[2],
    p_change = a$`Pr(>F)`[2]
  )
})

robust <- lapply(c("HC0", "HC1", "HC2", "HC3"), function(type) {
  vc <- vcovHC(single, type = type)
  ct <- coeftest(single, vcov. = vc, df = df.residual(single))
  ci <- coefci(single, vcov. = vc, df = df.residual(single))
  w <- waldtest(single, . ~ 1, vcov = function(x) vcovHC(x, type = type), test = "F")
  list(
    type = type, se = unname(ct[, 2]), t = unname(ct[, 3]), p = unname(ct[, 4]),
    ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]),
    f = w$F[2], df1 = abs(w$Df[2]), df2 = w$Res.Df[1], f_p = w$`Pr(>F)`[2]
  )
})
# Robust test of a block: the Wald F of the coefficients step 3 adds, with the HC3
# covariance of the larger model.
robust_change <- waldtest(m3, m2, vcov = function(x) vcovHC(x, type = "HC3"), test = "F")

out <- list(
  n_total = nrow(dat),
  all_vars_n = nrow(cc),
  single = c(model_stats(single), list(coef = coef_table(single))),
  single_dropped = dat$respondent[!complete.cases(dat[, single_vars])],
  full_on_cc = c(model_stats(full), list(coef = coef_table(full))),
  numeric_only = c(model_stats(numeric_only), list(coef = coef_table(numeric_only)),
                   list(car_vif = unname(car::vif(numeric_only)))),
  steps = lapply(seq_along(steps), function(k) {
    c(model_stats(steps[[k]]), change[[k]], list(coef = coef_table(steps[[k]])))
  }),
  steps_dropped = dat$respondent[!complete.cases(dat[, vars_all])],
  robust = robust,
  robust_change_hc3 = list(f = robust_change$F[2], df1 = abs(robust_change$Df[2]),
                           df2 = robust_change$Res.Df[1], p = robust_change$`Pr(>F)`[2])
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "tests/reference/regression_expected.json")
cat("wrote tests/reference/regression_data.csv and regression_expected.json\n")
