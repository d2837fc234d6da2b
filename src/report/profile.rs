//! One page per unit: its pillar profile against its region's and the overall means, its
//! trend, its changes (trends.csv), coverage and transparency, imputed or treated points, and
//! the respondents behind its expert items.

use super::blocks::figure;
use super::charts::{self, Alt, DotRow, Series};
use super::doc::{Block, Cell, Page, Table, slug};
use super::model::{ReportData, UnitLabel};
use crate::stages::DatasetName;

/// The profile page of unit `u`.
pub fn page(d: &ReportData, u: &UnitLabel) -> Page {
    let mut blocks = vec![Block::Links(vec![("← the full report".into(), "index".into())])];
    blocks.extend(summary(d, u));
    blocks.extend(pillars(d, u));
    blocks.extend(trend(d, u));
    blocks.extend(changes(d, u));
    blocks.extend(coverage(d, u));
    blocks.extend(flagged(d, u));
    blocks.extend(expert(d, u));
    Page {
        stem: format!("units/{}", slug(&u.code)),
        title: format!("{} — {} profile", u.label(), d.index()),
        notice: d.fictional.as_ref().map(|n| format!("{} is a fictional unit. {n}", u.label())),
        blocks,
    }
}

fn summary(d: &ReportData, u: &UnitLabel) -> Vec<Block> {
    let Some(year) = d.latest() else { return vec![] };
    let n = d.ranking().iter().filter(|r| r.rank.is_some()).count();
    let text = match d.score_row(&u.code, year, d.index()) {
        Some(r) if r.score.is_some() => format!(
            "In {year}, {} scores {} on the {}: rank {} of {n}, band {}{}.",
            u.label(),
            d.num(r.score),
            d.index(),
            r.rank.map_or("–".into(), |k| k.to_string()),
            if r.band.is_empty() { "none" } else { &r.band },
            u.region.as_ref().map_or(String::new(), |g| format!("; region {g}"))
        ),
        _ => format!("In {year}, {} has no {} score.", u.label(), d.index()),
    };
    vec![Block::Para(text)]
}

fn pillars(d: &ReportData, u: &UnitLabel) -> Vec<Block> {
    let Some(year) = d.latest() else { return vec![] };
    let region = u.region.as_deref();
    let header = ["pillar", "name", "score", "rank", "band", "region mean", "overall mean"];
    let mut t =
        Table::new(format!("Pillars in {year}"), &header, &["score", "rank", "region mean", "overall mean"]);
    let mut rows = Vec::new();
    for (code, name) in &d.pillars {
        let r = d.score_row(&u.code, year, code);
        let reg = region.and_then(|g| d.region_mean(g, year, code));
        let all = d.overall.get(&(year, code.clone())).copied();
        let score = r.and_then(|r| r.score);
        t.rows.push(vec![
            code.as_str().into(),
            name.as_str().into(),
            d.num(score).into(),
            r.and_then(|r| r.rank).map_or("–".to_string(), |k| k.to_string()).into(),
            r.map_or(Cell::Text(String::new()), |r| d.band_cell(&r.band)),
            d.num(reg).into(),
            d.num(all).into(),
        ]);
        rows.push(DotRow { label: short(code, name), unit: score, region: reg, overall: all });
    }
    let id = format!("{}-pillars", slug(&u.code));
    let title = format!("Pillar profile of {}, {year}", u.code);
    let desc = format!(
        "For each pillar, {}'s score (blue circle), the mean of its region (vermillion diamond) and \
         the mean of all units (grey ring).",
        u.code
    );
    let svg = charts::dots(
        &Alt { id: &id, title: &title, desc: &desc },
        &rows,
        [&u.code, "region mean", "overall mean"],
        "",
    );
    vec![Block::Heading(2, "Pillar profile".into()), figure(&id, title, desc, svg, t)]
}

/// "P1 Political commitment…": the code and the start of the name, for chart labels.
fn short(code: &str, name: &str) -> String {
    let words: String = name.chars().take(24).collect();
    let more = if name.chars().count() > 24 { "…" } else { "" };
    format!("{code} {}{more}", words.trim_end())
}

fn trend(d: &ReportData, u: &UnitLabel) -> Vec<Block> {
    if d.years.len() < 2 {
        return vec![];
    }
    let idx = d.index();
    let own: Vec<Option<f64>> = d.years.iter().map(|&y| d.score(&u.code, y, idx)).collect();
    let reg: Vec<Option<f64>> =
        d.years.iter().map(|&y| u.region.as_deref().and_then(|g| d.region_mean(g, y, idx))).collect();
    let all: Vec<Option<f64>> =
        d.years.iter().map(|&y| d.overall.get(&(y, idx.to_string())).copied()).collect();
    let header = ["year", "score", "rank", "band", "region mean", "overall mean"];
    let mut t =
        Table::new(format!("{idx} by year"), &header, &["score", "rank", "region mean", "overall mean"]);
    for (k, &y) in d.years.iter().enumerate() {
        let r = d.score_row(&u.code, y, idx);
        t.rows.push(vec![
            y.to_string().into(),
            d.num(own[k]).into(),
            r.and_then(|r| r.rank).map_or("–".to_string(), |k| k.to_string()).into(),
            r.map_or(Cell::Text(String::new()), |r| d.band_cell(&r.band)),
            d.num(reg[k]).into(),
            d.num(all[k]).into(),
        ]);
    }
    let line = |label: &str, values, color: &str, dashed| Series {
        label: label.into(),
        values,
        color: color.into(),
        width: 2.5,
        dashed,
    };
    let series = vec![
        line(&u.code, own, super::svg::OKABE_ITO[5], false),
        line("region mean", reg, super::svg::OKABE_ITO[6], true),
        line("overall mean", all, super::svg::GREY, true),
    ];
    let id = format!("{}-trend", slug(&u.code));
    let title = format!("{idx} of {} over time", u.code);
    let desc = format!("Lines of {}'s {idx} score by year, its region's mean and the overall mean.", u.code);
    let svg = charts::lines(&Alt { id: &id, title: &title, desc: &desc }, &d.years, &series, d.index_range());
    vec![Block::Heading(2, "Trend".into()), figure(&id, title, desc, svg, t)]
}

