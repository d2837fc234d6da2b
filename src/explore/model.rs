//! The model embedded in the explorer page (docs/explore.md, "The embedded model"): the
//! published run's normalised data and scores, and the methodology the page needs to
//! recompute everything downstream of normalisation. Built from the public view of a run
//! only: the disclosure rules of `crate::disclosure`.

use super::Disclosure;
use crate::ingest::{RawData, Units};
use crate::methodology::{Aggregate, Kind, Methodology, NodeSpec, Override, Source};
use crate::regions::REGION_COLUMN;
use crate::sensitivity::intervals::{IntervalRow, Intervals};
use crate::stages::{Results, band};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// The version of the model's layout; the page refuses any other.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub schema: u32,
    /// `gti 0.1.0`.
    pub generator: String,
    pub index: IndexInfo,
    /// The fictional-data notice, when it applies (as the report's).
    pub fictional: Option<String>,
    /// In code order: the units of every array below.
    pub units: Vec<UnitInfo>,
    pub years: Vec<i32>,
    /// The framework in order (parents before children).
    pub elements: Vec<ElementInfo>,
    /// `[defaults] aggregate` as written (null when absent): what `--set` edits.
    pub defaults_aggregate: Option<Value>,
    /// The transparency penalty in force (null: off).
    pub penalty: Option<PenaltyInfo>,
    pub bands: Vec<BandInfo>,
    pub trend: TrendInfo,
    pub indicators: IndicatorData,
    /// (year index, unit index) pairs dropped by `[screen]`: no rows in scores.csv.
    pub screened: Vec<(usize, usize)>,
    pub baseline: Baseline,
    pub transparency: Vec<TransparencyInfo>,
    pub command: CommandInfo,
    pub disclosure: Disclosure,
    /// The intervals published with the scores (`--uncertainty`, `--sensitivity`), in their
    /// public form; absent without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intervals: Option<IntervalInfo>,
}

/// The public intervals of the published methodology (`uncertainty.csv` as
/// `gti compute --public` writes it), and what they came from.
#[derive(Debug, Clone, Serialize)]
pub struct IntervalInfo {
    /// The uncertainty spec's file name.
    pub spec: String,
    pub runs: usize,
    pub seed: u64,
    /// Points whose intervals were withheld (too few answers beneath): absent from `points`.
    pub withheld: usize,
    /// Below this share of the runs in its nominal band, a point's band is marked uncertain
    /// (the report's `UNCERTAIN_BAND`).
    pub uncertain_below: f64,
    /// (point in `baseline`'s layout, score_low, score_high, rank_low, rank_high,
    /// band_probability): 5 % and 95 % quantiles over the runs, and the share of them in the
    /// point's nominal band. Points without any interval are left out.
    #[allow(clippy::type_complexity)]
    pub points: Vec<(usize, Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<f64>)>,
}

