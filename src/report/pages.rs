//! The main page: overview, ranking, pillar heatmap, trends by region and band history.
//! The methodology and comparison sections are in [`super::methodology`] and
//! [`super::comparison`].

use super::blocks::{figure, unit_link};
use super::charts::{self, Alt, Bar, GridCell, Series};
use super::doc::{Block, Cell, Page, Table, slug};
use super::model::{ReportData, UnitLabel};
use super::rank_stats::RankInterval;
use super::{comparison, methodology};
use crate::rows::ScoreRow;

/// The main page of the report.
pub fn main_page(d: &ReportData) -> Page {
    let mut blocks = overview(d);
    blocks.extend(ranking(d));
    blocks.extend(heatmap(d));
    blocks.extend(trends(d));
    blocks.extend(band_history(d));
    blocks.extend(comparison::comparison(d));
    blocks.extend(methodology::methodology(d));
    blocks.extend(profiles(d));
    let i = &d.m.index;
    Page {
        stem: "index".into(),
        title: format!("{} {} — report", i.name, i.version),
        notice: d.fictional.clone(),
        blocks,
    }
}

fn overview(d: &ReportData) -> Vec<Block> {
    let years = match (d.years.first(), d.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => "no year".into(),
    };
    let i = &d.m.index;
    let mut out = vec![Block::Para(format!(
        "{} units, {years}, scored with the methodology {} version {} ({}; higher scores are {}). \
         Tables show scores to {} decimals; scores.csv and trends.csv from gti compute on the \
         same inputs hold them in full.",
        d.units.len(),
        i.code,
        i.version,
        i.released.as_deref().map_or("not released".to_string(), |r| format!("released {r}")),
        if matches!(i.higher_is, crate::methodology::HigherIs::Better) { "better" } else { "worse" },
        d.decimals,
    ))];
    if let Some(desc) = &i.description {
        out.push(Block::Para(desc.clone()));
    }
    out
}

fn interval<'d>(d: &'d ReportData, r: &ScoreRow) -> Option<(f64, &'d RankInterval)> {
    let iv = d.intervals.as_ref()?.iter().find(|iv| iv.unit == r.unit)?;
    Some((f64::from(r.rank?), iv))
}

/// The interval columns of the ranking table: the rank quantiles (with the median when the
/// intervals have one), and the share of runs in the band when they have it.
struct Columns {
    median: bool,
    band: bool,
}

impl Columns {
    fn of(d: &ReportData) -> Option<Columns> {
        let all = d.intervals.as_ref()?;
        Some(Columns {
            median: all.iter().any(|i| i.median.is_some()),
            band: all.iter().any(|i| i.band_probability.is_some()),
        })
    }

    fn header(&self) -> Vec<&'static str> {
        let mut h = vec!["rank 5 %"];
        h.extend(self.median.then_some("median rank"));
        h.push("rank 95 %");
        h.extend(self.band.then_some("runs in band"));
        h
    }

    fn cells(&self, iv: Option<&RankInterval>) -> Vec<Cell> {
        let q = |v: Option<f64>| Cell::Text(v.map_or("–".to_string(), |v| format!("{v}")));
        let mut out = vec![q(iv.map(|i| i.q05))];
        if self.median {
            out.push(q(iv.and_then(|i| i.median)));
        }
        out.push(q(iv.map(|i| i.q95)));
        if self.band {
            out.push(Cell::Text(iv.and_then(|i| i.band_probability).map_or("–".to_string(), |p| {
                let mark = if p < super::rank_stats::UNCERTAIN_BAND { " (uncertain band)" } else { "" };
                format!("{:.0} %{mark}", 100.0 * p)
            })));
        }
        out
    }
}

/// A unit's row of the ranking table and its bar.
fn ranking_row(d: &ReportData, r: &ScoreRow, columns: Option<&Columns>) -> (Vec<Cell>, Bar) {
    let iv = interval(d, r);
    let mut cells = vec![
        Cell::Text(r.rank.map_or("–".into(), |k| k.to_string())),
        unit_link(&r.unit),
        r.unit_name.as_str().into(),
        d.num(r.score).into(),
        d.band_cell(&r.band),
    ];
    if let Some(c) = columns {
        cells.extend(c.cells(iv.map(|i| i.1)));
    }
    let bar = Bar {
        label: d.unit(&r.unit).map_or(r.unit.clone(), UnitLabel::label),
        value: r.score.unwrap_or(0.0),
        fill: d.band_colour(&r.band).unwrap_or_else(|| super::svg::OKABE_ITO[5].into()),
        tip: format!("{}: {} ({})", r.unit, d.num(r.score), r.band),
        interval: iv.map(|(rank, i)| (rank, i.q05, i.q95)),
        uncertain_band: iv.and_then(|i| i.1.uncertain_band()),
    };
    (cells, bar)
}

