//! Files of `gti sensitivity`: `rank_stats.csv`, `band_probs.csv` (UA), `sensitivity.csv`
//! (SA), `runs.csv` (the parameters of every run) and `manifest.json`. Formatting only.

use super::csv::{CsvExporter, f_nan as f, table};
use super::{Body, Exporter, Manifest, OutFile, Staged, fmt_f64, json::pretty, write_f64};
use crate::error::Result;
use crate::sensitivity::Prepared;
use crate::sensitivity::data_noise::{Noise, Scale as NoiseScale};
use crate::sensitivity::run::{Sensitivity, Uncertainty, design_row};
use crate::sensitivity::sample::Matrix;
use crate::sensitivity::sobol::Indices;
use crate::sensitivity::spec::{Only, Uncertain};
use crate::sensitivity::summary::Stats;
use rayon::prelude::*;
use serde::Serialize;

fn stats(s: Option<Stats>) -> [String; 4] {
    s.map_or(Default::default(), |s| [f(s.mean), f(s.median), f(s.q05), f(s.q95)])
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

/// `rank_stats.csv`.
pub fn rank_stats(p: &Prepared, ua: &Uncertainty) -> Result<Vec<u8>> {
    let cols = header(&[
        "unit",
        "year",
        "node",
        "nominal_rank",
        "mean_rank",
        "median_rank",
        "q05_rank",
        "q95_rank",
        "nominal_score",
        "mean_score",
        "median_score",
        "q05_score",
        "q95_score",
        "runs",
        "nominal_band",
        "band_interval",
        "band_runs",
    ]);
    let rows = p.output_points().map(|(i, unit, year, n)| {
        let s = &ua.points[i];
        let rank = p.nominal_ranks[i];
        let band = |b: Option<usize>| b.map(|b| p.shape.bands[n][b].label.clone());
        let banded = !p.shape.bands[n].is_empty();
        let interval = match (s.score, band(s.band_interval)) {
            (_, Some(label)) => label,
            (Some(_), None) if banded && s.band_runs > 0 => "uncertain".to_string(),
            _ => String::new(),
        };
        let mut row = vec![unit.to_string(), year.to_string(), p.nodes[n].to_string()];
        row.push(if rank == 0 { String::new() } else { rank.to_string() });
        row.extend(stats(s.rank));
        row.push(f(p.nominal_scores[i]));
        row.extend(stats(s.score));
        row.push(s.present.to_string());
        row.push(band(p.shape.band(n, p.nominal_scores[i])).unwrap_or_default());
        row.push(interval);
        row.push(if banded { s.band_runs.to_string() } else { String::new() });
        row
    });
    table(&cols, rows)
}

/// `band_probs.csv`: the share of runs in each band, for nodes with bands, over the runs on
/// the nominal scale (none: no rows).
pub fn band_probs(p: &Prepared, ua: &Uncertainty) -> Result<Vec<u8>> {
    let cols = header(&["unit", "year", "node", "band", "probability"]);
    let rows = p.output_points().flat_map(|(i, unit, year, n)| {
        let s = &ua.points[i];
        let shares = if s.band_runs == 0 { Vec::new() } else { s.band_share.clone() };
        shares.into_iter().enumerate().map(move |(b, share)| {
            let label = p.shape.bands[n][b].label.clone();
            vec![unit.to_string(), year.to_string(), p.nodes[n].to_string(), label, fmt_f64(share)]
        })
    });
    table(&cols, rows)
}

fn indices_cells(ix: Option<&Indices>) -> [String; 6] {
    ix.map_or(Default::default(), |x| {
        [f(x.first), f(x.first_ci.0), f(x.first_ci.1), f(x.total), f(x.total_ci.0), f(x.total_ci.1)]
    })
}

/// `sensitivity.csv`: one row per output and input.
pub fn sensitivity(p: &Prepared, sa: &Sensitivity) -> Result<Vec<u8>> {
    let cols = header(&[
        "output", "unit", "year", "input", "first", "first_lo", "first_hi", "total", "total_lo", "total_hi",
    ]);
    let nu = p.units.len();
    let mut rows = Vec::new();
    let mut push = |output: &str, unit: &str, year: String, ix: Option<&Vec<Indices>>| {
        for (k, input) in p.spec.inputs.iter().enumerate() {
            let mut row = vec![output.to_string(), unit.to_string(), year.clone(), input.name.clone()];
            row.extend(indices_cells(ix.map(|v| &v[k])));
            rows.push(row);
        }
    };
    push("mean_abs_rank_shift", "", String::new(), sa.overall.as_ref());
    // Per (year, unit), as `screened` is laid out; dropped unit-years left out.
    for (c, ix) in sa.per_unit.iter().enumerate().filter(|(c, _)| !p.base_results.screened[*c]) {
        push("rank", p.units[c % nu].as_str(), p.years[c / nu].to_string(), ix.as_ref());
    }
    table(&cols, rows)
}

/// Rows of `runs.csv` formatted per work item: blocks formatted on every thread, joined in
/// order (the same bytes for any number of threads).
const RUNS_BLOCK: usize = 2048;

/// `runs.csv`: per run, the value of every discrete input and every weight factor.
/// `sa`: the Saltelli design with N = `runs` (matrix and row columns added).
///
/// With 100,000 runs and 60 weights it is 6 million cells: rather than a row of `String`s
/// through csv's writer, each text cell (a discrete input's value, a matrix name) is quoted
/// once by csv's writer ([`cell`]) and copied, and the numbers (which never need quoting)
/// are written by [`write_f64`] and itoa, in parallel blocks of [`RUNS_BLOCK`] rows. The
/// header and the blocks are returned in order, to be written one after the other (joining
/// them would copy the file once more in memory).
pub fn runs(p: &Prepared, seed: u64, runs: usize, sa: bool) -> Result<Vec<Vec<u8>>> {
    let plan = p.plan(seed);
    let mut cols = header(if sa { &["run", "matrix", "row"] } else { &["run"] });
    let weights = p.spec.noise().is_some();
    cols.extend(p.spec.choices().map(|(i, _)| i.name.clone()));
    let codes = || p.base.framework.elements.iter().skip(1).map(|e| e.code.to_string());
    if weights {
        cols.extend(codes().map(|c| format!("weight_factor.{c}")));
    }
    let total = if sa { runs * (p.spec.inputs.len() + 2) } else { runs };
    let values = p.spec.choices().map(|(_, v)| v.iter().map(|o| cell(&o.value)).collect::<Result<Vec<_>>>());
    let values = values.collect::<Result<Vec<_>>>()?;
    let matrices = [Matrix::A, Matrix::B].into_iter().chain((0..p.spec.inputs.len()).map(Matrix::Ab));
    let matrices = matrices.map(|m| cell(&matrix_name(m, p))).collect::<Result<Vec<_>>>()?;
    let block = |b: usize| {
        let (mut d, mut num, mut out) = (plan.new_draw(), String::new(), Vec::with_capacity(RUNS_BLOCK * 64));
        let mut int = itoa::Buffer::new();
        for q in b * RUNS_BLOCK..((b + 1) * RUNS_BLOCK).min(total) {
            let (m, row) = if sa { design_row(q, runs) } else { (Matrix::A, q) };
            plan.fill(m, row, &mut d);
            out.extend_from_slice(int.format(q + 1).as_bytes());
            if sa {
                let k = match m {
                    Matrix::A => 0,
                    Matrix::B => 1,
                    Matrix::Ab(i) => 2 + i,
                };
                out.push(b',');
                out.extend_from_slice(&matrices[k]);
                out.push(b',');
                out.extend_from_slice(int.format(row + 1).as_bytes());
            }
            for (cells, &c) in values.iter().zip(&d.choice) {
                out.push(b',');
                out.extend_from_slice(&cells[c]);
            }
            for &x in d.factors.iter().skip(1).filter(|_| weights) {
                out.push(b',');
                if x == 1.0 {
                    // An unperturbed weight, most of them: what `write_f64` writes for it.
                    out.push(b'1');
                    continue;
                }
                write_f64(&mut num, x);
                out.extend_from_slice(num.as_bytes());
            }
            out.push(b'\n');
        }
        out
    };
    let mut blocks = vec![table(&cols, std::iter::empty::<Vec<String>>())?];
    blocks.par_extend((0..total.div_ceil(RUNS_BLOCK)).into_par_iter().map(block));
    Ok(blocks)
}

/// A file written block after block.
fn streamed<'a>(name: &str, blocks: Vec<Vec<u8>>) -> OutFile<'a> {
    let write = move |w: &mut dyn std::io::Write| blocks.iter().try_for_each(|b| w.write_all(b));
    OutFile { name: name.into(), body: Body::Stream(Box::new(write)) }
}

/// A text cell as csv's writer writes it inside a row of several cells: quoted when it
/// needs to be, which is csv's to decide. (An empty cell alone on its row is written `""`;
/// inside a row, as nothing.)
fn cell(text: &str) -> Result<Vec<u8>> {
    let mut row = table(&[text, "x"], std::iter::empty::<Vec<String>>())?;
    row.truncate(row.len() - ",x\n".len());
    Ok(row)
}

fn matrix_name(m: Matrix, p: &Prepared) -> String {
    match m {
        Matrix::A => "A".into(),
        Matrix::B => "B".into(),
        Matrix::Ab(i) => format!("AB:{}", p.spec.inputs[i].name),
    }
}

#[derive(Serialize)]
struct InputMeta<'a> {
    name: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    noise: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    levels: Option<&'a [u32]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nodes: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<DataMeta<'a>>,
}

