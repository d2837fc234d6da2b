//! Generates the example data in `indicators/` for the illustrative GTI methodology
//! (`methodology/gti.toml`): `units.csv`, `statistical.csv` (long) and
//! `expert_responses.csv` (raw questionnaire answers, one row per respondent and item), for 26
//! FICTIONAL units (codes XAA-XAZ, invented names, five invented regions) over 2022-2024. No
//! value describes any real country; nothing here is OMCT data, and no respondent is a person.
//!
//! # The model
//!
//! Every indicator reads a latent quality (higher = lower risk, 0.5 the middle), built in
//! layers so that the pillars are related but not interchangeable, as in a real index:
//!
//! - **General level** g: the unit's region sets its expected level ([`REGIONS`], 0.29 to
//!   0.77), plus unit noise (sd 0.13); standardised, z = (g − 0.5) / [`GENERAL_SD`].
//! - **Pillar levels**: q = 0.5 + [`SPREAD`] · (λ z + √(1 − λ²) e + r), where λ is the
//!   pillar's loading on the general level ([`LOADINGS`]: 0.6 for P1, formal commitment, up
//!   to 0.92 for P4, impunity), e the unit's own standard-normal factor for the pillar and r
//!   its region's pillar profile ([`REGION_PROFILE`]: one region ratifies more than its
//!   practice suggests, another crowds its prisons, …). Two pillars' levels correlate about
//!   λ₁λ₂ (0.37 to 0.83), less the regional profiles and the indicators' noise.
//! - **Trends**: every unit drifts a little (sd 0.006 a year, the same in every pillar);
//!   eight units change clearly ([`MOVERS`]), four for the better and four for the worse,
//!   each in 3 to 5 of the seven pillars (0.08-0.12 a year there), the other pillars staying
//!   put. The two units with a questionnaire quirk are never picked.
//! - **Indicators**: the pillar level plus a lasting deviation per unit and indicator (sd
//!   0.14 to 0.3: `spread` in [`STATS`] and [`EXPERT`]) and a yearly wobble (sd 0.01), through
//!   a logistic [`squash`] into 0-1. `P4_investigations` and `P4_judicial_independence`
//!   share their deviation ([`TWINS`]): experts judge one justice system twice, and the audit
//!   should say so. A statistical indicator maps its position onto its own scale (a power
//!   curve and a lasting log-normal factor; [`Stat`]); XAR's police killings are three times
//!   what its level implies ([`OUTLIER`]). An expert item is answered by a panel (below).
//!
//! Some values are deliberately missing (empty or `NA`), and unit XAZ is too sparse in pillar
//! P5 in 2023-2024 to meet the methodology's minimum coverage.
//!
//! Questionnaires: each unit has a pool of local experts, usually 3 to 8 of whom answer each
//! year. A respondent answers an item with the latent value plus a lasting personal bias
//! (sd 0.5 points) and noise (sd 0.9): a whole number 0-10, or `yes` / `partially` / `no`
//! for the items in [`CODED`]. Each respondent has a "don't know" rate of 2-12 % (doubled on
//! the items in [`HARD`], 60 % where information is scarce in a unit and year), about 1 % of
//! cells are left empty, and most respondents state a confidence (0.1-1.0). Deliberate
//! panels: one respondent straight-lines and one contradicts the others (for `gti
//! validate`'s consistency checks); XAL has many consistent respondents and XAM three
//! discordant ones ([`CONSISTENT`], [`DISCORDANT`]); in XAV in 2024 exactly two respondents
//! answer every item ([`PAIR`]).
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

#[path = "generate_example/questionnaire.rs"]
mod questionnaire;

const DEFAULT_SEED: u64 = 20250625;
const YEARS: [i32; 3] = [2022, 2023, 2024];
/// Index of XAZ, the unit that is too sparse in pillar P5.
const SPARSE_UNIT: usize = 25;

/// Invented regions: name, general level (0 = worst, 1 = best), number of units.
const REGIONS: [(&str, f64, usize); 5] = [
    ("Northern Reach", 0.77, 6),
    ("Western Isles", 0.65, 5),
    ("Eastern Shore", 0.53, 5),
    ("Southern Marches", 0.41, 5),
    ("Central Plateau", 0.29, 5),
];

