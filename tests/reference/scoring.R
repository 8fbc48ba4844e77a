# Reference scale scores for tests/test_scoring.py, computed with psych::scoreItems.
#
# Run from the repository root:  Rscript tests/reference/scoring.R
# Reads   tests/reference/scoring_data.csv, scoring_data_0to3.csv, scoring_brs_partial.csv
#         (made by tests/reference/scoring_make_data.py)
# Writes  tests/reference/scoring_psych.csv, scoring_psych_0to3.csv, scoring_psych_partial.csv
#
# The scoring keys are written out here by hand from the published instruments
# (BRS: Smith et al. 2008; SWING: Geurts et al. 2005; W-BNS: Van den Broeck et al. 2010),
# independently of the package's TOML definitions, so the comparison checks the keys too.
#
# psych reverses an item as (min + max) - x with one scalar min and max per call, taken
# from the data unless given. We pass the declared range explicitly and call scoreItems
# once per response scale. impute = "none" gives the mean of the answered items (no
# minimum number of items): peoscales with min_valid = 1.
suppressPackageStartupMessages(library(psych))
cat("psych", as.character(packageVersion("psych")), "\n")

here <- "tests/reference"
read <- function(name) read.csv(file.path(here, name), check.names = FALSE)
out <- function(df, name) {
  write.csv(df, file.path(here, name), row.names = FALSE, na = "")
}
score <- function(items, keys, min, max) {
  s <- scoreItems(keys, items[, unique(sub("^-", "", unlist(keys)))], impute = "none",
                  min = min, max = max)$scores
  s[is.nan(s)] <- NA
  s
}
seq_items <- function(prefix, n) paste0(prefix, "_", seq_len(n))

brs_keys <- list(brs = c("brs_1", "-brs_2", "brs_3", "-brs_4", "brs_5", "-brs_6"))
swing_keys <- list(
  swing_nwhi = seq_items("swing_nwhi", 8),
  swing_nhwi = seq_items("swing_nhwi", 4),
  swing_pwhi = seq_items("swing_pwhi", 5),
  swing_phwi = seq_items("swing_phwi", 5)
)
wbns_keys <- list(
  wbns_autonomy = c("wbns_autonomy_1", "-wbns_autonomy_2", "-wbns_autonomy_3",
                    "wbns_autonomy_4", "wbns_autonomy_5", "-wbns_autonomy_6"),
  wbns_competence = c("-wbns_competence_1", "wbns_competence_2", "wbns_competence_3",
                      "-wbns_competence_4", "wbns_competence_5", "wbns_competence_6"),
  wbns_relatedness = c("-wbns_relatedness_1", "wbns_relatedness_2", "-wbns_relatedness_3",
                       "wbns_relatedness_4", "-wbns_relatedness_5", "wbns_relatedness_6")
)

# BRS + SWING (1-4) + W-BNS
d <- read("scoring_data.csv")
res <- data.frame(
  row = d$row,
  score(d, brs_keys, 1, 5),
  score(d, swing_keys, 1, 4),
  score(d, wbns_keys, 1, 5),
  check.names = FALSE
)
out(res, "scoring_psych.csv")

# SWING in the original 0-3 coding
d03 <- read("scoring_data_0to3.csv")
out(data.frame(row = d03$row, score(d03, swing_keys, 0, 3), check.names = FALSE),
    "scoring_psych_0to3.csv")

# BRS where code 5 never occurs: declared range versus psych's default (observed range)
dp <- read("scoring_brs_partial.csv")
declared <- score(dp, brs_keys, 1, 5)
observed <- scoreItems(brs_keys, dp[, -1], impute = "none")$scores
observed[is.nan(observed)] <- NA
out(data.frame(row = dp$row, brs_declared = declared[, 1], brs_psych_default = observed[, 1]),
    "scoring_psych_partial.csv")
cat("written\n")
