# Reference values for the generalised VIF of peoscales.regress (car::vif).
#
# Run from the repository root:  Rscript tests/reference/gvif.R
# Reads tests/reference/regression_data.csv and writes tests/reference/gvif_expected.json:
# car::vif's GVIF, Df and GVIF^(1/(2*Df)) per term, for a model with a four-level factor
# (care_type) and for a formula model with a factor and an interaction-free numeric term.
suppressPackageStartupMessages({
  library(car)
  library(jsonlite)
})
here <- "tests/reference"
data <- read.csv(file.path(here, "regression_data.csv"), na.strings = "")
data$care_type <- factor(data$care_type)  # levels sorted, first is the reference
table_of <- function(fit) {
  v <- car::vif(fit)
  list(term = rownames(v), gvif = unname(v[, 1]), df = unname(v[, 2]),
       gvif_adjusted = unname(v[, 3]))
}
out <- list(
  list_model = c(list(predictors = c("wbns_autonomy", "care_type", "age", "swing_nwhi")),
                 table_of(lm(brs ~ wbns_autonomy + care_type + age + swing_nwhi, data))),
  formula_model = c(list(formula = "brs ~ C(care_type) + wbns_competence + swing_nhwi"),
                    table_of(lm(brs ~ care_type + wbns_competence + swing_nhwi, data)))
)
write_json(out, file.path(here, "gvif_expected.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
