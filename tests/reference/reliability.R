# Reference values for peoscales.reliability, cronbach_alpha, omega and polychoric.
#
# Run from the repository root:  Rscript tests/reference/reliability.R
# Writes the data sets (reliability_*_data.csv) and R's results (reliability_*.csv,
# reliability_*.json) next to this script. Made with R 4.2, psych 2.2.9, GPArotation,
# polycor. The tests read the stored files; they never call R.

suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
  library(polycor)
  library(jsonlite)
})

out <- function(name) file.path("tests", "reference", name)
write_csv <- function(x, name) write.csv(x, out(name), row.names = FALSE, na = "")

# ---------------------------------------------------------------------------
# 1. Likert data: three correlated scales of six 5-point items, two reverse-keyed
#    items per scale, 5% missing completely at random.
# ---------------------------------------------------------------------------
set.seed(20261123)
n <- 400
phi <- matrix(c(1, .45, .35, .45, 1, .40, .35, .40, 1), 3)
f <- matrix(rnorm(n * 3), n) %*% chol(phi)
loads <- c(.75, .65, .70, .55, .60, .50)
reverse_pos <- c(2, 5)
items <- list()
for (s in 1:3) {
  for (j in 1:6) {
    sign <- if (j %in% reverse_pos) -1 else 1
    latent <- sign * loads[j] * f[, s] + sqrt(1 - loads[j]^2) * rnorm(n)
    items[[sprintf("s%d_%d", s, j)]] <- as.integer(cut(latent, c(-Inf, -1.3, -.4, .3, 1.1, Inf)))
  }
}
likert <- as.data.frame(items)
complete <- likert
miss <- matrix(runif(n * 18) < .05, n)
likert[miss] <- NA
write_csv(likert, "reliability_likert_data.csv")
write_csv(complete, "reliability_likert_complete_data.csv")

scale_items <- function(s) sprintf("s%d_%d", s, 1:6)
reversed_names <- function(s) sprintf("s%d_%d", s, reverse_pos)
# Keyed copy on the declared 1-5 range (for omega and split halves).
keyed <- function(x) {
  for (col in names(x)) if (as.integer(sub(".*_", "", col)) %in% reverse_pos) x[[col]] <- 6 - x[[col]]
  x
}

split_halves <- function(x) {
  # Spearman-Brown split-half coefficients from the covariance matrix of the keyed items.
  C <- cov(x, use = "pairwise")
  k <- ncol(x)
  sb <- function(a) {
    b <- setdiff(seq_len(k), a)
    r <- sum(C[a, b]) / sqrt(sum(C[a, a]) * sum(C[b, b]))
    2 * r / (1 + r)
  }
  odd <- seq(1, k, by = 2)
  # Every split into halves of floor(k/2) and ceiling(k/2) items, each split once.
  halves <- combn(k, floor(k / 2), simplify = FALSE)
  if (k %% 2 == 0) halves <- Filter(function(a) 1 %in% a, halves)
  c(odd_even = sb(odd), mean_split = mean(vapply(halves, sb, 0)))
}

scale_rows <- list()
item_rows <- list()
for (use in c("pairwise", "complete.obs")) {
  for (s in 1:3) {
    x <- likert[, scale_items(s)]
    if (use == "complete.obs") x <- x[complete.cases(x), ]
    a <- alpha(x, keys = reversed_names(s), use = use, warnings = FALSE)
    n_rows <- nrow(x)
    if (use == "pairwise") n_rows <- sum(rowSums(!is.na(x)) > 0)
    ci <- alpha.ci(a$total$raw_alpha, n.obs = n_rows, n.var = 6, p.val = .05)
    ci90 <- alpha.ci(a$total$raw_alpha, n.obs = n_rows, n.var = 6, p.val = .10)
    kx <- keyed(x)
    om1 <- suppressWarnings(suppressMessages(omega(kx, nfactors = 1, plot = FALSE)))
    halves <- split_halves(kx)
    scale_rows[[length(scale_rows) + 1]] <- data.frame(
      scale = sprintf("s%d", s), missing = ifelse(use == "pairwise", "pairwise", "listwise"),
      n = n_rows, raw_alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
      G6 = a$total[["G6(smc)"]], average_r = a$total$average_r, median_r = a$total$median_r,
      feldt_low = ci$lower.ci, feldt_high = ci$upper.ci,
      feldt90_low = ci90$lower.ci, feldt90_high = ci90$upper.ci,
      omega_total = om1$omega.tot, odd_even = halves[["odd_even"]],
      mean_split = halves[["mean_split"]]
    )
    st <- a$item.stats
    item_rows[[length(item_rows) + 1]] <- data.frame(
      scale = sprintf("s%d", s), missing = ifelse(use == "pairwise", "pairwise", "listwise"),
      item = scale_items(s), n = colSums(!is.na(x)), mean = colMeans(x, na.rm = TRUE),
      sd = apply(x, 2, sd, na.rm = TRUE), std_r = st$std.r, r_cor = st$r.cor,
      r_drop = st$r.drop, alpha_if_deleted = a$alpha.drop$raw_alpha,
      std_alpha_if_deleted = a$alpha.drop$std.alpha
    )
  }
}
write_csv(do.call(rbind, scale_rows), "reliability_scales.csv")
write_csv(do.call(rbind, item_rows), "reliability_items.csv")