/// A data-noise input, as the spec declares it (`bounds` as TOML writes them: `inf` is
/// not JSON).
#[derive(Serialize)]
struct DataMeta<'a> {
    distribution: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale_column: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indicators: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bounds: Option<String>,
}

impl<'a> DataMeta<'a> {
    fn of(n: &'a Noise) -> Self {
        DataMeta {
            distribution: n.distribution.name(),
            kind: n.kind.name(),
            scale: match n.scale {
                NoiseScale::Fixed(f) => Some(f),
                NoiseScale::Column(_) => None,
            },
            scale_column: match &n.scale {
                NoiseScale::Column(c) => Some(c.as_str()),
                NoiseScale::Fixed(_) => None,
            },
            indicators: n.indicators.as_ref().map(|(c, _)| c.as_slice()),
            bounds: n.bounds.map(|(lo, hi)| format!("[{lo}, {hi}]")),
        }
    }
}

impl<'a> InputMeta<'a> {
    fn new(name: &'a str, path: &'a str) -> Self {
        InputMeta { name, path, values: None, noise: None, levels: None, nodes: None, data: None }
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    mode: &'a str,
    runs: usize,
    total_runs: usize,
    spec: String,
    spec_sha256: &'a str,
    inputs: Vec<InputMeta<'a>>,
    variants: usize,
    failed_points: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    bootstrap: Option<(usize, f64)>,
}

#[derive(Serialize)]
struct SensitivityManifest<'a> {
    #[serde(flatten)]
    manifest: Manifest,
    sensitivity: Meta<'a>,
}

