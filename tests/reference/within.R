# Reference values for peoscales.paired_test, one_sample_test, rm_anova, friedman and
# dunn (within-person comparisons and the post-hoc test after Kruskal–Wallis).
#
# Run from the repository root:  Rscript tests/reference/within.R
# Writes tests/reference/within_data.csv (the data, made here with set.seed) and
# tests/reference/within_expected.json (R's results, full precision).
#
# Packages: stats (t.test, wilcox.test, aov, friedman.test, pairwise.t.test, p.adjust,
# kruskal.test), car (Anova on a multivariate lm with idata: Mauchly, Greenhouse-Geisser,
# Huynh-Feldt), jsonlite. Effect-size intervals are computed here from their definitions
# (uniroot on pt(ncp = )), so no effect-size package is needed.
suppressPackageStartupMessages({
  library(car)
  library(jsonlite)
})

here <- "tests/reference"

# ---- data: 40 respondents, three groups, three correlated within scores -----------
set.seed(20261204)
n <- 40
group <- rep(c("g1", "g2", "g3"), c(16, 14, 10))
person <- rnorm(n, sd = 0.7)
shift <- c(g1 = 0, g2 = 0.3, g3 = -0.2)[group]
a <- round(3.2 + person + shift + rnorm(n, sd = 0.5), 6)
b <- round(3.0 + person + rnorm(n, sd = 0.6) + 0.2 * (group == "g3"), 6)
c <- round(3.5 + 0.8 * person + rnorm(n, sd = 0.8), 6)
ta <- round(2 * (2.5 + person + rnorm(n, sd = 0.5))) / 2  # halves: ties and zero differences
tb <- round(2 * (2.3 + person + rnorm(n, sd = 0.5))) / 2
data <- data.frame(id = sprintf("p%02d", seq_len(n)), group = group, a = a, b = b, c = c,
                   ta = ta, tb = tb)
data$a[3] <- NA
data$b[10] <- NA
data$ta[25] <- NA
write.csv(data, file.path(here, "within_data.csv"), row.names = FALSE, na = "")
data <- read.csv(file.path(here, "within_data.csv"), na.strings = "")

out <- list()

# ---- paired and one-sample t-tests -----------------------------------------------
ncp_limit <- function(t, df, prob) {
  uniroot(function(ncp) pt(t, df, ncp) - prob, c(t - 2, t + 2), extendInt = "downX", tol = 1e-13)$root
}
hedges_j <- function(df) exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
ttest_case <- function(x, y, mu, alternative, conf) {
  if (is.null(y)) {
    ok <- !is.na(x); d <- x[ok]
    tt <- t.test(d, mu = mu, alternative = alternative, conf.level = conf)
  } else {
    ok <- !is.na(x) & !is.na(y); d <- x[ok] - y[ok]
    tt <- t.test(x[ok], y[ok], paired = TRUE, mu = mu, alternative = alternative,
                 conf.level = conf)
  }
  m <- length(d)
  df <- m - 1
  tstat <- unname(tt$statistic)
  two <- if (alternative == "two.sided") conf else 2 * conf - 1
  lo <- ncp_limit(tstat, df, 1 - (1 - two) / 2) / sqrt(m)
  hi <- ncp_limit(tstat, df, (1 - two) / 2) / sqrt(m)
  if (alternative == "less") lo <- -Inf
  if (alternative == "greater") hi <- Inf
  dz <- (mean(d) - mu) / sd(d)
  res <- list(n = m, n_excluded = sum(!ok), t = tstat, df = unname(tt$parameter),
              p = tt$p.value, diff = mean(d) - mu, se = unname(tt$stderr),
              ci_low = tt$conf.int[1] - (if (is.null(y)) mu else 0),
              ci_high = tt$conf.int[2] - (if (is.null(y)) mu else 0),
              dz = dz, dz_ci_low = lo, dz_ci_high = hi, j = hedges_j(df))
  if (!is.null(y)) {
    # t.test's paired CI is for the mean difference itself; ours is for diff - mu.
    res$ci_low <- tt$conf.int[1] - mu
    res$ci_high <- tt$conf.int[2] - mu
    s_av <- (sd(x[ok]) + sd(y[ok])) / 2
    res$d_av <- (mean(d) - mu) / s_av
    res$d_av_ci_low <- lo * sd(d) / s_av
    res$d_av_ci_high <- hi * sd(d) / s_av
  }
  res
}
out$ttest <- list()
for (alt in c("two.sided", "less", "greater")) {
  r <- ttest_case(data$a, data$b, 0, alt, 0.95)
  out$ttest[[length(out$ttest) + 1]] <- c(list(x = "a", y = "b", mu = 0, alternative = alt,
                                              confidence = 0.95), r)
}
r <- ttest_case(data$a, data$c, 0.25, "two.sided", 0.9)
out$ttest[[length(out$ttest) + 1]] <- c(list(x = "a", y = "c", mu = 0.25,
                                            alternative = "two.sided", confidence = 0.9), r)
