# Reference values for peoscales.factor: psych (fa, KMO, cortest.bartlett, VSS MAP,
# eigenvalues as in fa.parallel) and lavaan (cfa, fitMeasures, modindices, group.equal,
# lavTestLRT). Run from the repository root:  Rscript tests/reference/factor.R
suppressPackageStartupMessages({
  library(psych); library(GPArotation); library(lavaan); library(jsonlite)
})
out_dir <- "tests/reference"

# ---- data ---------------------------------------------------------------------------
bfi_items <- na.omit(psych::bfi[, 1:25])
write.csv(bfi_items, file.path(out_dir, "factor_bfi_data.csv"), row.names = FALSE)
hs <- lavaan::HolzingerSwineford1939[, c("school", paste0("x", 1:9))]
write.csv(hs, file.path(out_dir, "factor_hs_data.csv"), row.names = FALSE)
# W-BNS demo data: reverse-keyed items recoded (6 - x) as peoscales.cfa does, complete rows.
demo <- read.csv("src/peoscales/demo/mental_fitness.csv")
wbns_cols <- grep("^wbns_", names(demo), value = TRUE)
reversed <- c("wbns_autonomy_2", "wbns_autonomy_3", "wbns_autonomy_6",
              "wbns_competence_1", "wbns_competence_4",
              "wbns_relatedness_1", "wbns_relatedness_3", "wbns_relatedness_5")
wbns <- demo[, wbns_cols]
wbns[, reversed] <- 6 - wbns[, reversed]
wbns <- na.omit(wbns)

# ---- EFA ----------------------------------------------------------------------------
r <- cor(bfi_items)
efa <- list()
for (fm in c("minres", "ml", "pa")) {
  for (rot in c("none", "varimax", "oblimin", "promax", "geominQ")) {
    f <- fa(r, nfactors = 5, n.obs = nrow(bfi_items), fm = fm, rotate = rot)
    entry <- list(loadings = unclass(f$loadings), communality = unname(f$communality),
                  values = unname(f$values))
    if (!is.null(f$Phi)) entry$phi <- f$Phi
    efa[[paste(fm, rot, sep = "_")]] <- entry
  }
}
kmo <- KMO(r)
bart <- cortest.bartlett(r, n = nrow(bfi_items))
vss <- VSS(r, n = 8, n.obs = nrow(bfi_items), plot = FALSE)
smc_r <- r; diag(smc_r) <- smc(r)
# fa.parallel's observed factor eigenvalues: those of a one-factor solution (fm = "minres").
fa1 <- fa(r, nfactors = 1, fm = "minres", warnings = FALSE)
suitability <- list(
  kmo = kmo$MSA, kmo_items = unname(kmo$MSAi),
  bartlett_chi2 = bart$chisq, bartlett_df = bart$df, bartlett_p = bart$p.value,
  map = vss$map, pc_values = eigen(r)$values, smc_values = eigen(smc_r)$values,
  fa1_values = fa1$values
)

# ---- CFA ----------------------------------------------------------------------------
fit_names <- c("chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli",
               "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "srmr",
               "aic", "bic", "logl", "npar")
robust_names <- c("chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor",
                  "cfi.robust", "tli.robust", "rmsea.robust", "cfi.scaled", "tli.scaled",
                  "rmsea.scaled")
cfa_entry <- function(fit, robust = FALSE) {
  pe <- parameterEstimates(fit, standardized = TRUE)
  std <- standardizedSolution(fit)
  mi <- modindices(fit, sort. = FALSE)
  fm <- fitMeasures(fit, if (robust) c(fit_names, robust_names) else fit_names)
  list(params = pe[, c("lhs", "op", "rhs", "est", "se", "z", "pvalue", "std.all")],
       std = std[, c("lhs", "op", "rhs", "est.std", "se", "pvalue")],
       fit = as.list(fm), mi = mi[, c("lhs", "op", "rhs", "mi", "epc")])
}
hs_model <- "visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9"
wbns_model <- paste(
  "autonomy =~", paste(wbns_cols[1:6], collapse = " + "), "\n",
  "competence =~", paste(wbns_cols[7:12], collapse = " + "), "\n",
  "relatedness =~", paste(wbns_cols[13:18], collapse = " + "))
cfa_ref <- list(
  hs_ml = cfa_entry(cfa(hs_model, data = hs)),
  hs_mlr = cfa_entry(cfa(hs_model, data = hs, estimator = "MLR"), robust = TRUE),
  wbns_ml = cfa_entry(cfa(wbns_model, data = wbns)),
  wbns_mlr = cfa_entry(cfa(wbns_model, data = wbns, estimator = "MLR"), robust = TRUE)
)

# ---- measurement invariance -----------------------------------------------------------
inv_step <- function(equal, estimator) {
  if (length(equal) == 0) {
    return(cfa(hs_model, data = hs, group = "school", estimator = estimator))
  }
  cfa(hs_model, data = hs, group = "school", group.equal = equal, estimator = estimator)
}
invariance <- list()
for (est in c("ML", "MLR")) {
  fits <- list(configural = inv_step(character(0), est),
               metric = inv_step(c("loadings"), est),
               scalar = inv_step(c("loadings", "intercepts"), est),
               strict = inv_step(c("loadings", "intercepts", "residuals"), est))
  names_here <- if (est == "MLR") c(fit_names, robust_names) else fit_names
  lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
  invariance[[est]] <- list(
    fit = lapply(fits, function(f) as.list(fitMeasures(f, names_here))),
    lrt = list(chisq_diff = lrt[["Chisq diff"]], df_diff = lrt[["Df diff"]],
               p = lrt[["Pr(>Chisq)"]]),
    metric_loadings = parameterEstimates(fits$metric)[, c("lhs", "op", "rhs", "group", "est", "se")]
  )
}

write_json(list(efa = efa, suitability = suitability, n_bfi = nrow(bfi_items)),
           file.path(out_dir, "factor_efa_expected.json"), digits = NA, auto_unbox = TRUE,
           matrix = "rowmajor")
write_json(list(cfa = cfa_ref, invariance = invariance, n_wbns = nrow(wbns),
                package_versions = list(psych = as.character(packageVersion("psych")),
                                        lavaan = as.character(packageVersion("lavaan")))),
           file.path(out_dir, "factor_cfa_expected.json"), digits = NA, auto_unbox = TRUE,
           matrix = "rowmajor")

# ---- EFA with missing answers: all 2,800 bfi rows, pairwise and listwise -----------------
bfi_all <- psych::bfi[, 1:25]
write.csv(bfi_all, file.path(out_dir, "factor_bfi_missing_data.csv"), row.names = FALSE,
          na = "")
pairwise <- fa(bfi_all, nfactors = 5, fm = "minres", rotate = "oblimin", use = "pairwise")
listwise <- fa(bfi_all, nfactors = 5, fm = "minres", rotate = "oblimin", use = "complete")
kmo_pairwise <- KMO(cor(bfi_all, use = "pairwise"))
write_json(list(pairwise = unclass(pairwise$loadings), listwise = unclass(listwise$loadings),
                pairwise_phi = pairwise$Phi, kmo_pairwise = kmo_pairwise$MSA,
                n_complete = sum(complete.cases(bfi_all))),
           file.path(out_dir, "factor_efa_missing_expected.json"), digits = NA,
           auto_unbox = TRUE, matrix = "rowmajor")