/// The standard deviation of the units' general levels (regional effects and unit noise).
const GENERAL_SD: f64 = 0.22;
/// The standard deviation of a pillar level on the latent scale (0.5 = the middle).
const SPREAD: f64 = 0.26;

/// Each pillar's loading λ on the general level (P1 to P7); the rest of its variance is its
/// own. Formal commitment (P1) and protection of all groups (P6) follow the general level
/// least; police violence (P2) and impunity (P4) most.
const LOADINGS: [f64; 7] = [0.6, 0.9, 0.75, 0.92, 0.7, 0.62, 0.85];

/// Each region's pillar profile, in units of [`SPREAD`], added to its units' pillar levels.
#[rustfmt::skip]
const REGION_PROFILE: [[f64; 7]; 5] = [
    //  P1    P2    P3    P4    P5    P6    P7
    [  0.0,  0.0, -0.5,  0.0,  0.0, -0.4,  0.0], // Northern Reach: crowded prisons, pushbacks
    [  0.0,  0.0,  0.0,  0.0, -0.5,  0.0,  0.3], // Western Isles: victims left without redress
    [  0.6,  0.0,  0.0, -0.4,  0.0,  0.0,  0.0], // Eastern Shore: treaties ratified, impunity
    [  0.0, -0.5,  0.0,  0.0,  0.0,  0.4,  0.0], // Southern Marches: police violence
    [  0.5,  0.0,  0.0,  0.0,  0.0,  0.0, -0.4], // Central Plateau: commitments on paper only
];

/// Units that change clearly over the years: how many improve, how many deteriorate, how
/// many pillars each (inclusive range) and by how much a year there (0-1 scale).
const MOVERS: (usize, usize) = (4, 4);
const MOVED_PILLARS: std::ops::RangeInclusive<usize> = 3..=5;
const MOVE: std::ops::Range<f64> = 0.08..0.12;

/// Invented unit names, one per code XAA..XAZ (none is a real country).
#[rustfmt::skip]
const NAMES: [&str; 26] = [
    "Aldoria", "Brevania", "Calmora", "Dunmarch", "Elvaria", "Feldmarra", "Galvenor",
    "Harrowmere", "Istrelia", "Jorvath", "Kestrelia", "Lumora", "Marrowind", "Norvane",
    "Ostravel", "Pellucia", "Quillaria", "Rhosvany", "Sarvonne", "Torvalin", "Ulmaren",
    "Valdessa", "Wrenmoor", "Xanthera", "Yselmark", "Zephyria",
];

/// A statistical indicator: its range, whether higher is better, the curvature `power` of
/// the quality-to-value map (above 1 skews values right), the log-normal noise, the spread
/// of its lasting deviation from the pillar level, the share of its range `top` that the map
/// reaches at the worst position, the decimals written and how many units lack it in every
/// year.
struct Stat {
    code: &'static str,
    lo: f64,
    hi: f64,
    higher_better: bool,
    power: f64,
    sigma: f64,
    spread: f64,
    top: f64,
    decimals: usize,
    dropout: usize,
}

const fn stat(code: &'static str, range: (f64, f64), up: bool, shape: (f64, f64, f64, f64)) -> Stat {
    let (lo, hi) = range;
    let (power, sigma, spread, top) = shape;
    Stat { code, lo, hi, higher_better: up, power, sigma, spread, top, decimals: 2, dropout: 0 }
}

const fn with(s: Stat, decimals: usize, dropout: usize) -> Stat {
    Stat { decimals, dropout, ..s }
}

