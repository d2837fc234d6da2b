//! Generates the example data in `indicators/` for the illustrative GTI methodology
//! (`methodology/gti.toml`): `units.csv`, `statistical.csv` (long) and
//! `expert_responses.csv` (raw questionnaire answers, one row per respondent and item), for 26
//! FICTIONAL units (codes XAA-XAZ, invented names, five invented regions) over 2022-2024. No
//! value describes any real country; nothing here is OMCT data, and no respondent is a person.
//!
//! Each unit has a latent quality level (regional effect plus unit noise) that drives all of
//! its indicators; a few units improve or deteriorate clearly over the years. Some values are
//! deliberately missing (empty or `NA`), and unit XAZ is too sparse in pillar P5 in
//! 2023-2024 to meet the methodology's minimum coverage.
//!
//! Questionnaires: each unit has a panel of local experts, 3 to 8 of whom answer each year.
//! A respondent answers an item with the latent value plus a personal bias and noise: a whole
//! number 0-10, or `yes` / `partially` / `no` for the items in [`CODED`]. Each respondent has a
//! "don't know" rate of 2-12 % (doubled on the items in [`HARD`], 60 % where information is
//! scarce in a unit and year), about 1 % of cells are left empty, and most respondents state
//! a confidence (0.1-1.0). One respondent straight-lines and one contradicts the others, for
//! `gti validate`'s consistency checks.
//!
//! Output is deterministic (byte-identical across runs): the default seed is 20250625, and
//! `--seed N` picks another. Regenerate the committed files, from the crate root, with:
//!
//! ```text
//! cargo run --locked --example generate_example -- indicators/
//! ```
//!
//! `indicators/README.md` (written by hand) describes the files and their deliberate features.

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{LogNormal, StandardNormal};
use std::error::Error;
use std::path::{Path, PathBuf};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const DEFAULT_SEED: u64 = 20250625;
const YEARS: [i32; 3] = [2022, 2023, 2024];
/// Index of XAZ, the unit that is too sparse in pillar P5.
const SPARSE_UNIT: usize = 25;

/// Invented regions: name, quality effect (0 = worst, 1 = best), number of units.
const REGIONS: [(&str, f64, usize); 5] = [
    ("Northern Reach", 0.80, 6),
    ("Western Isles", 0.64, 5),
    ("Eastern Shore", 0.50, 5),
    ("Southern Marches", 0.36, 5),
    ("Central Plateau", 0.22, 5),
];

/// Invented unit names, one per code XAA..XAZ (none is a real country).
#[rustfmt::skip]
const NAMES: [&str; 26] = [
    "Aldoria", "Brevania", "Calmora", "Dunmarch", "Elvaria", "Feldmarra", "Galvenor",
    "Harrowmere", "Istrelia", "Jorvath", "Kestrelia", "Lumora", "Marrowind", "Norvane",
    "Ostravel", "Pellucia", "Quillaria", "Rhosvany", "Sarvonne", "Torvalin", "Ulmaren",
    "Valdessa", "Wrenmoor", "Xanthera", "Yselmark", "Zephyria",
];

/// A statistical indicator: its range, whether higher is better, the curvature `power` of
/// the quality-to-value map (above 1 skews values right), the log-normal noise, the
/// decimals written and how many units lack it in every year.
struct Stat {
    code: &'static str,
    lo: f64,
    hi: f64,
    higher_better: bool,
    power: f64,
    sigma: f64,
    decimals: usize,
    dropout: usize,
}

const fn stat(code: &'static str, range: (f64, f64), up: bool, shape: (f64, f64)) -> Stat {
    let (lo, hi) = range;
    let (power, sigma) = shape;
    Stat { code, lo, hi, higher_better: up, power, sigma, decimals: 2, dropout: 0 }
}

const fn with(s: Stat, decimals: usize, dropout: usize) -> Stat {
    Stat { decimals, dropout, ..s }
}