fn ranking(d: &ReportData) -> Vec<Block> {
    let Some(year) = d.latest() else { return vec![] };
    let rows: Vec<&ScoreRow> = d.ranking().into_iter().filter(|r| r.score.is_some()).collect();
    let mut header = vec!["rank", "unit", "name", "score", "band"];
    let columns = Columns::of(d);
    let whiskers = columns.is_some();
    if let Some(c) = &columns {
        header.extend(c.header());
    }
    let numeric = ["rank", "score", "rank 5 %", "median rank", "rank 95 %", "runs in band"];
    let mut table = Table::new(format!("{} in {year}, by rank", d.index()), &header, &numeric);
    let mut bars = Vec::new();
    for r in &rows {
        let (cells, bar) = ranking_row(d, r, columns.as_ref());
        table.rows.push(cells);
        bars.push(bar);
    }
    let desc = format!(
        "Horizontal bars of each unit's {} score in {year}, best rank first, coloured by risk band{}. \
         The table below holds the same values.",
        d.index(),
        if whiskers {
            "; beside them, each unit's 5–95 % rank interval from the uncertainty runs, and a \
             diamond where fewer than 90 % of the runs put the unit in its band (uncertain band)"
        } else {
            ""
        }
    );
    let title = format!("Ranking, {year}");
    let range = charts::nice_range(bars.iter().map(|b| b.value));
    let svg = charts::ranking(&Alt { id: "ranking", title: &title, desc: &desc }, &bars, range, rows.len());
    vec![Block::Heading(2, title.clone()), figure("ranking", title, desc, svg, table)]
}

fn heatmap(d: &ReportData) -> Vec<Block> {
    let Some(year) = d.latest() else { return vec![] };
    if d.pillars.is_empty() {
        return vec![];
    }
    let codes: Vec<String> = d.pillars.iter().map(|p| p.0.clone()).collect();
    let mut header = vec!["unit", "name"];
    header.extend(codes.iter().map(String::as_str));
    let mut table = Table::new(format!("Pillar scores in {year}"), &header, &header[2..]);
    let (mut labels, mut cells) = (Vec::new(), Vec::new());
    for r in d.ranking() {
        let row: Vec<Option<f64>> = codes.iter().map(|c| d.score(&r.unit, year, c)).collect();
        let mut t = vec![unit_link(&r.unit), r.unit_name.as_str().into()];
        t.extend(row.iter().map(|v| Cell::Text(d.num(*v))));
        table.rows.push(t);
        labels.push(d.unit(&r.unit).map_or(r.unit.clone(), UnitLabel::label));
        cells.push(row);
    }
    let names: Vec<String> = d.pillars.iter().map(|(c, n)| format!("{c} {n}")).collect();
    let desc = format!(
        "A grid of units (rows, in rank order) by pillars (columns) in {year}; darker is lower, \
         each cell printed. Pillars: {}.",
        names.join("; ")
    );
    let title = format!("Pillars by unit, {year}");
    let range = charts::nice_range(cells.iter().flatten().flatten().copied());
    let svg =
        charts::heatmap(&Alt { id: "heatmap", title: &title, desc: &desc }, &labels, &codes, &cells, range);
    vec![Block::Heading(2, title.clone()), figure("heatmap", title, desc, svg, table)]
}

fn trends(d: &ReportData) -> Vec<Block> {
    if d.years.len() < 2 {
        return vec![];
    }
    let mut out = vec![
        Block::Heading(2, "Trends by region".into()),
        Block::Para(format!(
            "Each unit's {} score over the years, with its region's mean (black, dashed). Change is \
             first → last year; status follows the methodology's stability threshold ({} points).",
            d.index(),
            d.m.trend.stable
        )),
    ];
    let per_year = d.m.fitted_per_year();
    if !per_year.is_empty() {
        out.push(Block::Para(format!(
            "Caution: {} of {} indicators are normalised on each year's units alone (bounds = \"year\"), \
             so their levels are not comparable across years. A change below then says how a unit moved \
             among the others, not whether its situation improved.",
            per_year.len(),
            d.m.framework.indicators.len()
        )));
    }
    let mut groups: Vec<(String, Vec<&UnitLabel>)> = d.regions().into_iter().collect();
    if groups.is_empty() {
        groups.push(("All units".into(), d.units.iter().collect()));
    }
    for (region, members) in &groups {
        out.push(region_trend(d, region, members));
    }
    out
}

/// The index's first → last trend row of a unit (trends.csv).
pub fn span_row<'a>(d: &'a ReportData, unit: &str, node: &str) -> Option<&'a crate::rows::TrendRow> {
    let (a, b) = (*d.years.first()?, *d.years.last()?);
    d.bundle.trends.iter().find(|t| t.unit == unit && t.node == node && t.from_year == a && t.to_year == b)
}

