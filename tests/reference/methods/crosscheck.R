# Cross-checks of the Python references with R (Debian's r-base-core 4.2.2, r-cran-psych,
# r-cran-lpsolve, r-cran-gparotation): PCA/varimax weights, BoD scores, Cronbach's alpha
# (COINr's get_cronbach formula on cov(use = "pairwise.complete.obs")), correlations with
# external indicators, regression imputation; and, written here from the formulas, MPI, AMPI,
# entropy/CRITIC weights, Copeland (COINr's form) and influence. All on COINr's ASEM data
# normalised here in R.
# Usage: Rscript tests/reference/methods/crosscheck.R [DATA] [OUTDIR] [EXPECTED]
suppressMessages({ library(psych); library(lpSolve); library(GPArotation) })
args <- commandArgs(trailingOnly = TRUE)
DATA <- if (length(args) >= 1) args[1] else "tests/data/coinr-asem"
OUT <- if (length(args) >= 2) args[2] else "r-crosscheck"
EXP <- if (length(args) >= 3) args[3] else "tests/data/methods-expected"
dir.create(OUT, showWarnings = FALSE, recursive = TRUE)
idata <- read.csv(file.path(DATA, "ASEM_iData.csv"))
imeta <- read.csv(file.path(DATA, "ASEM_iMeta.csv"))
ind <- imeta[imeta$Type == "Indicator", ]
agg <- imeta[imeta$Type == "Aggregate", ]
norm <- sapply(ind$iCode, function(c) {
  x <- ind$Direction[ind$iCode == c] * idata[[c]]
  (x - min(x, na.rm = TRUE)) / (max(x, na.rm = TRUE) - min(x, na.rm = TRUE)) * 100
})
vals <- as.data.frame(norm)
kids <- function(node) imeta$iCode[!is.na(imeta$Parent) & imeta$Parent == node &
                                   imeta$Type %in% c("Indicator", "Aggregate")]
for (lev in sort(unique(agg$Level))) for (a in agg$iCode[agg$Level == lev]) {
  X <- as.matrix(vals[kids(a)])
  vals[[a]] <- apply(X, 1, function(r) if (all(is.na(r))) NA else mean(r, na.rm = TRUE))
}
nodes <- agg$iCode[order(agg$Level)]
num <- function(x) trimws(formatC(x, digits = 17, format = "g"))

# --- PCA weights (Nicoletti et al.): principal components of the correlation matrix, varimax
# with Kaiser normalisation, squared loadings scaled within factors. Two rotations: R's
# stats::varimax re-applied to its own output until no loading moves by more than 1e-14 (its
# own stopping rule, on the criterion, leaves the weights ~5e-9 short), and GPArotation's
# gradient-projection Varimax (another algorithm; it stalls near a gradient of 1e-7, so eps = 1e-7).
nsb <- function(X, k = NULL, rotation = "stats") {
  X <- na.omit(X)
  e <- eigen(cor(X), symmetric = TRUE)$values
  m <- ncol(X)
  if (is.null(k)) k <- max(sum(e > 1), which(cumsum(e) / m >= 0.6 - 1e-12)[1], 1)
  L <- unclass(principal(X, nfactors = k, rotate = "none")$loadings)
  if (k > 1 && rotation == "stats") {
    for (it in 1:1000) {
      L2 <- unclass(varimax(L, normalize = TRUE, eps = 1e-14)$loadings)
      done <- max(abs(L2 - L)) < 1e-14
      L <- L2
      if (done) break
    }
  }
  if (k > 1 && rotation == "gpa")
    L <- unclass(GPArotation::Varimax(L, normalize = TRUE, eps = 1e-7, maxit = 5000)$loadings)
  V <- colSums(L^2)
  S <- sweep(L^2, 2, V, "/")
  j <- apply(S, 1, which.max)
  raw <- V[j] / sum(V) * S[cbind(seq_len(m), j)]
  raw / sum(raw)
}
rows <- c()
for (n in nodes) { w <- nsb(as.matrix(vals[kids(n)]), rotation = "gpa"); rows <- c(rows, paste(n, kids(n), num(w), sep = ",")) }
writeLines(c("node,child,weight", rows), file.path(OUT, "pca-gpa.csv"))
rows <- c()
for (n in nodes) { w <- nsb(as.matrix(vals[kids(n)])); rows <- c(rows, paste(n, kids(n), num(w), sep = ",")) }
writeLines(c("node,child,weight", rows), file.path(OUT, "pca.csv"))

