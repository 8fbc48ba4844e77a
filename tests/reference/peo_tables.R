# Reference values for peoscales.peo.tables: chi-square crosstabs, Fisher's exact test,
# adjusted residuals, one-way ANOVA and Welch's ANOVA.
# Run from the repository root: Rscript tests/reference/peo_tables.R
set.seed(20210901)
n <- 178
employer <- sample(1:4, n, replace = TRUE, prob = c(.33, .26, .32, .09))
space <- pmin(4, pmax(1, round(2.6 + 0.25 * (employer == 3) + rnorm(n, 0, 0.8))))
pleasure <- pmin(10, pmax(1, round(7.2 - 0.3 * (employer == 1) + 0.4 * (employer == 3) + rnorm(n, 0, 1.4))))
data <- data.frame(employer = employer, space = space, pleasure = pleasure)
write.csv(data, "tests/reference/peo_tables_data.csv", row.names = FALSE)

tab <- table(factor(data$space, levels = 1:4), factor(data$employer, levels = 1:4))
ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
v <- sqrt(unname(ct$statistic) / (sum(tab) * (min(dim(tab)) - 1)))
dich <- table(data$space <= 2, data$employer == 3)
ct2 <- chisq.test(dich, correct = FALSE)
fi <- fisher.test(dich)
av <- summary(aov(pleasure ~ factor(employer), data = data))[[1]]
ss <- av[["Sum Sq"]]
welch <- oneway.test(pleasure ~ factor(employer), data = data, var.equal = FALSE)

fmt <- function(x) formatC(x, digits = 17, format = "g")
lines <- c(
  "name,value",
  paste0("chi2,", fmt(unname(ct$statistic))),
  paste0("df,", fmt(unname(ct$parameter))),
  paste0("p,", fmt(ct$p.value)),
  paste0("cramers_v,", fmt(v)),
  paste0(sprintf("stdres_%d_%d,", rep(1:4, 4), rep(1:4, each = 4)), fmt(as.vector(ct$stdres))),
  paste0("chi2_2x2,", fmt(unname(ct2$statistic))),
  paste0("p_2x2,", fmt(ct2$p.value)),
  paste0("fisher_p_2x2,", fmt(fi$p.value)),
  paste0("anova_f,", fmt(av[["F value"]][1])),
  paste0("anova_df1,", fmt(av[["Df"]][1])),
  paste0("anova_df2,", fmt(av[["Df"]][2])),
  paste0("anova_p,", fmt(av[["Pr(>F)"]][1])),
  paste0("eta_squared,", fmt(ss[1] / sum(ss))),
  paste0("welch_f,", fmt(unname(welch$statistic))),
  paste0("welch_df2,", fmt(unname(welch$parameter[2]))),
  paste0("welch_p,", fmt(welch$p.value))
)
writeLines(lines, "tests/reference/peo_tables_expected.csv")
