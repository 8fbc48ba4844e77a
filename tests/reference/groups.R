# Reference values for peoscales.describe, ttest, anova and crosstab.
#
# Run from the repository root:  Rscript tests/reference/groups.R
# Writes tests/reference/groups_data.csv (the data, made here with set.seed) and
# tests/reference/groups_expected.json (R's results, full precision).
#
# Packages: stats (t.test, wilcox.test, aov, oneway.test, TukeyHSD, kruskal.test,
# chisq.test, fisher.test), psych (describe), effectsize (rank_biserial, cohens_d;
# cross-check only), jsonlite.
suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
  library(effectsize)
})

here <- "tests/reference"

# ---- data: four unequal groups, missing values in dv and group -------------------
set.seed(20261123)
sizes <- c(jeugdhulp = 46, jeugdbescherming = 31, jeugdreclassering = 17, gesloten = 13)
type <- rep(names(sizes), sizes)
shift <- c(jeugdhulp = 0, jeugdbescherming = -0.35, jeugdreclassering = -0.1, gesloten = 0.3)
spread <- c(jeugdhulp = 0.55, jeugdbescherming = 0.8, jeugdreclassering = 0.45, gesloten = 0.7)
n <- length(type)
resilience <- round(3.4 + shift[type] + spread[type] * rnorm(n), 6)
competence <- round(3 + 0.5 * shift[type] + rnorm(n, sd = 0.6), 1)  # one decimal: ties
sex <- ifelse(runif(n) < 0.3 + 0.25 * (type == "jeugdbescherming"), "man", "vrouw")
senior <- ifelse(runif(n) < 0.45, "ja", "nee")
age_band <- sample(c("<30", "30-45", ">45"), n, replace = TRUE, prob = c(0.3, 0.45, 0.25))
resilience[c(5, 40, 60, 90)] <- NA
competence[c(7, 8, 70)] <- NA
sex[c(12, 99)] <- NA
order <- sample(n)  # shuffle rows so groups are interleaved
data <- data.frame(
  id = sprintf("r%03d", seq_len(n)),
  type = type[order], resilience = resilience[order], competence = competence[order],
  sex = sex[order], senior = senior[order], age_band = age_band[order]
)
data$type[c(3, 50, 77)] <- NA
write.csv(data, file.path(here, "groups_data.csv"), row.names = FALSE, na = "")

data <- read.csv(file.path(here, "groups_data.csv"), na.strings = "")
lev <- c("jeugdhulp", "jeugdbescherming", "jeugdreclassering", "gesloten")
data$type <- factor(data$type, levels = lev)
out <- list()

# ---- describe (psych::describe, type = 3 skew and kurtosis) ----------------------
desc_row <- function(d) {
  list(n = d$n, mean = d$mean, sd = d$sd, median = d$median, trimmed = d$trimmed,
       mad = d$mad, min = d$min, max = d$max, range = d$range, skew = d$skew,
       kurtosis = d$kurtosis, se = d$se)
}
out$describe <- list()
for (v in c("resilience", "competence")) {
  out$describe[[v]] <- desc_row(psych::describe(data[[v]]))
}
out$describe_by <- list()
for (g in lev) {
  sub <- data[!is.na(data$type) & data$type == g, ]
  out$describe_by[[g]] <- list(resilience = desc_row(psych::describe(sub$resilience)),
                               competence = desc_row(psych::describe(sub$competence)))
}