# Omega hierarchical of the 18 keyed items with one group factor per scale
# (psych::omega: minres, oblimin, Schmid-Leiman), pairwise correlations.
om3 <- suppressMessages(omega(keyed(likert), nfactors = 3, plot = FALSE))
om2 <- suppressMessages(omega(keyed(likert[, c(scale_items(1), scale_items(2))]),
  nfactors = 2, plot = FALSE))
write_json(list(
  three = list(omega_h = om3$omega_h, omega_total = om3$omega.tot,
    g_loadings = unname(om3$schmid$sl[, "g"]), h2 = unname(om3$schmid$sl[, "h2"])),
  two = list(omega_h = om2$omega_h, omega_total = om2$omega.tot)
), out("reliability_omega_h.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)

# One-factor minres loadings (the model behind omega total) for scale 1, complete data.
fa1 <- fa(keyed(complete[, scale_items(1)]), nfactors = 1, fm = "minres")
write_json(list(loadings = unname(as.vector(fa1$loadings)),
  omega_total = suppressWarnings(suppressMessages(
    omega(keyed(complete[, scale_items(1)]), nfactors = 1, plot = FALSE)))$omega.tot),
  out("reliability_fa1.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)

# ---------------------------------------------------------------------------
# 2. psych's bfi neuroticism items (the published example alpha(bfi[16:20])).
# ---------------------------------------------------------------------------
data(bfi, package = "psychTools", envir = environment())
if (!exists("bfi")) data(bfi, package = "psych", envir = environment())
neuro <- bfi[16:20]
write_csv(neuro, "reliability_bfi_neuroticism_data.csv")
an <- alpha(neuro)
write_json(list(raw_alpha = an$total$raw_alpha, std_alpha = an$total$std.alpha,
  G6 = an$total[["G6(smc)"]], average_r = an$total$average_r, median_r = an$total$median_r,
  r_drop = unname(an$item.stats$r.drop), r_cor = unname(an$item.stats$r.cor),
  alpha_if_deleted = unname(an$alpha.drop$raw_alpha)),
  out("reliability_bfi.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)

# ---------------------------------------------------------------------------
# 3. Ordinal data for polychoric correlations: six 4-category items, one factor,
#    skewed thresholds; a second set with 8% missing.
# ---------------------------------------------------------------------------
set.seed(7)
n <- 500
g <- rnorm(n)
ord_loads <- c(.8, .7, .6, .75, .5, .65)
cuts <- list(c(-1.5, -.2, .9), c(-1, .3, 1.4), c(-.5, .5, 1.6), c(-2, -.8, .4),
  c(-1.2, 0, 1), c(-.3, .8, 1.8))
ordinal <- as.data.frame(sapply(1:6, function(j) {
  latent <- ord_loads[j] * g + sqrt(1 - ord_loads[j]^2) * rnorm(n)
  as.integer(cut(latent, c(-Inf, cuts[[j]], Inf)))
}))
names(ordinal) <- sprintf("o%d", 1:6)
write_csv(ordinal, "reliability_ordinal_data.csv")
ordinal_missing <- ordinal
ordinal_missing[matrix(runif(n * 6) < .08, n)] <- NA
write_csv(ordinal_missing, "reliability_ordinal_missing_data.csv")

# Items with different numbers of categories: psych switches to per-pair thresholds
# (global = FALSE) and adds 0.5 / n to empty cells (correct = 0.5).
set.seed(11)
uneven <- ordinal[1:150, ]
uneven$o3 <- pmin(uneven$o3, 3L)
uneven$o5 <- pmin(uneven$o5, 2L)
uneven[matrix(runif(150 * 6) < .05, 150)] <- NA
write_csv(uneven, "reliability_ordinal_uneven_data.csv")
pcu <- suppressWarnings(polychoric(uneven))
pcu0 <- suppressWarnings(polychoric(uneven, correct = 0))

pc <- polychoric(ordinal)
pcm <- polychoric(ordinal_missing)
# polycor's two-step estimate (exact bivariate normal, tight optimiser) for each pair.
two_step <- matrix(1, 6, 6)
for (i in 2:6) for (j in 1:(i - 1)) {
  two_step[i, j] <- two_step[j, i] <- polychor(ordinal[, i], ordinal[, j], ML = FALSE)
}
# psych's own likelihood (polyF) maximised to a tight tolerance: optimize()'s default
# tolerance (about 1e-4) leaves psych's estimates that far from the maximum.
tight <- function(x, tau) {
  out <- diag(ncol(x))
  for (i in 2:ncol(x)) for (j in 1:(i - 1)) {
    ok <- !is.na(x[, i]) & !is.na(x[, j])
    tab <- table(factor(x[ok, i], 1:4), factor(x[ok, j], 1:4))
    out[i, j] <- out[j, i] <- optimize(psych:::polyF, c(-1, 1), rc = tau[i, ], cc = tau[j, ],
      tab = tab / sum(tab), tol = 1e-10)$minimum
  }
  out
}
ord_alpha <- alpha(pc$rho, warnings = FALSE)
ord_omega <- suppressWarnings(suppressMessages(omega(pc$rho, nfactors = 1, plot = FALSE)))
write_json(list(
  rho = unname(pc$rho), tau = unname(pc$tau),
  rho_missing = unname(pcm$rho), tau_missing = unname(pcm$tau),
  rho_uneven = unname(pcu$rho), rho_uneven_uncorrected = unname(pcu0$rho),
  rho_polycor = two_step, rho_tight = tight(ordinal, pc$tau),
  rho_missing_tight = tight(ordinal_missing, pcm$tau),
  ordinal_alpha = ord_alpha$total$raw_alpha, ordinal_omega_total = ord_omega$omega.tot
), out("reliability_polychoric.json"), digits = NA, pretty = TRUE)

# ---------------------------------------------------------------------------
# 4. Reverse-keyed items left unkeyed: psych::omega flips items whose general
#    loading is negative (flip = TRUE) and reports them with a "-" suffix. Data: the
#    BRS and W-BNS items of the embedded demo survey, as answered (not reversed).
# ---------------------------------------------------------------------------
demo <- read.csv(file.path("src", "peoscales", "demo", "mental_fitness.csv"))
brs <- sprintf("brs_%d", 1:6)
wbns <- grep("^wbns_", names(demo), value = TRUE)
unkeyed <- demo[, c(brs, wbns)]
write_csv(unkeyed, "reliability_reverse_data.csv")
flipped <- function(om) sub("-$", "", grep("-$", rownames(om$schmid$sl), value = TRUE))
omega_fit <- function(x, ...) suppressWarnings(suppressMessages(omega(x, plot = FALSE, ...)))
om_brs <- omega_fit(unkeyed[, brs], nfactors = 1)
om_wbns <- omega_fit(unkeyed[, wbns], nfactors = 1)
om_wbns3 <- omega_fit(unkeyed[, wbns], nfactors = 3)
om_brs_flip0 <- omega_fit(unkeyed[, brs], nfactors = 1, flip = FALSE)
pc_brs <- polychoric(unkeyed[, brs])
om_brs_ord <- omega_fit(pc_brs$rho, nfactors = 1)
pc_wbns <- polychoric(unkeyed[, wbns])
om_wbns_ord <- omega_fit(pc_wbns$rho, nfactors = 1)
listwise <- unkeyed[complete.cases(unkeyed[, brs]), brs]
om_brs_listwise <- omega_fit(listwise, nfactors = 1)
one <- function(om) list(omega_total = om$omega.tot, flipped = I(flipped(om)),
  g_loadings = unname(om$schmid$sl[, 1]))
write_json(list(
  brs = one(om_brs), wbns = one(om_wbns),
  brs_listwise = one(om_brs_listwise),
  brs_no_flip = list(omega_total = om_brs_flip0$omega.tot),
  wbns_three = c(one(om_wbns3), list(omega_h = om_wbns3$omega_h)),
  brs_ordinal = one(om_brs_ord), wbns_ordinal = one(om_wbns_ord)
), out("reliability_reverse.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)

cat("reference files written\n")
