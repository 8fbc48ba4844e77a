# Reference values for peoscales.peo.trend (and compare_waves, its two-wave case).
#
# Run from the repository root:  Rscript tests/reference/trend.R
# Writes tests/reference/trend_data.csv (three waves of coded answers, made here with
# set.seed) and tests/reference/trend_expected.json (R's results, full precision).
# The counts of `equipped` and `work_pleasure` in the three demo waves are read from
# tests/reference/trend_demo_counts.csv (written by trend_demo_counts.py); their tests
# are under "demo".
#
# Packages: stats (chisq.test, prop.trend.test, t.test, aov, oneway.test, cor), jsonlite.
suppressPackageStartupMessages(library(jsonlite))

here <- "tests/reference"

# ---- data: equipped (1-4) in three waves, work_pleasure (1-10) in the last two ----------
set.seed(20261204)
sizes <- c("2020-05" = 83, "2021-09" = 117, "2022-04" = 96)
wave <- rep(names(sizes), sizes)
n <- length(wave)
# the share answering 1-2 (insufficiently / hardly) rises over the waves
low <- c("2020-05" = 0.12, "2021-09" = 0.18, "2022-04" = 0.27)[wave]
equipped <- ifelse(runif(n) < low, sample(1:2, n, TRUE, c(0.3, 0.7)),
                   sample(3:4, n, TRUE, c(0.75, 0.25)))
equipped[c(7, 150, 222)] <- NA
shift <- c("2020-05" = 0, "2021-09" = 0, "2022-04" = -0.4)[wave]
work_pleasure <- pmin(10, pmax(1, round(7.2 + shift + rnorm(n, sd = 1.4))))
work_pleasure[wave == "2020-05"] <- NA  # not asked in 2020
work_pleasure[c(100, 290)] <- NA
data <- data.frame(wave = wave, equipped = equipped, work_pleasure = work_pleasure)
write.csv(data, file.path(here, "trend_data.csv"), row.names = FALSE, na = "")

# ---- tests ----------------------------------------------------------------------------
waves_of <- names(sizes)
chisq <- function(tab) {
  r <- suppressWarnings(chisq.test(tab, correct = FALSE))
  k <- min(dim(tab)) - 1
  list(chi2 = unname(r$statistic), df = unname(r$parameter), p = r$p.value,
       cramers_v = sqrt(unname(r$statistic) / (sum(tab) * k)))
}
trend_test <- function(x, n, score) {
  r <- prop.trend.test(x, n, score = score)
  list(chi2 = unname(r$statistic), p = r$p.value)
}
# linear-by-linear association: M^2 = (N - 1) r^2 over the respondents
lbl <- function(answer, wave_score) {
  m2 <- (length(answer) - 1) * cor(answer, wave_score)^2
  list(chi2 = m2, p = pchisq(m2, 1, lower.tail = FALSE))
}
means <- function(y, g) {
  out <- lapply(split(y, g), function(v) {
    tt <- t.test(v, conf.level = 0.95)
    list(n = length(v), mean = mean(v), sd = sd(v),
         ci_low = tt$conf.int[1], ci_high = tt$conf.int[2])
  })
  fit <- summary(aov(y ~ g))[[1]]
  ss_b <- fit[1, "Sum Sq"]; ss_w <- fit[2, "Sum Sq"]; ms_w <- fit[2, "Mean Sq"]
  welch <- oneway.test(y ~ g, var.equal = FALSE)
  classic <- oneway.test(y ~ g, var.equal = TRUE)
  list(per_wave = out,
       f = fit[1, "F value"], df1 = fit[1, "Df"], df2 = fit[2, "Df"], p = fit[1, "Pr(>F)"],
       f_oneway = unname(classic$statistic),
       eta2 = ss_b / (ss_b + ss_w),
       omega2 = (ss_b - fit[1, "Df"] * ms_w) / (ss_b + ss_w + ms_w),
       welch_f = unname(welch$statistic), welch_df2 = unname(welch$parameter[2]),
       welch_p = welch$p.value)
}

ok <- !is.na(data$equipped)
eq <- data[ok, ]
eq_wave <- factor(eq$wave, levels = waves_of)
tab4 <- table(eq_wave, factor(eq$equipped, levels = 1:4))
low_n <- as.vector(tapply(eq$equipped <= 2, eq_wave, sum))
all_n <- as.vector(table(eq_wave))
wp <- data[!is.na(data$work_pleasure), ]
wp_wave <- factor(wp$wave, levels = waves_of[2:3])
bands <- cut(wp$work_pleasure, c(0, 5, 7, 10), labels = c("1-5", "6-7", "8-10"))
tab_bands <- table(wp_wave, bands)

expected <- list(
  equipped = list(
    counts = unclass(tab4),
    chisq = chisq(tab4),
    # ordered answers: answer 1-4 by wave 1-3, and by the waves' dates in years
    lbl = lbl(eq$equipped, as.integer(eq_wave)),
    lbl_dates = lbl(eq$equipped, c(2020 + 4 / 12, 2021 + 8 / 12, 2022 + 3 / 12)[as.integer(eq_wave)])
  ),
  equipped_dichotomy = list(
    low = low_n, n = all_n,
    chisq = chisq(cbind(low_n, all_n - low_n)),
    trend = trend_test(low_n, all_n, seq_along(all_n)),
    trend_dates = trend_test(low_n, all_n, c(2020 + 4 / 12, 2021 + 8 / 12, 2022 + 3 / 12))
  ),
  work_pleasure = list(
    bands_counts = unclass(tab_bands),
    chisq = chisq(tab_bands),
    lbl = lbl(as.integer(bands), as.integer(wp_wave)),
    means = means(wp$work_pleasure, wp_wave)
  ),
  # the hand-computed example of the tests: 1, 2, 4 of 5 per wave
  tiny = trend_test(c(1, 2, 4), c(5, 5, 5), 1:3)
)

# ---- the three demo waves (counts written by trend_demo_counts.py) -----------------------
demo <- read.csv(file.path(here, "trend_demo_counts.csv"), check.names = FALSE,
                 colClasses = c(item = "character", answer = "character"))
counts_of <- function(item) {
  rows <- demo[demo$item == item, ]
  m <- as.matrix(rows[, waves_of])
  rownames(m) <- rows$answer
  m[, colSums(!is.na(m)) > 0, drop = FALSE]  # the waves that asked the question
}
equipped_demo <- counts_of("equipped")
low_demo <- colSums(equipped_demo[1:2, ])
bands_demo <- counts_of("work_pleasure_band")
values_demo <- counts_of("work_pleasure_value")
marks <- unlist(lapply(colnames(values_demo), function(w) rep(as.numeric(rownames(values_demo)), values_demo[, w])))
marks_wave <- factor(unlist(lapply(colnames(values_demo), function(w) rep(w, sum(values_demo[, w])))))
expected$demo <- list(
  equipped = list(
    chisq = chisq(t(equipped_demo)),
    dichotomy_chisq = chisq(rbind(low_demo, colSums(equipped_demo) - low_demo)),
    trend = trend_test(low_demo, colSums(equipped_demo), seq_len(ncol(equipped_demo)))
  ),
  work_pleasure = list(
    chisq = chisq(t(bands_demo)),
    # the two waves that asked it are the 2nd and 3rd of the three
    lbl = lbl(rep(rep(1:3, ncol(bands_demo)), as.vector(bands_demo)),
              rep(rep(2:3, each = 3), as.vector(bands_demo))),
    means = means(marks, marks_wave)
  )
)

write_json(expected, file.path(here, "trend_expected.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
cat("wrote", file.path(here, "trend_expected.json"), "\n")