/// Statistical indicators in `gti.toml` order.
#[rustfmt::skip]
const STATS: [Stat; 10] = [
    //        code                    range          up     (power, sigma) decimals, dropout
    with(stat("P1_ratification",      (0.0, 3.0),    true,  (1.0, 0.0)),  0, 0),
    with(stat("P1_cat_overdue",       (0.0, 12.0),   false, (1.6, 0.0)),  0, 1),
    with(stat("P2_police_killings",   (0.0, 8.0),    false, (2.5, 0.35)), 2, 1),
    with(stat("P3_occupancy",         (60.0, 250.0), false, (1.3, 0.05)), 1, 0),
    with(stat("P3_pretrial",          (10.0, 75.0),  false, (1.0, 0.05)), 1, 0),
    with(stat("P3_deaths_custody",    (0.0, 40.0),   false, (2.0, 0.25)), 2, 4),
    with(stat("P4_prosecution_rate",  (0.0, 60.0),   true,  (1.5, 0.1)),  1, 3),
    with(stat("P5_compensation_paid", (0.0, 100.0),  true,  (1.0, 0.05)), 1, 2),
    with(stat("P6_child_detention",   (0.0, 120.0),  false, (1.8, 0.2)),  1, 2),
    with(stat("P7_hrd_attacks",       (0.0, 30.0),   false, (2.5, 0.35)), 2, 1),
];

/// Expert indicators (questionnaire items) in `gti.toml` order.
#[rustfmt::skip]
const EXPERT: [&str; 18] = [
    "P1_criminalisation", "P1_npm", "P2_excessive_force", "P2_protest_policing",
    "P2_custody_safeguards", "P3_monitoring_access", "P3_conditions", "P4_investigations",
    "P4_judicial_independence", "P4_no_amnesty", "P5_redress", "P5_rehabilitation",
    "P6_non_refoulement", "P6_minorities", "P6_gbv", "P7_civic_space", "P7_ngo_registration",
    "P7_no_reprisals",
];

/// Items answered `yes` / `partially` / `no` (scale 0-1 in `gti.toml`); the others take a
/// whole number 0-10.
const CODED: [&str; 4] = ["P1_criminalisation", "P1_npm", "P4_no_amnesty", "P7_ngo_registration"];
/// Items on which local experts more often lack information ("don't know" twice as often).
const HARD: [&str; 4] = ["P3_monitoring_access", "P4_investigations", "P5_rehabilitation", "P6_gbv"];
/// Respondents answering in a unit and year.
const PANEL: std::ops::RangeInclusive<usize> = 3..=8;
/// (unit, year index) where one respondent answers 5 / `partially` to every item.
const STRAIGHT_LINER: (usize, usize) = (2, 1);
/// (unit, year index) where one respondent answers against the others (10 − x, yes ↔ no).
const CONTRARIAN: (usize, usize) = (3, 2);

/// Share of statistical cells (beyond whole-series gaps) left missing, and of expert
/// (unit, item, year) cells where information is scarce.
const STAT_GAPS: f64 = 0.05;
const EXPERT_GAPS: f64 = 0.045;

/// One fictional unit and its latent quality path.
struct Unit {
    code: String,
    name: &'static str,
    region: usize,
    income: &'static str,
    base: f64,
    slope: f64,
}

impl Unit {
    /// Latent quality in year index `y` (0 = worst, 1 = best).
    fn quality(&self, y: usize) -> f64 {
        (self.base + self.slope * y as f64).clamp(0.02, 0.98)
    }
}

/// Values by unit, indicator and year; `None` is missing.
type Grid = Vec<Vec<[Option<f64>; 3]>>;

fn normal(rng: &mut ChaCha8Rng, sd: f64) -> f64 {
    let z: f64 = rng.sample(StandardNormal);
    sd * z
}