# --- BoD by lpSolve: max w.y0 s.t. w.y_j <= 1, w >= 0; optionally 0.05 <= share <= 0.5
bod <- function(X, lo = NULL, hi = NULL) {
  ok <- complete.cases(X); Y <- X[ok, , drop = FALSE]; m <- ncol(X)
  sapply(seq_len(nrow(X)), function(i) {
    if (!ok[i]) return(NA)
    y0 <- X[i, ]; A <- Y; dir <- rep("<=", nrow(Y)); rhs <- rep(1, nrow(Y))
    if (!is.null(lo)) for (k in 1:m) {
      e <- rep(0, m); e[k] <- y0[k]
      A <- rbind(A, e - hi * y0, lo * y0 - e); dir <- c(dir, "<=", "<="); rhs <- c(rhs, 0, 0)
    }
    lp("max", y0, A, dir, rhs)$objval
  })
}
rows <- c()
for (n in nodes) {
  X <- as.matrix(vals[kids(n)])
  rows <- c(rows, paste("none", n, idata$uCode, num(bod(X)), sep = ","),
            paste("shares", n, idata$uCode, num(bod(X, 0.05, 0.5)), sep = ","))
}
writeLines(c("restriction,node,unit,score", gsub("NA$", "", rows)), file.path(OUT, "bod.csv"))

# --- Cronbach's alpha: COINr 1.1.14 get_cronbach's own formula, and complete cases
cron <- function(X, use) {
  k <- ncol(X); cv <- stats::cov(X, use = use); sigall <- sum(cv, na.rm = TRUE)
  sigav <- (sigall - sum(diag(cv), na.rm = TRUE)) / (k * (k - 1)); (k^2 * sigav) / sigall
}
rows <- sapply(nodes, function(n) { X <- as.matrix(vals[kids(n)])
  paste(n, num(cron(X, "complete.obs")), num(cron(X, "pairwise.complete.obs")), sep = ",") })
writeLines(c("node,alpha_complete,alpha_pairwise", rows), file.path(OUT, "alpha.csv"))

# --- correlations with external indicators
ext <- list(GDP = idata$GDP, Population = idata$Population, GDPpc = idata$GDP / idata$Population * 1e6)
rows <- c()
for (n in nodes) for (e in names(ext)) {
  ok <- !is.na(vals[[n]]) & !is.na(ext[[e]])
  rows <- c(rows, paste(n, e, sum(ok), num(cor(vals[[n]][ok], ext[[e]][ok])),
                        num(cor(vals[[n]][ok], ext[[e]][ok], method = "spearman")), sep = ","))
}
writeLines(c("node,external,n,pearson,spearman", rows), file.path(OUT, "external.csv"))

# --- regression imputation: lm of the target on the declared predictors
reg <- list(Flights = c("LPI", "Ship"), ConSpeed = c("Cov4G", "LPI"), Renew = c("PrimEner", "CO2"))
rows <- c()
for (t in names(reg)) {
  d <- idata[c(t, reg[[t]])]
  fit <- lm(as.formula(paste(t, "~", paste(reg[[t]], collapse = "+"))), data = d)
  miss <- is.na(d[[t]]) & complete.cases(d[reg[[t]]])
  if (any(miss)) rows <- c(rows, paste(idata$uCode[miss], t, num(predict(fit, d[miss, ])), sep = ","))
}
writeLines(c("unit,indicator,value", rows), file.path(OUT, "regression.csv"))

# --- MPI (paper: population sd in both steps; "sample": n − 1 in both, as Compind's
# normalise_ci(method = 1, z.mean = 100, z.std = 10) followed by ci_mpi), written here from the
# formulas, for the nodes whose children are complete
mpi <- function(X, ddof) {
  sdp <- function(x) sqrt(sum((x - mean(x))^2) / (length(x) - ddof))
  Z <- apply(X, 2, function(x) 100 + 10 * (x - mean(x)) / sdp(x))
  M <- rowMeans(Z); S <- apply(Z, 1, sdp)
  M - S^2 / M
}
rows <- c()
for (n in nodes) {
  X <- as.matrix(vals[kids(n)])
  if (anyNA(X)) next
  rows <- c(rows, paste("paper", n, idata$uCode, num(mpi(X, 0)), sep = ","),
            paste("sample", n, idata$uCode, num(mpi(X, 1)), sep = ","))
}
writeLines(c("variant,node,unit,score", rows), file.path(OUT, "mpi.csv"))