for (alt in c("two.sided", "greater")) {
  r <- ttest_case(data$a, NULL, 3, alt, 0.95)
  out$ttest[[length(out$ttest) + 1]] <- c(list(x = "a", y = NULL, mu = 3, alternative = alt,
                                              confidence = 0.95), r)
}

# ---- Wilcoxon signed-rank (exact, and normal approximation with ties and zeros) ---
rrb <- function(d, conf, alternative) {
  d <- d[d != 0]; m <- length(d)
  rk <- rank(abs(d)); wp <- sum(rk[d > 0]); tot <- m * (m + 1) / 2
  r <- (2 * wp - tot) / tot
  se <- sqrt((2 * m^3 + 3 * m^2 + m) / 6) / tot
  z <- if (alternative == "two.sided") qnorm(1 - (1 - conf) / 2) else qnorm(conf)
  lo <- tanh(atanh(r) - z * se); hi <- tanh(atanh(r) + z * se)
  if (alternative == "less") lo <- -1
  if (alternative == "greater") hi <- 1
  list(r_rb = r, r_rb_ci_low = lo, r_rb_ci_high = hi)
}
wilcox_case <- function(xname, yname, mu, alternative, exact, correct) {
  x <- data[[xname]]
  y <- if (is.null(yname)) NULL else data[[yname]]
  ok <- if (is.null(y)) !is.na(x) else !is.na(x) & !is.na(y)
  d <- if (is.null(y)) x[ok] - mu else x[ok] - y[ok] - mu
  w <- suppressWarnings(if (is.null(y)) {
    wilcox.test(x[ok], mu = mu, alternative = alternative, exact = exact, correct = correct)
  } else {
    wilcox.test(x[ok], y[ok], paired = TRUE, mu = mu, alternative = alternative,
                exact = exact, correct = correct)
  })
  c(list(x = xname, y = yname, mu = mu, alternative = alternative,
         exact = if (is.null(exact)) "default" else exact, correct = correct,
         n = sum(ok), n_excluded = sum(!ok), n_zero = sum(d == 0),
         w = unname(w$statistic), p = w$p.value),
    rrb(d, 0.95, alternative))
}
out$wilcoxon <- list(
  wilcox_case("a", "b", 0, "two.sided", NULL, TRUE),        # exact (no ties, n < 50)
  wilcox_case("a", "b", 0, "greater", NULL, TRUE),
  wilcox_case("a", "b", 0, "two.sided", FALSE, TRUE),
  wilcox_case("a", "b", 0, "less", FALSE, FALSE),
  wilcox_case("ta", "tb", 0, "two.sided", NULL, TRUE),      # ties and zeros: normal
  wilcox_case("ta", "tb", 0, "greater", NULL, TRUE),
  wilcox_case("ta", "tb", 0, "two.sided", NULL, FALSE),
  wilcox_case("a", NULL, 3, "two.sided", NULL, TRUE)
)

# ---- Dunn's test after Kruskal-Wallis (by hand, as dunn.test / FSA::dunnTest) -------
dunn_case <- function(dv, adjust) {
  ok <- !is.na(data[[dv]]) & !is.na(data$group)
  y <- data[[dv]][ok]; g <- factor(data$group[ok])
  r <- rank(y); N <- length(y)
  ties <- table(y)
  spread <- N * (N + 1) / 12 - sum(ties^3 - ties) / (12 * (N - 1))
  mr <- tapply(r, g, mean); nn <- tapply(r, g, length)
  pairs <- combn(levels(g), 2)
  diff <- mr[pairs[1, ]] - mr[pairs[2, ]]
  z <- diff / sqrt(spread * (1 / nn[pairs[1, ]] + 1 / nn[pairs[2, ]]))
  p <- 2 * pnorm(-abs(z))
  method <- c(holm = "holm", bonferroni = "bonferroni", fdr_bh = "BH", none = "none")[adjust]
  list(dv = dv, adjust = adjust, group1 = pairs[1, ], group2 = pairs[2, ],
       diff = unname(diff), z = unname(z), p = unname(p),
       p_adjusted = p.adjust(p, method = unname(method)),
       h = unname(kruskal.test(y, g)$statistic))
}
out$dunn <- list(dunn_case("a", "holm"), dunn_case("ta", "bonferroni"),
                 dunn_case("ta", "fdr_bh"), dunn_case("c", "none"))