/// Statistical indicators in `gti.toml` order. The treaty count and the years overdue are
/// loose proxies (large spread); killings and attacks on defenders are right-skewed
/// (`gti.toml` takes their log).
#[rustfmt::skip]
const STATS: [Stat; 10] = [
    //        code                    range          up     (power, sigma, spread, top) decimals, dropout
    with(stat("P1_ratification",      (0.0, 3.0),    true,  (1.0, 0.0, 0.2, 1.0)),   0, 0),
    with(stat("P1_cat_overdue",       (0.0, 12.0),   false, (1.6, 0.0, 0.3, 1.0)),   0, 1),
    with(stat("P2_police_killings",   (0.0, 8.0),    false, (2.5, 0.35, 0.16, 0.4)), 2, 1),
    with(stat("P3_occupancy",         (60.0, 250.0), false, (1.3, 0.05, 0.18, 0.9)), 1, 0),
    with(stat("P3_pretrial",          (10.0, 75.0),  false, (1.0, 0.05, 0.2, 0.92)), 1, 0),
    with(stat("P3_deaths_custody",    (0.0, 40.0),   false, (2.0, 0.25, 0.18, 0.9)), 2, 4),
    with(stat("P4_prosecution_rate",  (0.0, 60.0),   true,  (1.5, 0.1, 0.18, 1.0)),  1, 3),
    with(stat("P5_compensation_paid", (0.0, 100.0),  true,  (1.0, 0.05, 0.18, 1.0)), 1, 2),
    with(stat("P6_child_detention",   (0.0, 120.0),  false, (1.8, 0.2, 0.22, 0.8)),  1, 2),
    with(stat("P7_hrd_attacks",       (0.0, 30.0),   false, (2.5, 0.35, 0.18, 0.8)), 2, 1),
];

/// Expert indicators (questionnaire items) in `gti.toml` order, with the spread of their
/// lasting deviation from the pillar level.
#[rustfmt::skip]
const EXPERT: [(&str, f64); 18] = [
    ("P1_criminalisation", 0.18), ("P1_npm", 0.18), ("P2_excessive_force", 0.16),
    ("P2_protest_policing", 0.18), ("P2_custody_safeguards", 0.18),
    ("P3_monitoring_access", 0.18), ("P3_conditions", 0.16), ("P4_investigations", 0.14),
    ("P4_judicial_independence", 0.14), ("P4_no_amnesty", 0.18), ("P5_redress", 0.16),
    ("P5_rehabilitation", 0.18), ("P6_non_refoulement", 0.2), ("P6_minorities", 0.16),
    ("P6_gbv", 0.2), ("P7_civic_space", 0.16), ("P7_ngo_registration", 0.18),
    ("P7_no_reprisals", 0.18),
];

/// Two items that measure nearly the same thing: the second takes the first's lasting
/// deviation (plus a little of its own, sd 0.02).
const TWINS: (&str, &str) = ("P4_investigations", "P4_judicial_independence");

/// Items answered `yes` / `partially` / `no` (scale 0-1 in `gti.toml`); the others take a
/// whole number 0-10.
const CODED: [&str; 4] = ["P1_criminalisation", "P1_npm", "P4_no_amnesty", "P7_ngo_registration"];
/// Items on which local experts more often lack information ("don't know" twice as often).
const HARD: [&str; 4] = ["P3_monitoring_access", "P4_investigations", "P5_rehabilitation", "P6_gbv"];
/// Respondents answering in a unit and year (usual panels).
const PANEL: std::ops::RangeInclusive<usize> = 3..=8;
/// (unit, year index) where one respondent answers 5 / `partially` to every item.
const STRAIGHT_LINER: (usize, usize) = (2, 1);
/// (unit, year index) where one respondent answers against the others (10 − x, yes ↔ no).
const CONTRARIAN: (usize, usize) = (3, 2);
/// XAL: a large panel that agrees (13-15 respondents a year, small biases and noise).
const CONSISTENT: usize = 11;
/// XAM: three respondents who disagree (biases −1.2, 0 and +1.2 points, large noise).
const DISCORDANT: usize = 12;
/// (unit, year index): XAV in 2024, where exactly two respondents answer every item.
const PAIR: (usize, usize) = (21, 2);

/// XAR: police kill far more often than anywhere else (its killings are multiplied by
/// [`OUTLIER_FACTOR`]): the audit flags the raw values as outliers, which `gti.toml`'s
/// log1p transform tames.
const OUTLIER: (usize, &str) = (17, "P2_police_killings");
const OUTLIER_FACTOR: f64 = 3.0;

