//! Weights of a node's children fitted from the data (`weights = { method = … }`), once, on
//! the fit sample (the complete cases of `fit_year`, or of every year), then held fixed for
//! every year as declared weights are. With X the n × m matrix of the fit sample:
//!
//! - `pca` (alias `factor`; Nicoletti, Scarpetta & Boylaud 2000; OECD/JRC Handbook §6.1): R
//!   the correlation matrix of X, eigenvalues λ₁ ≥ … ≥ λₘ with unit eigenvectors vⱼ; k
//!   factors = max(#{λ > `min_eigenvalue`}, the smallest k with Σⱼ≤ₖ λⱼ/m ≥
//!   `min_cumulative`), or `factors`; loadings L = [vⱼ√λⱼ], varimax-rotated when k ≥ 2
//!   (`crate::stats::varimax`, to a rotation moving by less than 1e-12); Vⱼ = Σᵢ Lᵢⱼ²
//!   (factors sorted by it), sᵢⱼ = Lᵢⱼ²/Vⱼ; child i belongs to j* = argmaxⱼ sᵢⱼ and
//!   wᵢ ∝ (V_j*/ΣV) · s_ij*.
//! - `entropy` (Hwang & Yoon 1981; Zeleny 1982): pᵢⱼ = xᵢⱼ/Σᵢxᵢⱼ, eⱼ = −Σᵢ pᵢⱼ ln pᵢⱼ / ln n,
//!   wⱼ ∝ 1 − eⱼ. Values must be ≥ 0.
//! - `critic` (Diakoulaki, Mavrotas & Papayannakis 1995): zⱼ = X's column j min-max scaled
//!   to [0, 1], σⱼ its sd, rⱼₖ the correlations, wⱼ ∝ σⱼ Σₖ (1 − rⱼₖ).
//! - `optimised` (Becker, Saisana, Paruolo & Vandecasteele 2017; COINr `get_opt_weights`):
//!   minimise f(w) = (1/m) Σᵢ (tᵢ − ρᵢ(w)/Σₖρₖ(w))² over w ≥ 0, ρᵢ the correlation of child i
//!   with the node's own mean of the children under w, tᵢ the target shares; Nelder–Mead
//!   (argmin) on w = v², restarted until it stops improving, from equal and declared weights.
//!
//! A child declared with weight 0 keeps 0; a child constant over the fit sample gets 0.

use super::combine;
use crate::codes::Year;
use crate::error::PipelineError;
use crate::log::Finding;
use crate::methodology::{Methodology, WeightMethod};
use crate::stats::{correlation_matrix, eigen::symmetric_eigen, pearson, sd, varimax::varimax};
use crate::table::Panel;

/// A node's fitted weights, for the outputs (`weights.csv`, the manifest) and `freeze`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Element id of the node.
    pub node: usize,
    pub method: &'static str,
    pub fit_year: Option<Year>,
    /// Unit-years in the fit sample (complete cases).
    pub cases: usize,
    /// Every child, in framework order: (element id, declared weight, fitted weight).
    pub children: Vec<(usize, f64, f64)>,
    /// `optimised`: the objective f at the weights found.
    pub objective: Option<f64>,
}

/// The complete cases of a node's weighted children over the fit sample.
struct Sample {
    /// Rows: unit-years; columns: the children with weight > 0.
    x: Vec<Vec<f64>>,
    /// (year, unit) of each row, for messages.
    at: Vec<(usize, usize)>,
}

