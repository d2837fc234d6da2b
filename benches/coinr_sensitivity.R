# COINr's sensitivity vignette analysis (vignettes/sensitivity.Rmd of COINr 1.1.14), timed per
# replication, for the side-by-side figure in docs/performance.md. Not run by CI, and nothing of
# R or COINr is part of gti. Setup (Debian 12, as root):
#
#   apt-get install -y r-base-core r-cran-ggplot2 r-cran-openxlsx r-cran-readxl r-cran-matrixstats
#   R CMD INSTALL COINR_SOURCE_DIR        # COINr 1.1.14 from its source tree
#
# Run from the crate root (N: replications, default 200; OUT: where the ranks are written):
#
#   Rscript benches/coinr_sensitivity.R [N] [OUT_DIR]
#
# It also writes COINr's own example coin (Treated and Aggregated data sets) to OUT_DIR, so
# that benches/example_coin.toml can be compared with COINr itself, not only with the
# independent re-computation the tests use.
suppressPackageStartupMessages(library(COINr))
args <- commandArgs(trailingOnly = TRUE)
N <- if (length(args) >= 1) as.integer(args[1]) else 200L
out <- if (length(args) >= 2) args[2] else "/tmp/coinr-bench"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
cat(sprintf("## %s, COINr %s, %s\n", R.version.string, packageVersion("COINr"), Sys.time()))

coin <- build_example_coin(quietly = TRUE)
write.csv(get_dset(coin, "Treated"), file.path(out, "coinr_treated.csv"), row.names = FALSE)
write.csv(get_dset(coin, "Aggregated"), file.path(out, "coinr_aggregated.csv"), row.names = FALSE)

# The vignette's four inputs, as written there.
l_winmax <- list(Address = "$Log$Treat$global_specs$f1_para$winmax", Distribution = 1:5,
                 Type = "discrete")
norm_alts <- list(list(f_n = "n_minmax", f_n_para = list(c(1, 100))),
                  list(f_n = "n_zscore", f_n_para = list(c(10, 2))))
l_norm <- list(Address = "$Log$Normalise$global_specs", Distribution = norm_alts, Type = "discrete")
noise_specs <- data.frame(Level = c(2, 3), NoiseFactor = c(0.25, 0.25))
set.seed(42)
noisy_wts <- get_noisy_weights(w = coin$Meta$Weights$Original, noise_specs = noise_specs, Nrep = 100)
l_weights <- list(Address = "$Log$Aggregate$w", Distribution = noisy_wts, Type = "discrete")
l_agg <- list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"),
              Type = "discrete")
SA_specs <- list(Winmax = l_winmax, Normalisation = l_norm, Weights = l_weights, Aggregation = l_agg)

# UA as in the vignette (SA_type = "UA", target Index of the Aggregated data set). The address
# check would ask on the terminal about the weights' NULL address (the vignette explains why it
# is NULL), so it is skipped. COINr regenerates the coin once per replication, on one core.
set.seed(42)
t <- system.time(res <- suppressMessages(
  get_sensitivity(coin, SA_specs = SA_specs, N = N, SA_type = "UA", dset = "Aggregated",
                  iCode = "Index", quietly = TRUE, check_addresses = FALSE)))
cat(sprintf("UA, N = %d: elapsed %.2f s, user %.2f s, system %.2f s; %.4f s per replication\n",
            N, t[["elapsed"]], t[["user.self"]], t[["sys.self"]], t[["elapsed"]] / N))
write.csv(res$RankStats, file.path(out, "coinr_rankstats.csv"), row.names = FALSE)