/// Share of statistical cells (beyond whole-series gaps) left missing, and of expert
/// (unit, item, year) cells where information is scarce.
const STAT_GAPS: f64 = 0.05;
const EXPERT_GAPS: f64 = 0.045;

/// One fictional unit and its latent quality path in each pillar.
struct Unit {
    code: String,
    name: &'static str,
    region: usize,
    income: &'static str,
    /// Pillar levels in the first year, on the latent scale.
    level: [f64; 7],
    /// Change of each pillar level per year.
    slope: [f64; 7],
    /// The pillars that change clearly, and by how much a year.
    moves: Vec<(usize, f64)>,
}

impl Unit {
    /// Latent quality in pillar `p` (0 = P1) in year index `y`: 0.5 is the middle, and it
    /// may leave 0-1 (the indicators [`squash`] it).
    fn quality(&self, p: usize, y: usize) -> f64 {
        self.level[p] + self.slope[p] * y as f64
    }
}

/// Values by unit, indicator and year; `None` is missing.
type Grid = Vec<Vec<[Option<f64>; 3]>>;

fn normal(rng: &mut ChaCha8Rng, sd: f64) -> f64 {
    let z: f64 = rng.sample(StandardNormal);
    sd * z
}

/// The pillar (0 = P1) of an indicator code `P<n>_…`.
fn pillar(code: &str) -> usize {
    usize::from(code.as_bytes()[1] - b'1')
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

fn income_group(rng: &mut ChaCha8Rng, general: f64) -> &'static str {
    match general + normal(rng, 0.08) {
        x if x > 0.62 => "high",
        x if x > 0.38 => "middle",
        _ => "low",
    }
}

fn make_units(rng: &mut ChaCha8Rng) -> Vec<Unit> {
    let mut units: Vec<Unit> = (0..NAMES.len()).map(|i| make_unit(rng, i)).collect();
    // The units with a questionnaire quirk keep their paths, so that the quirk explains
    // their moves.
    let quirky = [STRAIGHT_LINER.0, CONTRARIAN.0];
    let mut order: Vec<usize> = (0..units.len()).filter(|u| !quirky.contains(u)).collect();
    order.shuffle(rng);
    let pillars: Vec<usize> = (0..7).collect();
    for (k, &u) in order.iter().take(MOVERS.0 + MOVERS.1).enumerate() {
        let sign = if k < MOVERS.0 { 1.0 } else { -1.0 };
        let count = rng.random_range(MOVED_PILLARS);
        let mut moved: Vec<usize> = pillars.sample(rng, count).copied().collect();
        moved.sort();
        for p in moved {
            let step = sign * rng.random_range(MOVE);
            units[u].slope[p] += step;
            units[u].moves.push((p, step));
        }
    }
    units
}

fn make_unit(rng: &mut ChaCha8Rng, i: usize) -> Unit {
    let region = region_of(i);
    let general = (REGIONS[region].1 + normal(rng, 0.13)).clamp(0.05, 0.95);
    let z = (general - 0.5) / GENERAL_SD;
    let level = std::array::from_fn(|p| {
        let (l, own) = (LOADINGS[p], normal(rng, 1.0));
        0.5 + SPREAD * (l * z + (1.0 - l * l).sqrt() * own + REGION_PROFILE[region][p])
    });
    let letter = char::from(b'A' + i as u8);
    Unit {
        code: format!("XA{letter}"),
        name: NAMES[i],
        region,
        income: income_group(rng, general),
        level,
        slope: [normal(rng, 0.006); 7],
        moves: Vec::new(),
    }
}

/// Latent position of every unit on every indicator (`code`, `spread`) in every year: its
/// pillar's quality plus a lasting deviation and a small yearly wobble, in 0..1.
fn latent(rng: &mut ChaCha8Rng, units: &[Unit], items: &[(&str, f64)]) -> Grid {
    let twin = items.iter().position(|&(c, _)| c == TWINS.0);
    let mut grid = Grid::new();
    for u in units {
        let mut devs: Vec<f64> = Vec::with_capacity(items.len());
        let mut row = Vec::with_capacity(items.len());
        for &(code, spread) in items {
            let dev = match twin {
                Some(t) if code == TWINS.1 => devs[t] + normal(rng, 0.02),
                _ => normal(rng, spread),
            };
            devs.push(dev);
            let p = pillar(code);
            row.push(std::array::from_fn(|y| Some(squash(u.quality(p, y) + dev + normal(rng, 0.01)))));
        }
        grid.push(row);
    }
    grid
}