# --- Copeland as COINr documents a_copeland: row sums of sign(e_jk − 1/2), complete nodes
rows <- c()
for (n in nodes) {
  X <- as.matrix(vals[kids(n)])
  if (anyNA(X)) next
  m <- ncol(X)
  sc <- sapply(seq_len(nrow(X)), function(j) sum(sapply(seq_len(nrow(X)), function(k) {
    if (j == k) return(0)
    e <- (sum(X[j, ] > X[k, ]) + sum(X[j, ] == X[k, ]) / 2) / m
    sign(e - 0.5)
  })))
  rows <- c(rows, paste(n, idata$uCode, num(sc), sep = ","))
}
writeLines(c("node,unit,coinr", rows), file.path(OUT, "copeland.csv"))

# --- influence: each indicator and node below the index at weight 0, the index re-aggregated
# (arithmetic mean over the children present), ranks with ties "min"
index_without <- function(drop) {
  v <- as.data.frame(norm)
  for (lev in sort(unique(agg$Level))) for (a in agg$iCode[agg$Level == lev]) {
    k <- setdiff(kids(a), drop)
    v[[a]] <- if (length(k) == 0) NA else
      apply(as.matrix(v[k]), 1, function(r) if (all(is.na(r))) NA else mean(r, na.rm = TRUE))
  }
  v$Index
}
r0 <- rank(-vals$Index, ties.method = "min")
rows <- c()
for (code in c(ind$iCode, agg$iCode[agg$iCode != "Index"])) {
  s <- index_without(code)
  ch <- r0 - rank(-s, ties.method = "min", na.last = "keep")
  rows <- c(rows, paste(code, sum(!is.na(ch)), num(mean(abs(ch), na.rm = TRUE)), num(max(abs(ch), na.rm = TRUE)), sep = ","))
}
writeLines(c("removed,n,mean_abs_rank_change,max_abs_rank_change", rows), file.path(OUT, "influence.csv"))

# --- entropy and CRITIC weights, from the formulas, on the nominal children (complete cases)
rows <- c()
for (n in nodes) {
  X <- na.omit(as.matrix(vals[kids(n)]))
  P <- sweep(X, 2, colSums(X), "/")
  e <- -colSums(ifelse(P > 0, P * log(P), 0)) / log(nrow(X))
  we <- (1 - e) / sum(1 - e)
  Z <- apply(X, 2, function(x) (x - min(x)) / (max(x) - min(x)))
  C <- apply(Z, 2, sd) * colSums(1 - cor(Z))
  rows <- c(rows, paste("entropy", n, kids(n), num(we), sep = ","), paste("critic", n, kids(n), num(C / sum(C)), sep = ","))
}
writeLines(c("method,node,child,weight", rows), file.path(OUT, "entropy-critic.csv"))

# --- AMPI on the panel (ASEM_iData_p.csv, min-max pooled over the years), reference = the
# 2018 means, goalposts pooled over every year, population sd
pdata <- read.csv(file.path(DATA, "ASEM_iData_p.csv"))
pv <- as.data.frame(sapply(ind$iCode, function(c) {
  x <- ind$Direction[ind$iCode == c] * pdata[[c]]
  (x - min(x, na.rm = TRUE)) / (max(x, na.rm = TRUE) - min(x, na.rm = TRUE)) * 100
}))
for (lev in sort(unique(agg$Level))) for (a in agg$iCode[agg$Level == lev]) {
  X <- as.matrix(pv[kids(a)])
  pv[[a]] <- apply(X, 1, function(r) if (all(is.na(r))) NA else mean(r, na.rm = TRUE))
}
rows <- c()
for (n in nodes) {
  X <- as.matrix(pv[kids(n)])
  ref <- colMeans(X[pdata$Time == min(pdata$Time), , drop = FALSE], na.rm = TRUE)
  delta <- (apply(X, 2, max, na.rm = TRUE) - apply(X, 2, min, na.rm = TRUE)) / 2
  R <- sweep(sweep(X, 2, ref, "-"), 2, delta, "/") * 30 + 100
  sc <- apply(R, 1, function(r) { r <- r[!is.na(r)]; M <- mean(r); S <- sqrt(mean((r - M)^2)); M - S^2 / M })
  rows <- c(rows, paste(pdata$Time, n, pdata$uCode, num(sc), sep = ","))
}
writeLines(c("year,node,unit,score", rows), file.path(OUT, "ampi.csv"))

# --- the Handbook's TAI example (23 countries), four factors, to tight convergence
tai <- read.csv(file.path(EXP, "hand", "tai-input.csv"))
w <- nsb(as.matrix(tai[-1]), k = 4)
writeLines(c("child,weight", paste(names(tai)[-1], num(w), sep = ",")), file.path(OUT, "tai-weights.csv"))
cat("R", R.version$major, R.version$minor, "psych", as.character(packageVersion("psych")),
    "lpSolve", as.character(packageVersion("lpSolve")), "\n")