fn changes(d: &ReportData, u: &UnitLabel) -> Vec<Block> {
    let rows: Vec<_> = d.bundle.trends.iter().filter(|t| t.unit == u.code).collect();
    if rows.is_empty() {
        return vec![];
    }
    let header = ["node", "from", "to", "score from", "score to", "delta", "rank change", "status"];
    let mut t = Table::new("Changes between years (trends.csv)", &header, &header[1..7]);
    for r in rows {
        t.rows.push(vec![
            r.node.as_str().into(),
            r.from_year.to_string().into(),
            r.to_year.to_string().into(),
            d.num(r.score_from).into(),
            d.num(r.score_to).into(),
            d.signed(r.delta).into(),
            r.rank_change.map_or("–".to_string(), |v| format!("{v:+}")).into(),
            r.status.as_str().into(),
        ]);
    }
    vec![Block::Heading(2, "Changes".into()), Block::Table(t)]
}

fn coverage(d: &ReportData, u: &UnitLabel) -> Vec<Block> {
    let Some(year) = d.latest() else { return vec![] };
    let header = ["node", "coverage", "imputed indicators", "expert items answered", "share answered"];
    let mut t = Table::new(
        format!("Coverage and transparency in {year} (coverage: share of indicator weight observed)"),
        &header,
        &header[1..],
    );
    let nodes = d.m.framework.elements.iter().filter(|e| !e.is_indicator());
    for e in nodes {
        let Some(r) = d.score_row(&u.code, year, e.code.as_str()) else { continue };
        let tr =
            d.bundle.transparency.iter().find(|t| t.unit == u.code && t.year == year && t.node == r.node);
        t.rows.push(vec![
            r.node.as_str().into(),
            format!("{:.0} %", 100.0 * r.coverage).into(),
            r.imputed.to_string().into(),
            tr.map_or("–".to_string(), |t| format!("{} of {}", t.answered, t.items)).into(),
            tr.map_or("–".to_string(), |t| format!("{:.0} %", 100.0 * t.share_count)).into(),
        ]);
    }
    vec![Block::Heading(2, "Coverage and transparency".into()), Block::Table(t)]
}

fn flagged(d: &ReportData, u: &UnitLabel) -> Vec<Block> {
    let Some((_, rows)) = d.bundle.datasets.iter().find(|(n, _)| *n == DatasetName::Normalised) else {
        return vec![];
    };
    let header = ["year", "indicator", "normalised value", "flag"];
    let mut t = Table::new("Imputed or treated points", &header, &["normalised value"]);
    for r in rows.iter().filter(|r| r.unit == u.code && !r.flag.is_empty() && r.flag != "screened") {
        t.rows.push(vec![
            r.year.to_string().into(),
            r.code.as_str().into(),
            d.num(r.value).into(),
            r.flag.as_str().into(),
        ]);
    }
    let mut out = vec![Block::Heading(2, "Imputed or treated points".into())];
    if t.rows.is_empty() {
        out.push(Block::Para("None: every value used was observed and untreated.".into()));
    } else {
        out.push(Block::Table(t));
    }
    out
}

fn expert(d: &ReportData, u: &UnitLabel) -> Vec<Block> {
    let items: Vec<&str> =
        d.m.framework
            .indicators
            .iter()
            .map(|&i| d.m.element(i))
            .filter(|e| e.indicator().is_some_and(|s| s.source == crate::methodology::Source::Expert))
            .map(|e| e.code.as_str())
            .collect();
    let has = |item: &str| {
        d.years.iter().any(|&y| d.score_row(&u.code, y, item).is_some_and(|r| r.respondents.is_some()))
    };
    if !items.iter().any(|i| has(i)) {
        return vec![];
    }
    let mut header: Vec<String> = vec!["item".into()];
    header.extend(d.years.iter().map(|y| format!("{y}: respondents (sd)")));
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new("Expert items: answers used and their standard deviation", &hdr, &hdr[1..]);
    for item in items {
        let mut row = vec![Cell::Text(item.to_string())];
        for &y in &d.years {
            let r = d.score_row(&u.code, y, item);
            let text = match r.and_then(|r| Some((r.respondents?, r.agreement))) {
                Some((n, Some(sd))) => format!("{n} ({sd:.2})"),
                Some((n, None)) => n.to_string(),
                None => "–".into(),
            };
            row.push(Cell::Text(text));
        }
        t.rows.push(row);
    }
    let mut out = vec![Block::Heading(2, "Respondents".into()), Block::Table(t)];
    if let Some(rules) = d.bundle.manifest.disclosure {
        // A public report (`--public`): say why some cells are bands and some sds missing.
        let (band, min) = (rules.count_band, rules.min_respondents.max(crate::disclosure::SPREAD_FLOOR));
        out.push(Block::Para(format!(
            "In this public report, counts below {band} are shown as <{band} and the standard deviation \
             only for items with at least {min} answers, so that no respondent's answer can be worked \
             out from them."
        )));
    }
    out
}