/// A logistic curve from the latent scale into 0-1, with slope 1 at the middle: 0 → 0.12,
/// 1 → 0.88. Extreme units come close to the ends without piling up on them, and a unit
/// at the bottom can still fall.
fn squash(x: f64) -> f64 {
    1.0 / (1.0 + (-(x - 0.5) / 0.25).exp())
}

/// Maps a latent position to the indicator's scale, times a lasting log-normal factor.
fn stat_value(s: &Stat, x: f64, factor: f64) -> f64 {
    let p = if s.higher_better { x } else { 1.0 - x };
    (s.lo + (s.hi - s.lo) * s.top * p.powf(s.power) * factor).clamp(s.lo, s.hi)
}

fn statistical(rng: &mut ChaCha8Rng, units: &[Unit]) -> Grid {
    let items: Vec<(&str, f64)> = STATS.iter().map(|s| (s.code, s.spread)).collect();
    let mut grid = latent(rng, units, &items);
    for (u, row) in grid.iter_mut().enumerate() {
        for (s, years) in STATS.iter().zip(row.iter_mut()) {
            let mut factor: f64 = rng.sample(LogNormal::new(0.0, s.sigma).expect("finite sigma"));
            if (u, s.code) == OUTLIER {
                factor *= OUTLIER_FACTOR;
            }
            for v in years.iter_mut() {
                *v = v.map(|x| stat_value(s, x, factor));
            }
        }
    }
    grid
}

fn expert(rng: &mut ChaCha8Rng, units: &[Unit]) -> Grid {
    let mut grid = latent(rng, units, &EXPERT);
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

/// The units that change clearly: one line each, for `indicators/README.md`.
fn describe_moves(units: &[Unit]) -> Vec<String> {
    let line = |u: &Unit| {
        let moves: Vec<String> = u.moves.iter().map(|&(p, step)| format!("P{} {step:+.3}", p + 1)).collect();
        format!("{} moves a year in {}", u.code, moves.join(", "))
    };
    units.iter().filter(|u| !u.moves.is_empty()).map(line).collect()
}

/// The three output files: name and bytes.
type Files = [(&'static str, Vec<u8>); 3];

/// All three files, in memory, from one seed, and the moves of the units that change.
fn generate(seed: u64) -> Result<(Files, Vec<String>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let units = make_units(&mut rng);
    let mut stats = statistical(&mut rng, &units);
    let truth = expert(&mut rng, &units);
    let mut scarce = truth.clone();
    drop_series(&mut rng, &mut stats);
    drop_cells(&mut rng, &mut stats, &STATS.map(|s| s.code), STAT_GAPS);
    force_gaps(&mut rng, &mut stats);
    drop_cells(&mut rng, &mut scarce, &EXPERT.map(|(c, _)| c), EXPERT_GAPS);
    let long = statistical_rows(&mut rng, &units, &stats);
    let answers = questionnaire::response_rows(&mut rng, &units, &truth, &scarce);
    let files = [
        ("units.csv", to_csv(&units_rows(&units))?),
        ("statistical.csv", to_csv(&long)?),
        ("expert_responses.csv", to_csv(&answers)?),
    ];
    Ok((files, describe_moves(&units)))
}

fn run() -> Result<()> {
    let (dir, seed) = parse_args()?;
    std::fs::create_dir_all(&dir)?;
    let (files, moves) = generate(seed)?;
    for (name, bytes) in files {
        write_atomic(&dir, name, &bytes)?;
        println!("wrote {}", dir.join(name).display());
    }
    println!("seed {seed}: {} fictional units, years {YEARS:?}", NAMES.len());
    for line in moves {
        println!("  {line}");
    }
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
