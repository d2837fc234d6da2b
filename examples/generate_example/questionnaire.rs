//! The questionnaire answers of `generate_example`: each unit's pool of respondents, who
//! answers in which year, and how (see the module documentation of `generate_example.rs`).

use super::*;

/// One local expert of a unit's panel.
struct Respondent {
    id: String,
    /// Added to every answer, in points of the 0-10 scale.
    bias: f64,
    /// The standard deviation of the respondent's answers around latent + bias (0-10 scale).
    noise: f64,
    dont_know: f64,
    /// The respondent's usual confidence; `None`: never states one.
    confidence: Option<f64>,
}

/// How a unit's panel is drawn: its usual size (one more or one fewer answer in a given
/// year, within `sizes`), the pool it comes from, the spread of the respondents' biases and
/// their noise (0-10 scale), and the range of "don't know" rates.
struct Plan {
    usual: usize,
    sizes: std::ops::RangeInclusive<usize>,
    pool: usize,
    bias: f64,
    noise: f64,
    dont_know: std::ops::Range<f64>,
}

fn plan(rng: &mut ChaCha8Rng, unit: usize) -> Plan {
    match unit {
        CONSISTENT => {
            Plan { usual: 14, sizes: 13..=15, pool: 16, bias: 0.2, noise: 0.5, dont_know: 0.01..0.04 }
        }
        DISCORDANT => Plan { usual: 3, sizes: 3..=3, pool: 3, bias: 1.2, noise: 1.4, dont_know: 0.02..0.06 },
        _ => {
            let usual = rng.random_range(PANEL);
            Plan { usual, sizes: PANEL, pool: usual + 2, bias: 0.5, noise: 0.9, dont_know: 0.02..0.12 }
        }
    }
}

fn panel(rng: &mut ChaCha8Rng, unit: &Unit, discordant: bool, plan: &Plan) -> Vec<Respondent> {
    (1..=plan.pool)
        .map(|k| Respondent {
            id: format!("{}-E{k:02}", unit.code),
            // The discordant panel's biases are set apart on purpose: −1.2, 0, +1.2.
            bias: if discordant { plan.bias * (k as f64 - 2.0) } else { normal(rng, plan.bias) },
            noise: plan.noise,
            dont_know: rng.random_range(plan.dont_know.clone()),
            confidence: rng.random_bool(0.85).then(|| rng.random_range(0.5..1.0)),
        })
        .collect()
}

/// How many of the panel answer in year index `y`.
fn panel_size(rng: &mut ChaCha8Rng, u: usize, y: usize, plan: &Plan) -> usize {
    let (lo, hi) = (*plan.sizes.start() as i64, *plan.sizes.end() as i64);
    let n = (plan.usual as i64 + rng.random_range(-1..=1)).clamp(lo, hi) as usize;
    if (u, y) == PAIR { 2 } else { n }
}

/// How one respondent answers one item: as the others do (`complete`: never "don't know",
/// never skipped), straight-lining, or against them.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Honest,
    Complete,
    Straight,
    Contrary,
}

/// A numeric answer (whole number 0-10) or a code, from latent `x` (0-10).
fn answer(rng: &mut ChaCha8Rng, code: &str, x: f64, r: &Respondent, style: Style) -> String {
    let coded = CODED.contains(&code);
    let x = if style == Style::Contrary { 10.0 - x } else { x };
    match (style, coded) {
        (Style::Straight, true) => "partially".into(),
        (Style::Straight, false) => "5".into(),
        (_, false) => fixed((x + r.bias + normal(rng, r.noise)).round().clamp(0.0, 10.0), 0),
        (_, true) => match (x + r.bias + normal(rng, r.noise * 1.3)) / 10.0 {
            s if s >= 0.67 => "yes".into(),
            s if s >= 0.33 => "partially".into(),
            _ => "no".into(),
        },
    }
}

/// The response and confidence cells of one respondent for one item.
fn cells(rng: &mut ChaCha8Rng, r: &Respondent, code: &str, x: f64, dk: f64, style: Style) -> [String; 2] {
    if style == Style::Honest && rng.random_bool(0.01) {
        return [String::new(), String::new()];
    }
    if style == Style::Honest && rng.random_bool(dk) {
        return ["don't know".into(), String::new()];
    }
    let confidence = match (style, r.confidence) {
        (Style::Straight, _) => "1".to_string(),
        (_, Some(c)) => fixed((c + normal(rng, 0.08)).clamp(0.1, 1.0), 1),
        (_, None) => String::new(),
    };
    [answer(rng, code, x, r, style), confidence]
}

fn style(u: usize, y: usize, k: usize, n: usize) -> Style {
    match (u, y) {
        p if p == STRAIGHT_LINER && k == 0 => Style::Straight,
        p if p == CONTRARIAN && k + 1 == n => Style::Contrary,
        p if p == PAIR => Style::Complete,
        _ => Style::Honest,
    }
}

/// Every answer of every respondent: unit, year, respondent, item (gti.toml order).
pub(super) fn response_rows(
    rng: &mut ChaCha8Rng,
    units: &[Unit],
    truth: &Grid,
    scarce: &Grid,
) -> Vec<Vec<String>> {
    let mut rows = vec![strings(&["unit", "year", "respondent", "item", "response", "confidence"])];
    for (u, unit) in units.iter().enumerate() {
        let plan = plan(rng, u);
        let pool = panel(rng, unit, u == DISCORDANT, &plan);
        for (y, year) in YEARS.iter().enumerate() {
            let n = panel_size(rng, u, y, &plan);
            let mut chosen: Vec<&Respondent> = pool.sample(rng, n).collect();
            chosen.sort_by(|a, b| a.id.cmp(&b.id));
            for (k, r) in chosen.iter().enumerate() {
                let style = style(u, y, k, n);
                for (i, &(code, _)) in EXPERT.iter().enumerate() {
                    let x = truth[u][i][y].expect("the latent grid is complete");
                    let hard = if HARD.contains(&code) { 2.0 } else { 1.0 };
                    let dk = match (unknown(u, code, y), scarce[u][i][y]) {
                        (true, _) => 1.0,
                        (false, None) => 0.6,
                        (false, Some(_)) => r.dont_know * hard,
                    };
                    let [response, confidence] = cells(rng, r, code, x, dk, style);
                    let key = [unit.code.clone(), year.to_string(), r.id.clone(), code.into()];
                    rows.push(key.into_iter().chain([response, confidence]).collect());
                }
            }
        }
    }
    rows
}