fn region_of(index: usize) -> usize {
    let mut end = 0;
    for (r, &(_, _, size)) in REGIONS.iter().enumerate() {
        end += size;
        if index < end {
            return r;
        }
    }
    unreachable!("the regions hold all 26 units")
}

fn income_group(rng: &mut ChaCha8Rng, base: f64) -> &'static str {
    match base + normal(rng, 0.08) {
        x if x > 0.62 => "high",
        x if x > 0.38 => "middle",
        _ => "low",
    }
}

fn make_units(rng: &mut ChaCha8Rng) -> Vec<Unit> {
    let mut units: Vec<Unit> = (0..NAMES.len()).map(|i| make_unit(rng, i)).collect();
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.shuffle(rng);
    for (k, &u) in order.iter().take(8).enumerate() {
        let size = rng.random_range(0.06..0.09);
        units[u].slope = if k < 4 { size } else { -size };
    }
    units
}

fn make_unit(rng: &mut ChaCha8Rng, i: usize) -> Unit {
    let region = region_of(i);
    let base = (REGIONS[region].1 + normal(rng, 0.11)).clamp(0.05, 0.95);
    let letter = char::from(b'A' + i as u8);
    Unit {
        code: format!("XA{letter}"),
        name: NAMES[i],
        region,
        income: income_group(rng, base),
        base,
        slope: normal(rng, 0.006),
    }
}

/// Latent position of every unit on every indicator in every year: the unit's quality plus a
/// lasting indicator deviation and a small yearly wobble, in 0..1.
fn latent(rng: &mut ChaCha8Rng, units: &[Unit], count: usize) -> Grid {
    let cell = |rng: &mut ChaCha8Rng, u: &Unit| {
        let dev = normal(rng, 0.08);
        std::array::from_fn(|y| Some((u.quality(y) + dev + normal(rng, 0.01)).clamp(0.0, 1.0)))
    };
    units.iter().map(|u| (0..count).map(|_| cell(rng, u)).collect()).collect()
}

/// Maps a latent position to the indicator's scale, times a lasting log-normal factor.
fn stat_value(s: &Stat, x: f64, factor: f64) -> f64 {
    let p = if s.higher_better { x } else { 1.0 - x };
    (s.lo + (s.hi - s.lo) * p.powf(s.power) * factor).clamp(s.lo, s.hi)
}

fn statistical(rng: &mut ChaCha8Rng, units: &[Unit]) -> Grid {
    let mut grid = latent(rng, units, STATS.len());
    for row in &mut grid {
        for (s, years) in STATS.iter().zip(row.iter_mut()) {
            let factor: f64 = rng.sample(LogNormal::new(0.0, s.sigma).expect("finite sigma"));
            for v in years.iter_mut() {
                *v = v.map(|x| stat_value(s, x, factor));
            }
        }
    }
    grid
}

fn expert(rng: &mut ChaCha8Rng, units: &[Unit]) -> Grid {
    let mut grid = latent(rng, units, EXPERT.len());
    for v in grid.iter_mut().flatten().flatten() {
        *v = v.map(|x| 10.0 * x);
    }
    grid
}

/// Drops whole series: each indicator's `dropout` units report it in no year.
fn drop_series(rng: &mut ChaCha8Rng, grid: &mut Grid) {
    for (i, s) in STATS.iter().enumerate() {
        let candidates: Vec<usize> = (0..grid.len()).filter(|&u| !protected(u, s.code)).collect();
        for &u in candidates.sample(rng, s.dropout) {
            grid[u][i] = [None; 3];
        }
    }
}

/// Cells kept so that XAZ's pillar P5 still has exactly one indicator.
fn protected(unit: usize, code: &str) -> bool {
    unit == SPARSE_UNIT && code.starts_with("P5_")
}

fn drop_cells(rng: &mut ChaCha8Rng, grid: &mut Grid, codes: &[&str], share: f64) {
    for (u, row) in grid.iter_mut().enumerate() {
        for (years, code) in row.iter_mut().zip(codes) {
            for v in years.iter_mut() {
                if rng.random_bool(share) && !protected(u, code) {
                    *v = None;
                }
            }
        }
    }
}