/// Fits the weights of `node`'s children on `p` (children already scored).
///
/// # Errors
/// `fit_year` without data, fewer than 3 complete cases, no non-constant child, a negative
/// value under `entropy`, an optimiser or rotation that does not settle.
pub fn fit(node: usize, m: &Methodology, p: &Panel, log: &mut Vec<Finding>) -> Result<Fitted, PipelineError> {
    let fw = &m.framework;
    let e = &fw.elements[node];
    let spec = e.node().expect("a node");
    let w = &spec.weights;
    let err = |message: String| PipelineError {
        stage: "weights",
        unit: "(all units)".into(),
        year: w.fit_year.unwrap_or_else(|| p.years.first().copied().unwrap_or(0)),
        code: e.code.to_string(),
        message,
    };
    let kids: Vec<usize> = e.children.iter().copied().filter(|&k| fw.elements[k].weight > 0.0).collect();
    let years: Vec<usize> = match w.fit_year {
        Some(fy) => vec![
            p.years
                .iter()
                .position(|&y| y == fy)
                .ok_or_else(|| err(format!("the fit year {fy} has no data")))?,
        ],
        None => (0..p.years.len()).collect(),
    };
    let (sample, left_out) = complete_cases(p, &kids, &years);
    let cases = sample.x.len();
    if left_out > 0 {
        log.push(Finding::WeightsIncomplete { node: e.code.to_string(), left_out, cases });
    }
    let mut fitted = vec![0.0; kids.len()];
    let mut objective = None;
    if kids.len() == 1 {
        fitted[0] = 1.0;
    } else {
        let name = w.method.name();
        if cases < 3 {
            return Err(err(format!("{cases} complete case(s) in the fit sample; {name} needs at least 3")));
        }
        let varying: Vec<usize> = (0..kids.len()).filter(|&j| !constant(&sample.x, j)).collect();
        for j in (0..kids.len()).filter(|j| !varying.contains(j)) {
            log.push(Finding::WeightsConstant {
                node: e.code.to_string(),
                child: fw.elements[kids[j]].code.to_string(),
            });
        }
        let x: Vec<Vec<f64>> = sample.x.iter().map(|r| varying.iter().map(|&j| r[j]).collect()).collect();
        let sub: Vec<usize> = varying.iter().map(|&j| kids[j]).collect();
        let w_sub = match varying.len() {
            0 => {
                return Err(err(
                    "every child is constant over the fit sample: no weights can be fitted".into()
                ));
            }
            1 => vec![1.0],
            _ => {
                let (w, f) =
                    by_method(&w.method, &x, &sample.at, &sub, m, node, log).map_err(|(msg, at)| {
                        let mut e = err(msg);
                        if let Some((y, u)) = at {
                            (e.unit, e.year) = (p.units[u].to_string(), p.years[y]);
                        }
                        e
                    })?;
                objective = f;
                w
            }
        };
        for (j, wj) in varying.iter().zip(w_sub) {
            fitted[*j] = wj;
        }
    }
    let replaced: Vec<(String, f64)> = kids
        .iter()
        .map(|&k| &fw.elements[k])
        .filter(|c| c.weight != 1.0)
        .map(|c| (c.code.to_string(), c.weight))
        .collect();
    if !replaced.is_empty() {
        log.push(Finding::WeightsReplaced {
            node: e.code.to_string(),
            method: w.method.name(),
            declared: replaced,
        });
    }
    let children = e
        .children
        .iter()
        .map(|&c| (c, fw.elements[c].weight, kids.iter().position(|&k| k == c).map_or(0.0, |j| fitted[j])))
        .collect();
    Ok(Fitted { node, method: w.method.name(), fit_year: w.fit_year, cases, children, objective })
}

/// The rows of `years` where every one of `kids` is present, and how many unit-years had
/// some but not all of them.
fn complete_cases(p: &Panel, kids: &[usize], years: &[usize]) -> (Sample, usize) {
    let mut s = Sample { x: Vec::new(), at: Vec::new() };
    let mut left_out = 0;
    for &y in years {
        for u in 0..p.units.len() {
            let row: Vec<f64> = kids.iter().map(|&k| p.get(y, k, u)).collect();
            let present = row.iter().filter(|v| !v.is_nan()).count();
            if present == row.len() {
                s.x.push(row);
                s.at.push((y, u));
            } else if present > 0 {
                left_out += 1;
            }
        }
    }
    (s, left_out)
}

fn constant(x: &[Vec<f64>], j: usize) -> bool {
    x.iter().all(|r| r[j] == x[0][j])
}

fn column(x: &[Vec<f64>], j: usize) -> Vec<f64> {
    x.iter().map(|r| r[j]).collect()
}

/// An error message and, when one unit-year is at fault, which.
type FitError = (String, Option<(usize, usize)>);

fn by_method(
    method: &WeightMethod,
    x: &[Vec<f64>],
    at: &[(usize, usize)],
    kids: &[usize],
    m: &Methodology,
    node: usize,
    log: &mut Vec<Finding>,
) -> Result<(Vec<f64>, Option<f64>), FitError> {
    let plain = |w: Result<Vec<f64>, String>| w.map(|w| (w, None)).map_err(|e| (e, None));
    match method {
        WeightMethod::Declared => unreachable!("declared weights are not fitted"),
        WeightMethod::Pca { factors, min_eigenvalue, min_cumulative } => {
            plain(pca(x, *factors, *min_eigenvalue, *min_cumulative))
        }
        WeightMethod::Entropy => entropy(x, at, kids, m).map(|w| (w, None)),
        WeightMethod::Critic => plain(critic(x)),
        WeightMethod::Optimised { targets } => {
            let fw = &m.framework;
            let t: Vec<f64> = kids
                .iter()
                .map(|&k| targets.iter().find(|(c, _)| *c == fw.elements[k].code).map_or(1.0, |p| p.1))
                .collect();
            let declared: Vec<f64> = kids.iter().map(|&k| fw.elements[k].weight).collect();
            let spec = fw.elements[node].node().expect("a node");
            let o = super::optimise::optimise(x, &t, &declared, &spec.aggregate).map_err(|e| (e, None))?;
            let code = fw.elements[node].code.to_string();
            for (j, r) in o.correlations.iter().enumerate().filter(|(_, r)| **r <= 0.0) {
                let child = fw.elements[kids[j]].code.to_string();
                log.push(Finding::Optimised {
                    node: code.clone(),
                    note: format!("child '{child}' is negatively correlated with '{code}' ({r:.3})"),
                });
            }
            if o.objective > 1e-6 {
                log.push(Finding::Optimised {
                    node: code,
                    note: format!(
                        "the targets are not reached: the best compromise leaves f = {:e}",
                        o.objective
                    ),
                });
            }
            Ok((o.weights, Some(o.objective)))
        }
    }
}