# ---- t tests -----------------------------------------------------------------------
# Cohen's d from the pooled SD; CI by inverting the noncentral t distribution
# (Steiger & Fouladi 1997; MBESS::conf.limits.nct, effectsize::cohens_d), solved here
# with uniroot to 1e-13 instead of effectsize's optim (abstol 1e-9).
ncp_limit <- function(t, df, p) {
  uniroot(function(ncp) pt(t, df, ncp) - p, c(t - 8, t + 8), tol = 1e-13)$root
}
d_ci <- function(x, y, conf, alternative) {
  n1 <- length(x); n2 <- length(y); df <- n1 + n2 - 2
  sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / df)
  d <- (mean(x) - mean(y)) / sp
  t <- d / sqrt(1 / n1 + 1 / n2)
  level <- if (alternative == "two.sided") conf else 2 * conf - 1
  lo <- ncp_limit(t, df, 1 - (1 - level) / 2) * sqrt(1 / n1 + 1 / n2)
  hi <- ncp_limit(t, df, (1 - level) / 2) * sqrt(1 / n1 + 1 / n2)
  if (alternative == "less") lo <- -Inf
  if (alternative == "greater") hi <- Inf
  J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
  list(d = d, d_low = lo, d_high = hi, g = d * J, g_low = lo * J, g_high = hi * J, J = J)
}
num <- function(x) if (is.infinite(x)) (if (x > 0) "Inf" else "-Inf") else unname(x)
ttest_case <- function(dv, g1, g2, var_equal, alternative, conf) {
  x <- data[[dv]][!is.na(data$type) & data$type == g1]
  y <- data[[dv]][!is.na(data$type) & data$type == g2]
  x <- x[!is.na(x)]; y <- y[!is.na(y)]
  r <- t.test(x, y, var.equal = var_equal, alternative = alternative, conf.level = conf)
  es <- d_ci(x, y, conf, alternative)
  ez <- effectsize::cohens_d(x, y, ci = conf, alternative = alternative)
  c(list(dv = dv, group1 = g1, group2 = g2, equal_var = var_equal,
         alternative = alternative, conf_level = conf, n1 = length(x), n2 = length(y),
         t = unname(r$statistic), df = unname(r$parameter), p = r$p.value,
         diff = unname(r$estimate[1] - r$estimate[2]),
         ci_low = num(r$conf.int[1]), ci_high = num(r$conf.int[2]),
         effectsize_d = ez$Cohens_d, effectsize_d_low = num(ez$CI_low),
         effectsize_d_high = num(ez$CI_high)),
    lapply(es, num))
}
out$ttest <- list(
  ttest_case("resilience", "jeugdhulp", "jeugdbescherming", FALSE, "two.sided", 0.95),
  ttest_case("resilience", "jeugdhulp", "jeugdbescherming", TRUE, "two.sided", 0.95),
  ttest_case("resilience", "jeugdbescherming", "jeugdhulp", FALSE, "less", 0.90),
  ttest_case("competence", "gesloten", "jeugdreclassering", FALSE, "greater", 0.95),
  ttest_case("competence", "jeugdhulp", "gesloten", TRUE, "two.sided", 0.99)
)

# ---- Mann-Whitney (wilcox.test, correct = TRUE) ------------------------------------
wilcox_case <- function(dv, g1, g2, exact, alternative) {
  x <- data[[dv]][!is.na(data$type) & data$type == g1]
  y <- data[[dv]][!is.na(data$type) & data$type == g2]
  x <- x[!is.na(x)]; y <- y[!is.na(y)]
  r <- suppressWarnings(wilcox.test(x, y, exact = exact, correct = TRUE,
                                    alternative = alternative))
  rb <- effectsize::rank_biserial(x, y, ci = 0.95, alternative = alternative)
  list(dv = dv, group1 = g1, group2 = g2,
       exact = if (is.null(exact)) "default" else exact, alternative = alternative,
       n1 = length(x), n2 = length(y), U = unname(r$statistic), p = r$p.value,
       r = rb$r_rank_biserial, r_low = rb$CI_low, r_high = rb$CI_high,
       ties = length(unique(c(x, y))) < length(c(x, y)))
}
out$wilcox <- list(
  wilcox_case("resilience", "jeugdreclassering", "gesloten", NULL, "two.sided"),  # exact
  wilcox_case("resilience", "jeugdreclassering", "gesloten", FALSE, "two.sided"),
  wilcox_case("resilience", "jeugdhulp", "jeugdbescherming", NULL, "greater"),     # n >= 50
  wilcox_case("competence", "jeugdreclassering", "gesloten", NULL, "two.sided"),  # ties
  wilcox_case("competence", "jeugdhulp", "jeugdbescherming", NULL, "less")
)