/// Above this many units in a group, unit lines are drawn thin, grey and unlabelled (the
/// table names them): a hundred labels cannot be read.
const MAX_LABELLED: usize = 12;

/// At most this many latest years in the band history.
const BAND_YEARS: usize = 10;

fn region_trend(d: &ReportData, region: &str, members: &[&UnitLabel]) -> Block {
    let idx = d.index();
    let mut header: Vec<String> = vec!["unit".into(), "name".into()];
    header.extend(d.years.iter().map(|y| y.to_string()));
    header.extend(["change".into(), "status".into()]);
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(format!("{idx} by year: {region}"), &hdr, &hdr[2..hdr.len() - 1]);
    let mut series = Vec::new();
    for (k, u) in members.iter().enumerate() {
        let values: Vec<Option<f64>> = d.years.iter().map(|&y| d.score(&u.code, y, idx)).collect();
        let span = span_row(d, &u.code, idx);
        let mut row = vec![unit_link(&u.code), u.name.as_str().into()];
        row.extend(values.iter().map(|v| Cell::Text(d.num(*v))));
        row.push(Cell::Text(d.signed(span.and_then(|t| t.delta))));
        row.push(Cell::Text(span.map_or(String::new(), |t| t.status.clone())));
        table.rows.push(row);
        series.push(if members.len() <= MAX_LABELLED {
            let (color, dashed) = (charts::SERIES[k % 6].to_string(), k >= 6);
            Series { label: u.code.clone(), values, color, width: 1.5, dashed }
        } else {
            Series { label: String::new(), values, color: "#b0b0b0".into(), width: 1.0, dashed: false }
        });
    }
    if !d.bundle.regions.is_empty() {
        let values: Vec<Option<f64>> = d.years.iter().map(|&y| d.region_mean(region, y, idx)).collect();
        let mut row = vec![Cell::Text("region mean".into()), "".into()];
        row.extend(values.iter().map(|v| Cell::Text(d.num(*v))));
        table.rows.push(row.into_iter().chain(["".into(), "".into()]).collect());
        series.push(Series {
            label: "mean".into(),
            values,
            color: "#000000".into(),
            width: 3.0,
            dashed: true,
        });
    }
    let id = format!("trend-{}", slug(region));
    let title = format!("{idx} over time: {region}");
    let desc = format!("Lines of the {idx} score by year for the units of {region} and the regional mean.");
    let svg = charts::lines(&Alt { id: &id, title: &title, desc: &desc }, &d.years, &series, d.index_range());
    figure(&id, title, desc, svg, table)
}

fn band_history(d: &ReportData) -> Vec<Block> {
    if d.m.bands.is_empty() || d.years.is_empty() {
        return vec![];
    }
    let idx = d.index();
    let years = &d.years[d.years.len().saturating_sub(BAND_YEARS)..];
    let mut header: Vec<String> = vec!["unit".into()];
    header.extend(years.iter().map(|y| y.to_string()));
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(format!("{idx} band by year"), &hdr, &[]);
    let mut grid = Vec::new();
    for r in d.ranking() {
        let rows: Vec<Option<&ScoreRow>> = years.iter().map(|&y| d.score_row(&r.unit, y, idx)).collect();
        let mut cells = vec![unit_link(&r.unit)];
        cells.extend(rows.iter().map(|s| s.map_or(Cell::Text("–".into()), |s| d.band_cell(&s.band))));
        table.rows.push(cells);
        let grid_cell = |s: &&ScoreRow| {
            let fill = d.band_colour(&s.band)?;
            Some(GridCell {
                text: s.band.clone(),
                fill,
                tip: format!("{} {}: {} ({})", s.unit, s.year, s.band, d.num(s.score)),
            })
        };
        grid.push((
            d.unit(&r.unit).map_or(r.unit.clone(), UnitLabel::label),
            rows.iter().map(|s| s.as_ref().and_then(grid_cell)).collect(),
        ));
    }
    let title = format!("Band history of the {idx}");
    let desc = "A grid of units (rows, in the latest year's rank order) by years (columns), each cell \
                coloured and labelled with the unit's risk band that year (at most the last ten years)."
        .to_string();
    let svg = charts::band_grid(&Alt { id: "bands", title: &title, desc: &desc }, years, &grid);
    vec![Block::Heading(2, title.clone()), figure("bands", title, desc, svg, table)]
}

fn profiles(d: &ReportData) -> Vec<Block> {
    let links = d.units.iter().map(|u| (u.label(), format!("units/{}", slug(&u.code)))).collect();
    vec![Block::Heading(2, "Unit profiles".into()), Block::Links(links)]
}