/// Nicoletti et al. (2000): see the module docs.
pub fn pca(
    x: &[Vec<f64>],
    factors: Option<usize>,
    min_eigenvalue: f64,
    min_cumulative: f64,
) -> Result<Vec<f64>, String> {
    let m = x[0].len();
    let cols: Vec<Vec<f64>> = (0..m).map(|j| column(x, j)).collect();
    let eig = symmetric_eigen(&correlation_matrix(&cols));
    let k = factors.unwrap_or_else(|| retained(&eig.values, min_eigenvalue, min_cumulative)).min(m);
    let loadings: Vec<Vec<f64>> =
        (0..m).map(|i| (0..k).map(|j| eig.vectors[j][i] * eig.values[j].max(0.0).sqrt()).collect()).collect();
    let (rotated, _) = varimax(&loadings, 1e-12, 1000)
        .ok_or("the varimax rotation did not settle within 1000 iterations (or is not unique)")?;
    let mut explained: Vec<(usize, f64)> =
        (0..k).map(|j| (j, rotated.iter().map(|r| r[j] * r[j]).sum::<f64>())).collect();
    explained.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = explained.iter().map(|e| e.1).sum();
    let raw: Vec<f64> = rotated
        .iter()
        .map(|r| {
            // The child's factor: the largest scaled squared loading, the first on a tie.
            let (mut best, mut share) = (0, f64::NEG_INFINITY);
            for (pos, &(j, v)) in explained.iter().enumerate() {
                let s = r[j] * r[j] / v;
                if s > share {
                    (best, share) = (pos, s);
                }
            }
            explained[best].1 / total * share
        })
        .collect();
    let sum: f64 = raw.iter().sum();
    Ok(raw.iter().map(|r| r / sum).collect())
}

/// max(#{λ > min_eigenvalue}, the smallest k with cumulative share ≥ min_cumulative), ≥ 1.
fn retained(values: &[f64], min_eigenvalue: f64, min_cumulative: f64) -> usize {
    let m = values.len() as f64;
    let by_value = values.iter().filter(|&&l| l > min_eigenvalue).count();
    let mut cum = 0.0;
    let mut by_share = values.len();
    for (i, l) in values.iter().enumerate() {
        cum += l / m;
        if cum >= min_cumulative - 1e-12 {
            by_share = i + 1;
            break;
        }
    }
    by_value.max(by_share).max(1)
}

/// Entropy weights; a negative value is an error naming its unit-year.
fn entropy(
    x: &[Vec<f64>],
    at: &[(usize, usize)],
    kids: &[usize],
    m: &Methodology,
) -> Result<Vec<f64>, FitError> {
    let n = x.len() as f64;
    let mut d = Vec::with_capacity(x[0].len());
    for j in 0..x[0].len() {
        if let Some(i) = x.iter().position(|r| r[j] < 0.0) {
            let child = &m.framework.elements[kids[j]].code;
            return Err((
                format!(
                    "entropy weights need values >= 0 (child {child}: {}); use a normalisation with a non-negative range",
                    x[i][j]
                ),
                Some(at[i]),
            ));
        }
        let total: f64 = x.iter().map(|r| r[j]).sum();
        let e =
            -x.iter().map(|r| r[j] / total).filter(|&p| p > 0.0).map(|p| p * p.ln()).sum::<f64>() / n.ln();
        d.push(1.0 - e);
    }
    let sum: f64 = d.iter().sum();
    Ok(d.iter().map(|v| v / sum).collect())
}

/// CRITIC weights.
fn critic(x: &[Vec<f64>]) -> Result<Vec<f64>, String> {
    let m = x[0].len();
    let z: Vec<Vec<f64>> = (0..m)
        .map(|j| {
            let col = column(x, j);
            let (lo, hi) =
                col.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            col.iter().map(|v| (v - lo) / (hi - lo)).collect()
        })
        .collect();
    let r = correlation_matrix(&z);
    let c: Vec<f64> = (0..m).map(|j| sd(&z[j]) * r[j].iter().map(|rjk| 1.0 - rjk).sum::<f64>()).collect();
    let sum: f64 = c.iter().sum();
    if sum.is_nan() || sum <= 0.0 {
        return Err("critic: the children are identical up to scale (every contrast × conflict is 0)".into());
    }
    Ok(c.iter().map(|v| v / sum).collect())
}

/// Pearson correlation of each column of `x` with `y`.
pub fn correlations(x: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    (0..x[0].len()).map(|j| pearson(&column(x, j), y)).collect()
}

/// The node's scores of the fit sample's rows under weights `w`.
pub fn scores(x: &[Vec<f64>], w: &[f64], method: &crate::methodology::Aggregate) -> Vec<f64> {
    let total: f64 = w.iter().sum();
    let mut pairs = Vec::with_capacity(w.len());
    x.iter()
        .map(|r| {
            pairs.clear();
            pairs.extend(r.iter().zip(w).filter(|(_, w)| **w > 0.0).map(|(x, w)| (*x, *w)));
            combine(method, &pairs, total).unwrap_or(f64::NAN)
        })
        .collect()
}