/// Makes sure a few values of the region-imputed indicators are missing.
fn force_gaps(rng: &mut ChaCha8Rng, grid: &mut Grid) {
    for code in ["P3_occupancy", "P3_pretrial"] {
        let i = STATS.iter().position(|s| s.code == code);
        for _ in 0..2 {
            let u = rng.random_range(0..SPARSE_UNIT);
            grid[u][i.expect("known code")][rng.random_range(0..YEARS.len())] = None;
        }
    }
}

/// XAZ: nobody knows anything about rehabilitation in any year, nor about redress after
/// 2022 (every answer "don't know").
fn unknown(unit: usize, code: &str, year: usize) -> bool {
    unit == SPARSE_UNIT && (code == "P5_rehabilitation" || (code == "P5_redress" && year > 0))
}

fn fixed(v: f64, decimals: usize) -> String {
    // Adding 0.0 turns -0.0 into 0.0.
    format!("{:.*}", decimals, v + 0.0)
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn to_csv(rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row)?;
    }
    Ok(w.into_inner().map_err(|e| e.to_string())?)
}

fn units_rows(units: &[Unit]) -> Vec<Vec<String>> {
    let header = strings(&["unit", "name", "region", "income_group"]);
    let body = units.iter().map(|u| {
        let region = REGIONS[u.region].0;
        [&u.code, u.name, region, u.income].map(String::from).to_vec()
    });
    std::iter::once(header).chain(body).collect()
}
/// A rare short note: missing values are sometimes "not reported", recent ones "provisional".
fn note(rng: &mut ChaCha8Rng, missing: bool, year: i32) -> &'static str {
    match (missing, rng.random_range(0.0..1.0)) {
        (true, r) if r < 0.2 => "not reported",
        (false, r) if r < 0.02 => "estimate",
        (false, r) if year == 2024 && r < 0.10 => "provisional",
        _ => "",
    }
}

fn stat_cell(rng: &mut ChaCha8Rng, s: &Stat, v: Option<f64>) -> String {
    match v {
        Some(x) => fixed(x, s.decimals),
        None if rng.random_bool(0.3) => "NA".into(),
        None => String::new(),
    }
}

fn statistical_rows(rng: &mut ChaCha8Rng, units: &[Unit], grid: &Grid) -> Vec<Vec<String>> {
    let mut rows = vec![strings(&["unit", "year", "indicator", "value", "note"])];
    for (u, row) in units.iter().zip(grid) {
        for (y, &year) in YEARS.iter().enumerate() {
            for (s, years) in STATS.iter().zip(row) {
                let value = stat_cell(rng, s, years[y]);
                let note = note(rng, years[y].is_none(), year);
                let cells = [u.code.clone(), year.to_string(), s.code.into(), value];
                rows.push(cells.into_iter().chain([note.into()]).collect());
            }
        }
    }
    rows
}
/// One local expert of a unit's panel.
struct Respondent {
    id: String,
    /// Added to every answer, in points of the 0-10 scale.
    bias: f64,
    dont_know: f64,
    /// The respondent's usual confidence; `None`: never states one.
    confidence: Option<f64>,
}

fn panel(rng: &mut ChaCha8Rng, unit: &Unit, size: usize) -> Vec<Respondent> {
    (1..=size)
        .map(|k| Respondent {
            id: format!("{}-E{k:02}", unit.code),
            bias: normal(rng, 0.5),
            dont_know: rng.random_range(0.02..0.12),
            confidence: rng.random_bool(0.85).then(|| rng.random_range(0.5..1.0)),
        })
        .collect()
}

/// How one respondent answers one item: as the others do, straight-lining, or against them.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Honest,
    Straight,
    Contrary,
}