/// What `manifest.json` records besides the common manifest.
#[derive(Debug, Clone, Copy)]
pub struct RunInfo {
    pub mode: &'static str,
    pub runs: usize,
    pub total_runs: usize,
    pub failed: usize,
    pub bootstrap: Option<(usize, f64)>,
}

/// `manifest.json`: the common manifest (with the seed) and the spec and run settings. It
/// holds no thread count, so it is the same for any `--threads`.
pub fn manifest(mut base: Manifest, p: &Prepared, info: RunInfo) -> Result<Vec<u8>> {
    let inputs = p.spec.inputs.iter().map(|i| match &i.kind {
        Uncertain::Choice(v) => InputMeta {
            name: &i.name,
            path: &v[0].path,
            values: Some(v.iter().map(|o| o.value.as_str()).collect()),
            ..InputMeta::new(&i.name, "")
        },
        Uncertain::Weights { noise, only } => InputMeta {
            noise: Some(*noise),
            levels: match only {
                Some(Only::Levels(l, _)) => Some(l.as_slice()),
                _ => None,
            },
            nodes: match only {
                Some(Only::Nodes(n, _)) => Some(n.as_slice()),
                _ => None,
            },
            ..InputMeta::new(&i.name, "weights")
        },
        Uncertain::Respondents => InputMeta::new(&i.name, "respondents"),
        Uncertain::Data(n) => InputMeta { data: Some(DataMeta::of(n)), ..InputMeta::new(&i.name, "data") },
    });
    let meta = Meta {
        mode: info.mode,
        runs: info.runs,
        total_runs: info.total_runs,
        spec: p.spec.path.to_string_lossy().replace('\\', "/"),
        spec_sha256: &p.spec.sha256,
        inputs: inputs.collect(),
        variants: p.variants.len(),
        failed_points: info.failed,
        bootstrap: info.bootstrap,
    };
    base.command = "sensitivity".into();
    if info.mode == "ua"
        && let Some(note) = p.band_note()
    {
        base.warnings.push(note.to_string());
    }
    pretty(&SensitivityManifest { manifest: base, sensitivity: meta })
}