impl IntervalInfo {
    /// The intervals of `rows` (already in their public form) placed in the layout of the run
    /// `r` of `m`; rows of a unit, year or node the run does not have are left out.
    pub fn of(m: &Methodology, r: &Results, i: &Intervals) -> IntervalInfo {
        let p = &r.datasets.aggregated;
        let (nu, ne) = (p.units.len(), p.columns.len());
        let years: HashMap<i32, usize> = p.years.iter().enumerate().map(|(k, &y)| (y, k)).collect();
        let elements: HashMap<&str, usize> =
            m.framework.elements.iter().enumerate().map(|(k, e)| (e.code.as_str(), k)).collect();
        let units: HashMap<&str, usize> = p.units.iter().enumerate().map(|(k, u)| (u.as_str(), k)).collect();
        let index = |row: &IntervalRow| {
            let (y, e, u) =
                (years.get(&row.year)?, elements.get(row.node.as_str())?, units.get(row.unit.as_str())?);
            Some((y * ne + e) * nu + u)
        };
        let points = i
            .rows
            .iter()
            .filter(|row| row.score_low.is_some() || row.rank_low.is_some() || row.band_probability.is_some())
            .filter_map(|row| {
                let k = index(row)?;
                Some((k, row.score_low, row.score_high, row.rank_low, row.rank_high, row.band_probability))
            })
            .collect();
        IntervalInfo {
            spec: crate::disclosure::public::file_name(&i.stamp.spec),
            runs: i.stamp.runs,
            seed: i.stamp.seed,
            withheld: i.stamp.withheld.unwrap_or(0),
            uncertain_below: crate::report::rank_stats::UNCERTAIN_BAND,
            points,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexInfo {
    pub code: String,
    pub name: String,
    pub version: String,
    pub released: Option<String>,
    pub description: Option<String>,
    pub higher_is: crate::methodology::HigherIs,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitInfo {
    pub code: String,
    /// Empty when units.csv gives none.
    pub name: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElementInfo {
    pub code: String,
    pub name: String,
    /// `node` or `indicator`.
    pub kind: &'static str,
    /// Index of the parent in `elements`.
    pub parent: Option<usize>,
    pub level: u32,
    pub weight: f64,
    // Nodes.
    /// The method in force, as validated: `{"method": "generalised", "p": 2}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<Value>,
    /// The node's own `aggregate` table as written (null when it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_aggregate: Option<Option<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_coverage: Option<f64>,
    /// Whether the page can recompute this node's scores; `why` says why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<&'static str>,
    /// Set when a what-if on this element's `weight` is not recomputed live, and why (its
    /// parent's weights are fitted from the data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_why: Option<&'static str>,
    // Indicators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<i8>,
    /// The unit of measure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// How the indicator becomes its normalised value (transform, impute, treat, normalise):
    /// shown, never recomputed by the page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing: Option<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PenaltyInfo {
    pub k: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BandInfo {
    pub label: String,
    pub min: f64,
    pub max: f64,
    pub color: Option<String>,
    pub nodes: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendInfo {
    pub stable: f64,
}

/// Indicator points, (year × indicator × unit), indicators in framework order.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorData {
    pub normalised: Vec<Option<f64>>,
    /// Bits: 1 observed (a value from the data, not imputed), 2 imputed, 4 answered (an
    /// expert item with a value after combination: the transparency tally).
    pub flags: Vec<u8>,
    /// The value as read, statistical indicators only.
    pub raw: Vec<Option<f64>>,
    /// (point, how outlier treatment changed it).
    pub treated: Vec<(usize, &'static str)>,
    /// (point, respondents, agreement) of expert items answered, as disclosure allows.
    pub respondents: Vec<(usize, crate::disclosure::Respondents, Option<f64>)>,
}

/// The published run (`gti compute` on the methodology as written): (year × element × unit).
#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    pub score: Vec<Option<f64>>,
    pub rank: Vec<Option<u32>>,
    /// Index into `bands`.
    pub band: Vec<Option<usize>>,
    pub coverage: Vec<f64>,
    pub imputed: Vec<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransparencyInfo {
    pub unit: String,
    pub year: i32,
    pub node: String,
    pub items: u32,
    pub answered: u32,
    pub share_weight: Option<f64>,
    pub penalty: Option<f64>,
}

/// What the page prints as the command that reproduces a what-if.
#[derive(Debug, Clone, Serialize)]
pub struct CommandInfo {
    pub methodology: String,
    pub data: Vec<String>,
    /// The what-if the page opens with (`gti explore --set`), as `PATH=VALUE` texts.
    pub sets: Vec<String>,
}

impl CommandInfo {
    /// Paths as given, but an absolute path reduced to its file name: a public page does not
    /// publish where files sit on someone's disk.
    pub fn new(methodology: &std::path::Path, data: &[std::path::PathBuf], sets: &[Override]) -> CommandInfo {
        let shown = |p: &std::path::Path| {
            if p.is_absolute() {
                p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
            } else {
                p.display().to_string()
            }
        };
        CommandInfo {
            methodology: shown(methodology),
            data: data.iter().map(|d| shown(d)).collect(),
            sets: sets.iter().map(|o| format!("{}={}", o.path, o.value)).collect(),
        }
    }
}

/// Whether the page can recompute a node aggregated with `method`, and why not. Every
/// per-unit method of `stages::aggregate` is mirrored in web/src/aggregate.js; a new method
/// is not live until it is mirrored and in the browser test.
pub fn live(method: &Aggregate) -> Result<(), &'static str> {
    match method {
        Aggregate::Arithmetic
        | Aggregate::Geometric
        | Aggregate::Harmonic
        | Aggregate::Generalised { .. }
        | Aggregate::Median
        | Aggregate::Min
        | Aggregate::Sum => Ok(()),
        Aggregate::Mpi(_) | Aggregate::Ampi(_) | Aggregate::Bod(_) | Aggregate::Copeland { .. } => {
            Err("a non-compensatory method (mpi, ampi, bod, copeland) compares the units with each other; \
             the page does not recompute it: use gti compute --set")
        }
    }
}

/// Whether the page can recompute a node: its method is live, and its children's weights
/// are declared. Weights fitted from the data (`weights = { method = … }`) would be refitted
/// by any change beneath the node, which the page does not do.
pub fn node_live(spec: &NodeSpec) -> Result<(), &'static str> {
    if spec.weights.is_fitted() {
        return Err("its children's weights are fitted from the data (pca, entropy, critic or optimised), \
                    and a what-if beneath it would refit them; the page does not: use gti compute --set");
    }
    live(&spec.aggregate)
}

/// Why a what-if on the weight of a child of `parent` is not recomputed live: the parent's
/// weights are fitted from the data and replace the declared ones.
pub const FITTED_WEIGHT: &str = "its weight is fitted from the data by its parent's `weights` method, \
     which replaces the declared weight: a what-if on it is not recomputed live";

/// The run's inputs the model is built from.
pub struct Run<'a> {
    pub m: &'a Methodology,
    /// The methodology file's text (for the `aggregate` tables as written).
    pub source: &'a str,
    pub raw: &'a RawData,
    /// From `stages::run` (every data set kept).
    pub results: &'a Results,
}

impl Model {
    /// Builds the public model of a run.
    ///
    /// # Errors
    /// The methodology text is not TOML (it was validated: not expected).
    pub fn build(run: &Run, command: CommandInfo, disclosure: Disclosure) -> crate::Result<Model> {
        let (m, r) = (run.m, run.results);
        let p = &r.datasets.aggregated;
        let units = unit_infos(p.units.iter().map(|u| u.as_str()), run.raw.units.as_ref());
        let labels: Vec<crate::present::UnitLabel> = units
            .iter()
            .map(|u| crate::present::UnitLabel { code: u.code.clone(), name: u.name.clone(), region: None })
            .collect();
        let doc: toml::Table = toml::from_str(run.source)
            .map_err(|e| crate::Error::Usage(format!("{}: {e}", m.provenance.path.display())))?;
        let nu = p.units.len();
        Ok(Model {
            schema: SCHEMA,
            generator: format!("gti {}", env!("CARGO_PKG_VERSION")),
            index: IndexInfo {
                code: m.index.code.to_string(),
                name: m.index.name.clone(),
                version: m.index.version.clone(),
                released: m.index.released.clone(),
                description: m.index.description.clone(),
                higher_is: m.index.higher_is,
            },
            fictional: crate::present::fictional_notice(m, &labels),
            units,
            years: p.years.clone(),
            elements: elements(m, &doc),
            defaults_aggregate: table(&doc, &["defaults", "aggregate"]),
            penalty: m.penalty.map(|p| PenaltyInfo { k: p.k }),
            bands: m
                .bands
                .iter()
                .map(|b| BandInfo {
                    label: b.label.clone(),
                    min: b.min,
                    max: b.max,
                    color: b.color.clone(),
                    nodes: b.nodes.as_ref().map(|ns| ns.iter().map(|c| c.to_string()).collect()),
                })
                .collect(),
            trend: TrendInfo { stable: m.trend.stable },
            indicators: indicator_data(run, disclosure),
            screened: (0..p.years.len())
                .flat_map(|y| (0..nu).map(move |u| (y, u)))
                .filter(|&(y, u)| r.screened[y * nu + u])
                .collect(),
            baseline: baseline(m, r),
            transparency: crate::rows::transparency_rows(m, r)
                .into_iter()
                .map(|t| TransparencyInfo {
                    unit: t.unit,
                    year: t.year,
                    node: t.node,
                    items: t.items,
                    answered: t.answered,
                    share_weight: t.share_weight,
                    penalty: t.penalty,
                })
                .collect(),
            command,
            disclosure,
            intervals: None,
        })
    }
}

fn unit_infos<'a>(codes: impl Iterator<Item = &'a str>, units: Option<&Units>) -> Vec<UnitInfo> {
    let region = units.and_then(|u| u.column(REGION_COLUMN));
    codes
        .map(|code| {
            let info = units.and_then(|u| u.rows.iter().find(|(c, _)| c.as_str() == code).map(|(_, i)| i));
            UnitInfo {
                code: code.to_string(),
                name: info.and_then(|i| i.name.clone()).unwrap_or_default(),
                region: info.zip(region).and_then(|(i, r)| i.groups.get(r).cloned().flatten()),
            }
        })
        .collect()
}

/// A table of the methodology document as JSON (`None` when absent).
fn table(doc: &toml::Table, path: &[&str]) -> Option<Value> {
    let mut v: &toml::Value = doc.get(path[0])?;
    for seg in &path[1..] {
        v = v.get(seg)?;
    }
    serde_json::to_value(v).ok()
}

fn elements(m: &Methodology, doc: &toml::Table) -> Vec<ElementInfo> {
    m.framework
        .elements
        .iter()
        .map(|e| {
            let mut info = ElementInfo {
                code: e.code.to_string(),
                name: e.name.clone(),
                kind: if e.is_indicator() { "indicator" } else { "node" },
                parent: e.parent,
                level: e.level,
                weight: e.weight,
                aggregate: None,
                own_aggregate: None,
                min_coverage: None,
                live: None,
                why: None,
                weight_why: None,
                source: None,
                direction: None,
                unit: None,
                processing: None,
            };
            let parent = e.parent.and_then(|p| m.framework.elements[p].node());
            if parent.is_some_and(|p| p.weights.is_fitted()) {
                info.weight_why = Some(FITTED_WEIGHT);
            }
            match &e.kind {
                Kind::Node(n) => {
                    info.aggregate = serde_json::to_value(&n.aggregate).ok();
                    info.own_aggregate = Some(table(doc, &["node", e.code.as_str(), "aggregate"]));
                    info.min_coverage = Some(n.min_coverage);
                    let why = node_live(n).err();
                    (info.live, info.why) = (Some(why.is_none()), why);
                }
                Kind::Indicator(s) => {
                    info.source = Some(s.source);
                    info.direction = Some(s.direction.sign() as i8);
                    info.unit = s.unit.clone();
                    info.processing = Some(serde_json::json!({
                        "transform": s.transform,
                        "impute": s.impute,
                        "treat": s.treat,
                        "normalise": s.normalise,
                    }));
                }
            }
            info
        })
        .collect()
}

fn indicator_data(run: &Run, disclosure: Disclosure) -> IndicatorData {
    let (m, r) = (run.m, run.results);
    let (norm, raw, agg) = (&r.datasets.normalised, &r.datasets.raw, &r.datasets.aggregated);
    let fw = &m.framework;
    let (nu, ni, ne) = (norm.units.len(), fw.indicators.len(), fw.elements.len());
    let mut d = IndicatorData {
        normalised: norm.values.iter().map(|v| (!v.is_nan()).then_some(*v)).collect(),
        flags: vec![0; norm.values.len()],
        raw: vec![None; norm.values.len()],
        treated: Vec::new(),
        respondents: Vec::new(),
    };
    for y in 0..norm.years.len() {
        for (c, &id) in fw.indicators.iter().enumerate() {
            let spec = fw.elements[id].indicator().expect("indicators are indicators");
            for u in 0..nu {
                let i = (y * ni + c) * nu + u;
                let a = (y * ne + id) * nu + u;
                let raw_v = raw.get(y, c, u);
                let answered = spec.source == Source::Expert && !raw_v.is_nan();
                // Coverage of an indicator point is 1 exactly where it was observed.
                d.flags[i] = u8::from(r.coverage[a] == 1.0)
                    | (u8::from(r.imputed_flags[i]) << 1)
                    | (u8::from(answered) << 2);
                d.raw[i] = disclosure.raw_value(spec.source, raw_v);
                if let Some(t) = r.treat_flags[i] {
                    d.treated.push((i, t.as_str()));
                }
                if let Some(n) = r.respondents(a) {
                    d.respondents.push((
                        i,
                        disclosure.respondents(n),
                        disclosure.agreement(n, r.agreement(a)),
                    ));
                }
            }
        }
    }
    debug_assert_eq!(agg.units.len(), nu);
    d
}

fn baseline(m: &Methodology, r: &Results) -> Baseline {
    let p = &r.datasets.aggregated;
    let nu = p.units.len();
    let mut band_of = vec![None; p.values.len()];
    for (e, el) in m.framework.elements.iter().enumerate().filter(|(_, el)| !el.is_indicator()) {
        let own: Vec<usize> = (0..m.bands.len())
            .filter(|&b| m.bands[b].nodes.as_ref().is_none_or(|ns| ns.contains(&el.code)))
            .collect();
        let refs: Vec<&crate::methodology::Band> = own.iter().map(|&b| &m.bands[b]).collect();
        debug_assert_eq!(refs.len(), band::applicable(&m.bands, &el.code).len());
        for y in 0..p.years.len() {
            for (u, &s) in p.col(y, e).iter().enumerate() {
                band_of[(y * p.columns.len() + e) * nu + u] = band::band_of(&refs, s).map(|k| own[k]);
            }
        }
    }
    Baseline {
        score: p.values.iter().map(|v| (!v.is_nan()).then_some(*v)).collect(),
        rank: r.ranks.clone(),
        band: band_of,
        coverage: r.coverage.clone(),
        imputed: r.imputed_count.clone(),
    }
}