# ---- repeated-measures and mixed ANOVA (car::Anova type II on the multivariate lm) ---
rm_case <- function(cols, between, simple_adjust = "holm") {
  d <- data[complete.cases(data[, cols]), ]
  Y <- as.matrix(d[, cols])
  idata <- data.frame(cond = factor(cols, levels = cols))
  fit <- if (is.null(between)) lm(Y ~ 1) else lm(Y ~ factor(d[[between]]))
  s <- summary(Anova(fit, idata = idata, idesign = ~cond, type = if (is.null(between)) 3 else 2),
               multivariate = FALSE)
  u <- unclass(s$univariate.tests)
  rn <- rownames(u)
  keep <- rn != "(Intercept)"
  names_out <- sub("factor\\(d\\[\\[between\\]\\]\\)", "group", rn[keep])
  names_out <- sub("cond", "condition", names_out)
  names_out <- sub("group:condition", "group:condition", names_out)
  sph <- unclass(s$sphericity.tests); adj <- unclass(s$pval.adjustments)
  # generalised eta squared: SS_effect / (SS_effect + SS_persons_error + SS_error_within)
  err_between <- u[rn == "(Intercept)", "Error SS"]
  err_within <- u[rn == "cond", "Error SS"]
  long_y <- as.vector(Y); long_c <- rep(cols, each = nrow(Y))
  pw <- pairwise.t.test(long_y, factor(long_c, levels = cols), paired = TRUE,
                        p.adjust.method = "holm")
  pairs <- combn(cols, 2)
  post <- lapply(seq_len(ncol(pairs)), function(i) {
    tt <- t.test(d[[pairs[1, i]]], d[[pairs[2, i]]], paired = TRUE)
    list(level1 = pairs[1, i], level2 = pairs[2, i], diff = unname(tt$estimate),
         t = unname(tt$statistic), p = tt$p.value,
         p_holm = pw$p.value[pairs[2, i], pairs[1, i]])
  })
  # Mixed design: paired tests of the conditions inside each group (pairwise.t.test,
  # adjusted within the group), and Welch t-tests of the groups at each condition
  # (t.test, adjusted over the group pairs at that condition).
  by_group <- NULL; by_level <- NULL
  if (!is.null(between)) {
    gr <- as.character(d[[between]])
    for (g in sort(unique(gr))) {
      Yg <- Y[gr == g, , drop = FALSE]
      pwg <- pairwise.t.test(as.vector(Yg), factor(rep(cols, each = nrow(Yg)), levels = cols),
                             paired = TRUE, p.adjust.method = simple_adjust)
      for (i in seq_len(ncol(pairs))) {
        tt <- t.test(Yg[, pairs[1, i]], Yg[, pairs[2, i]], paired = TRUE)
        by_group[[length(by_group) + 1]] <- list(
          group = g, level1 = pairs[1, i], level2 = pairs[2, i], diff = unname(tt$estimate),
          se = unname(tt$stderr), t = unname(tt$statistic), df = unname(tt$parameter),
          p = tt$p.value, p_adjusted = pwg$p.value[pairs[2, i], pairs[1, i]])
      }
    }
    gpairs <- combn(sort(unique(gr)), 2)
    for (cond in cols) {
      rows <- lapply(seq_len(ncol(gpairs)), function(i) {
        tt <- t.test(Y[gr == gpairs[1, i], cond], Y[gr == gpairs[2, i], cond])
        list(level = cond, group1 = gpairs[1, i], group2 = gpairs[2, i],
             diff = unname(tt$estimate[1] - tt$estimate[2]), se = unname(tt$stderr),
             t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value)
      })
      adjusted <- p.adjust(sapply(rows, `[[`, "p"), simple_adjust)
      for (i in seq_along(rows)) {
        rows[[i]]$p_adjusted <- adjusted[i]
        by_level[[length(by_level) + 1]] <- rows[[i]]
      }
    }
  }
  list(columns = cols, between = between, n = nrow(d), n_excluded = nrow(data) - nrow(d),
       effects = names_out, ss = u[keep, "Sum Sq"], df1 = u[keep, "num Df"],
       df2 = u[keep, "den Df"], ss_error = u[keep, "Error SS"], f = u[keep, "F value"],
       p = u[keep, "Pr(>F)"],
       eta2_partial = u[keep, "Sum Sq"] / (u[keep, "Sum Sq"] + u[keep, "Error SS"]),
       eta2_generalized = u[keep, "Sum Sq"] / (u[keep, "Sum Sq"] + err_between + err_within),
       mauchly_w = unname(sph[1, 1]), mauchly_p = unname(sph[1, 2]),
       epsilon_gg = unname(adj[1, "GG eps"]), p_gg = unname(adj[, "Pr(>F[GG])"]),
       epsilon_hf = unname(adj[1, "HF eps"]), p_hf = unname(adj[, "Pr(>F[HF])"]),
       posthoc = post, simple_adjust = simple_adjust, posthoc_by_group = by_group,
       posthoc_by_level = by_level)
}
out$rm_anova <- list(rm_case(c("a", "b", "c"), NULL), rm_case(c("a", "b", "c"), "group"),
                     rm_case(c("ta", "b", "c", "tb"), "group", "bonferroni"))

# ---- Friedman's test with Kendall's W ---------------------------------------------
friedman_case <- function(cols) {
  d <- data[complete.cases(data[, cols]), ]
  ft <- friedman.test(as.matrix(d[, cols]))
  chi2 <- unname(ft$statistic)
  list(columns = cols, n = nrow(d), chi2 = chi2, df = unname(ft$parameter), p = ft$p.value,
       kendalls_w = chi2 / (nrow(d) * (length(cols) - 1)))
}
out$friedman <- list(friedman_case(c("a", "b", "c")), friedman_case(c("ta", "tb", "c")))

write_json(out, file.path(here, "within_expected.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE, null = "null")