/// What `gti sensitivity` writes: a UA or an SA run, with its settings and manifest.
pub struct Analysed<'a> {
    pub prepared: &'a Prepared,
    pub run: Run,
    pub seed: u64,
    /// `--runs`: UA replications, or SA's N.
    pub runs: usize,
    /// `manifest.json`, formatted by [`manifest`].
    pub manifest: Vec<u8>,
    /// `runs.csv` when it was written ahead ([`runs`], staged); formatted here otherwise.
    pub runs_csv: Option<Staged>,
}

/// The estimates of a run.
pub enum Run {
    Ua(Uncertainty),
    Sa(Sensitivity),
}

/// UA: `rank_stats.csv`, `band_probs.csv`, `runs.csv`, `manifest.json`. SA:
/// `sensitivity.csv`, `runs.csv`, `manifest.json`. A folder only.
impl<'p> Exporter<Analysed<'p>> for CsvExporter {
    fn files<'a>(&self, a: &'a Analysed<'p>) -> Result<Vec<OutFile<'a>>> {
        let p = a.prepared;
        let runs_csv = |sa: bool| -> Result<OutFile> {
            Ok(match &a.runs_csv {
                Some(staged) => OutFile { name: "runs.csv".into(), body: Body::Staged(staged) },
                None => streamed("runs.csv", runs(p, a.seed, a.runs, sa)?),
            })
        };
        let mut out = match &a.run {
            Run::Ua(ua) => vec![
                OutFile::new("rank_stats.csv", rank_stats(p, ua)?),
                OutFile::new("band_probs.csv", band_probs(p, ua)?),
                runs_csv(false)?,
            ],
            Run::Sa(sa) => vec![OutFile::new("sensitivity.csv", sensitivity(p, sa)?), runs_csv(true)?],
        };
        out.push(OutFile::new("manifest.json", a.manifest.clone()));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_as_in_a_row_of_the_table_writer() {
        let texts =
            ["plain", "a,b", "say \"hi\"", "two\nlines", "", "{ method = \"winsorise\", winmax = 1 }", " x "];
        let head: Vec<String> = (0..texts.len()).map(|i| format!("c{i}")).collect();
        let want = table(&head, [texts.iter().map(|t| t.to_string()).collect::<Vec<_>>()]).unwrap();
        let cells: Vec<Vec<u8>> = texts.iter().map(|t| cell(t).unwrap()).collect();
        let mut got = table(&head, std::iter::empty::<Vec<String>>()).unwrap();
        got.extend_from_slice(&cells.join(&b","[..]));
        got.push(b'\n');
        assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(want).unwrap());
        // Quoting did happen (the test would pass vacuously otherwise).
        assert_eq!(cells[1], b"\"a,b\"");
    }
}