# ---- one-way ANOVA ------------------------------------------------------------------
anova_case <- function(dv) {
  d <- data[!is.na(data[[dv]]) & !is.na(data$type), ]
  fit <- aov(d[[dv]] ~ d$type)
  tab <- anova(lm(d[[dv]] ~ d$type))
  ssb <- tab[1, "Sum Sq"]; ssw <- tab[2, "Sum Sq"]; msw <- tab[2, "Mean Sq"]
  welch <- oneway.test(d[[dv]] ~ d$type, var.equal = FALSE)
  tk <- TukeyHSD(fit, conf.level = 0.95)[[1]]
  kw <- kruskal.test(d[[dv]] ~ d$type)
  # Games-Howell (Games & Howell 1976), as implemented in rstatix::games_howell_test:
  # Welch-Satterthwaite df per pair, q = |diff| / sqrt((v1/n1 + v2/n2) / 2).
  m <- tapply(d[[dv]], d$type, mean); v <- tapply(d[[dv]], d$type, var)
  nn <- tapply(d[[dv]], d$type, length); k <- length(m)
  gh <- list()
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    diff <- m[[i]] - m[[j]]
    se2 <- v[[i]] / nn[[i]] + v[[j]] / nn[[j]]
    df <- se2^2 / ((v[[i]] / nn[[i]])^2 / (nn[[i]] - 1) + (v[[j]] / nn[[j]])^2 / (nn[[j]] - 1))
    q <- abs(diff) / sqrt(se2 / 2)
    crit <- qtukey(0.95, k, df) * sqrt(se2 / 2)
    gh[[length(gh) + 1]] <- list(group1 = lev[i], group2 = lev[j], diff = diff,
      se = sqrt(se2 / 2), df = df, q = q, p = ptukey(q, k, df, lower.tail = FALSE),
      ci_low = diff - crit, ci_high = diff + crit)
  }
  list(
    dv = dv, n = nrow(d), group_n = as.list(nn), group_mean = as.list(m),
    group_sd = as.list(sqrt(v)),
    ss_between = ssb, ss_within = ssw, df_between = tab[1, "Df"], df_within = tab[2, "Df"],
    ms_between = tab[1, "Mean Sq"], ms_within = msw, F = tab[1, "F value"],
    p = tab[1, "Pr(>F)"], eta2 = ssb / (ssb + ssw),
    omega2 = (ssb - tab[1, "Df"] * msw) / (ssb + ssw + msw),
    welch_F = unname(welch$statistic), welch_df1 = unname(welch$parameter[1]),
    welch_df2 = unname(welch$parameter[2]), welch_p = welch$p.value,
    # TukeyHSD reports pairs "B-A" with diff = mean(B) - mean(A).
    tukey = lapply(seq_len(nrow(tk)), function(i) {
      pair <- strsplit(rownames(tk)[i], "-")[[1]]
      list(later = pair[1], earlier = pair[2], diff = tk[i, "diff"], lwr = tk[i, "lwr"],
           upr = tk[i, "upr"], p = tk[i, "p adj"])
    }),
    games_howell = gh,
    kruskal_H = unname(kw$statistic), kruskal_df = unname(kw$parameter),
    kruskal_p = kw$p.value,
    # (H - k + 1) / (n - k), Tomczak & Tomczak (2014)
    kruskal_eta2 = effectsize::rank_eta_squared(d[[dv]] ~ d$type, ci = NULL)$rank_eta_squared
  )
}
out$anova <- list(anova_case("resilience"), anova_case("competence"))

# ---- crosstabs ------------------------------------------------------------------------
xt_case <- function(tab, correct) {
  r <- suppressWarnings(chisq.test(tab, correct = correct))
  unc <- suppressWarnings(chisq.test(tab, correct = FALSE))
  k <- min(dim(tab))
  res <- list(counts = matrix(as.numeric(tab), nrow(tab)), rows = rownames(tab), cols = colnames(tab),
    correct = correct, chisq = unname(r$statistic), df = unname(r$parameter),
    p = r$p.value, expected = matrix(as.numeric(r$expected), nrow(tab)), stdres = matrix(as.numeric(r$stdres), nrow(tab)),
    V = sqrt(unname(unc$statistic) / (sum(tab) * (k - 1))))
  if (all(dim(tab) == 2)) {
    f <- fisher.test(tab)
    res$fisher_p <- f$p.value
    res$fisher_or <- unname(f$estimate)
    res$fisher_or_low <- f$conf.int[1]
    res$fisher_or_high <- f$conf.int[2]
  }
  res
}
age_levels <- c("<30", "30-45", ">45")
out$crosstab <- list(
  sex_by_type = xt_case(table(factor(data$sex), data$type), FALSE),
  senior_by_sex = xt_case(table(data$senior, data$sex), FALSE),
  senior_by_sex_yates = xt_case(table(data$senior, data$sex), TRUE),
  age_by_type = xt_case(table(factor(data$age_band, levels = age_levels), data$type), FALSE),
  peer_defect = xt_case(matrix(c(20, 35, 30, 15), 2, dimnames = list(c("a", "b"), c("x", "y"))), FALSE),
  peer_defect_yates = xt_case(matrix(c(20, 35, 30, 15), 2, dimnames = list(c("a", "b"), c("x", "y"))), TRUE)
)

# ---- studentized range (ptukey) on a grid, for the vectorised port --------------------
grid <- expand.grid(q = c(0.3, 1, 2, 2.9, 3.6, 4.4, 6, 9), k = c(2, 3, 4, 7, 12),
                    df = c(2.3, 5, 17.6, 96, 450, 3000, 30000))
grid$p <- ptukey(grid$q, grid$k, grid$df)
out$ptukey <- grid
qgrid <- expand.grid(p = c(0.9, 0.95, 0.99), k = c(2, 4, 8), df = c(5, 40.5, 300))
qgrid$q <- qtukey(qgrid$p, qgrid$k, qgrid$df)
out$qtukey <- qgrid

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null"),
           file.path(here, "groups_expected.json"))
cat("wrote", file.path(here, "groups_expected.json"), "\n")