/// A numeric answer (whole number 0-10) or a code, from latent `x` (0-10).
fn answer(rng: &mut ChaCha8Rng, code: &str, x: f64, bias: f64, style: Style) -> String {
    let coded = CODED.contains(&code);
    let x = if style == Style::Contrary { 10.0 - x } else { x };
    match (style, coded) {
        (Style::Straight, true) => "partially".into(),
        (Style::Straight, false) => "5".into(),
        (_, false) => fixed((x + bias + normal(rng, 0.9)).round().clamp(0.0, 10.0), 0),
        (_, true) => match (x + bias) / 10.0 + normal(rng, 0.12) {
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
    [answer(rng, code, x, r.bias, style), confidence]
}

/// Every answer of every respondent: unit, year, respondent, item (gti.toml order).
fn response_rows(rng: &mut ChaCha8Rng, units: &[Unit], truth: &Grid, scarce: &Grid) -> Vec<Vec<String>> {
    let mut rows = vec![strings(&["unit", "year", "respondent", "item", "response", "confidence"])];
    for (u, unit) in units.iter().enumerate() {
        let usual = rng.random_range(PANEL);
        let pool = panel(rng, unit, usual + 2);
        for (y, year) in YEARS.iter().enumerate() {
            let n = (usual as i64 + rng.random_range(-1..=1)).clamp(3, 8) as usize;
            let mut chosen: Vec<&Respondent> = pool.sample(rng, n).collect();
            chosen.sort_by(|a, b| a.id.cmp(&b.id));
            for (k, r) in chosen.iter().enumerate() {
                let style = match (u, y) {
                    p if p == STRAIGHT_LINER && k == 0 => Style::Straight,
                    p if p == CONTRARIAN && k + 1 == n => Style::Contrary,
                    _ => Style::Honest,
                };
                for (i, &code) in EXPERT.iter().enumerate() {
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

/// Writes through a temporary file in the same folder, then renames it into place.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(name))?;
    Ok(())
}

const USAGE: &str = "usage: generate_example [--seed N] [OUTPUT_DIR]  (default: indicators/, seed 20250625)";

fn parse_seed(arg: Option<String>) -> Result<u64> {
    let arg = arg.ok_or("--seed needs a value")?;
    Ok(arg.parse().map_err(|_| format!("--seed takes a whole number, not '{arg}'"))?)
}

fn parse_args() -> Result<(PathBuf, u64)> {
    let (mut dir, mut seed) = (None, DEFAULT_SEED);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = parse_seed(args.next())?,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument '{arg}'\n{USAGE}").into()),
        }
    }
    Ok((dir.unwrap_or_else(|| PathBuf::from("indicators")), seed))
}

/// All three files, in memory, from one seed.
fn generate(seed: u64) -> Result<[(&'static str, Vec<u8>); 3]> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let units = make_units(&mut rng);
    let mut stats = statistical(&mut rng, &units);
    let truth = expert(&mut rng, &units);
    let mut scarce = truth.clone();
    drop_series(&mut rng, &mut stats);
    drop_cells(&mut rng, &mut stats, &STATS.map(|s| s.code), STAT_GAPS);
    force_gaps(&mut rng, &mut stats);
    drop_cells(&mut rng, &mut scarce, &EXPERT, EXPERT_GAPS);
    let long = statistical_rows(&mut rng, &units, &stats);
    let answers = response_rows(&mut rng, &units, &truth, &scarce);
    Ok([
        ("units.csv", to_csv(&units_rows(&units))?),
        ("statistical.csv", to_csv(&long)?),
        ("expert_responses.csv", to_csv(&answers)?),
    ])
}

fn run() -> Result<()> {
    let (dir, seed) = parse_args()?;
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in generate(seed)? {
        write_atomic(&dir, name, &bytes)?;
        println!("wrote {}", dir.join(name).display());
    }
    println!("seed {seed}: {} fictional units, years {YEARS:?}", NAMES.len());
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate_example: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
