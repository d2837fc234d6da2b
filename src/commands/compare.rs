//! `gti compare`: a base methodology against a candidate (`--candidate FILE`, or the base
//! with `--set` what-ifs) on the same data. Writes `compare.csv`, the committee summary
//! `compare.md` and `manifest.json`.

use super::{Progress, resolve_inputs};
use crate::cli::CompareArgs;
use crate::compare::{Comparison, DecompositionRow, decompose, effective_weights, pair_rows, score_map};
use crate::error::{Error, Result};
use crate::ingest;
use crate::methodology::Methodology;
use crate::methodology::diff::{diff, flatten};
use crate::methodology::overrides;
use crate::output::csv::{f, n, table};
use crate::output::{Manifest, OutFile, compare_md, fmt_f64, json, write_all};
use crate::rows::score_rows;
use crate::stages;
use std::io::Write;
use std::path::Path;

fn flat_text(
    path: &Path,
    sets: &[crate::methodology::Override],
) -> Result<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let edited = overrides::apply(path, &text, sets)?;
    flatten(&edited).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))
}

pub fn run(args: &CompareArgs) -> Result<()> {
    if let (Some(edition), Some(old)) = (&args.edition, &args.edition_methodology) {
        return run_edition(args, edition, old);
    }
    if args.candidate.is_none() && args.input.set.is_empty() {
        return Err(Error::Usage(
            "give a candidate methodology with --candidate FILE, or what-ifs with --set".into(),
        ));
    }
    let progress = Progress::new(args.quiet || args.output == Path::new("-"));
    let (base_path, data) = resolve_inputs(&args.input)?;
    let cand_path = args.candidate.clone().unwrap_or_else(|| base_path.clone());
    progress.stage("reading the methodologies");
    let base = Methodology::load(&base_path, &[])?;
    let cand = Methodology::load(&cand_path, &args.input.set)?;
    progress.stage("reading the data");
    let raw = ingest::read_all(&data)?;
    progress.stage("computing both");
    let (rb, rc) = (stages::run(&base, &raw)?, stages::run(&cand, &raw)?);
    let comparison = Comparison {
        base_version: format!("{} {}", base.index.code, base.index.version),
        candidate_version: format!(
            "{} {}{}",
            cand.index.code,
            cand.index.version,
            if args.input.set.is_empty() { "" } else { " with --set" }
        ),
        index: base.index.code.to_string(),
        rows: pair_rows(
            &score_rows(&base, &rb, raw.units.as_ref()),
            &score_rows(&cand, &rc, raw.units.as_ref()),
        ),
        weights: effective_weights(&base, &cand),
        keys: diff(&flat_text(&base_path, &[])?, &flat_text(&cand_path, &args.input.set)?),
    };
    let table = compare_csv(&comparison)?;
    progress.finish();
    if args.output == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return out.write_all(&table).map_err(|e| Error::io(Path::new("-"), e));
    }
    let p = &rc.datasets.aggregated;
    let mut manifest = Manifest::new("compare", &cand, &raw.files, p.units.len(), p.years.clone(), &rc.log);
    manifest.base_methodology = Some(Manifest::stamp(&base));
    let files = vec![
        OutFile::new("compare.csv", table),
        OutFile::new("compare.md", compare_md::render(&comparison).into_bytes()),
        OutFile::new("manifest.json", json::pretty(&manifest)?),
    ];
    for w in write_all(&args.output, &files)? {
        if !args.quiet {
            eprintln!("wrote {}", w.display());
        }
    }
    Ok(())
}

/// `--edition`: back-casts the edition's years under today's methodology and decomposes
/// each published value's change (see `compare::decompose`).
fn run_edition(args: &CompareArgs, edition: &Path, old_path: &Path) -> Result<()> {
    let progress = Progress::new(args.quiet || args.output == Path::new("-"));
    let (now_path, data) = resolve_inputs(&args.input)?;
    let now = Methodology::load(&now_path, &args.input.set)?;
    let old = Methodology::load(old_path, &[])?;
    let raw = ingest::read_all(&data)?;
    let published: Vec<(String, i32, String, f64)> = super::verify::read_published(edition)?
        .into_iter()
        .filter_map(|p| Some((p.unit, p.year, p.node, p.score?)))
        .collect();
    progress.stage("computing under both methodologies");
    let (r_old, r_now) = (stages::run(&old, &raw)?, stages::run(&now, &raw)?);
    progress.finish();
    let latest = *r_now
        .datasets
        .aggregated
        .years
        .last()
        .ok_or_else(|| Error::Usage("the data hold no year".into()))?;
    let rows = decompose(
        &published,
        &score_map(&score_rows(&old, &r_old, raw.units.as_ref())),
        &score_map(&score_rows(&now, &r_now, raw.units.as_ref())),
        latest,
    );
    let table = decomposition_csv(&rows)?;
    if args.output == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return out.write_all(&table).map_err(|e| Error::io(Path::new("-"), e));
    }
    let p = &r_now.datasets.aggregated;
    let mut manifest =
        Manifest::new("compare --edition", &now, &raw.files, p.units.len(), p.years.clone(), &r_now.log);
    manifest.base_methodology = Some(Manifest::stamp(&old));
    let files = vec![
        OutFile::new("decomposition.csv", table),
        OutFile::new("manifest.json", json::pretty(&manifest)?),
    ];
    for w in write_all(&args.output, &files)? {
        if !args.quiet {
            eprintln!("wrote {}", w.display());
        }
    }
    Ok(())
}

fn decomposition_csv(rows: &[DecompositionRow]) -> Result<Vec<u8>> {
    let header = [
        "unit",
        "node",
        "edition_year",
        "latest_year",
        "published",
        "edition_methodology_now",
        "backcast",
        "latest",
        "data_revision",
        "methodology_change",
        "real_change",
        "total",
    ];
    table(
        &header,
        rows.iter().map(|r| {
            vec![
                r.unit.clone(),
                r.node.clone(),
                r.edition_year.to_string(),
                r.latest_year.to_string(),
                fmt_f64(r.published),
                f(r.edition_methodology_now),
                f(r.backcast),
                f(r.latest),
                f(r.data_revision),
                f(r.methodology_change),
                f(r.real_change),
                f(r.total),
            ]
        }),
    )
}

fn compare_csv(c: &Comparison) -> Result<Vec<u8>> {
    let header = [
        "unit",
        "year",
        "node",
        "score_base",
        "score_candidate",
        "delta",
        "rank_base",
        "rank_candidate",
        "rank_change",
        "band_base",
        "band_candidate",
    ];
    table(
        &header,
        c.rows.iter().map(|r| {
            vec![
                r.unit.clone(),
                r.year.to_string(),
                r.node.clone(),
                f(r.score_base),
                f(r.score_candidate),
                f(r.delta),
                n(r.rank_base),
                n(r.rank_candidate),
                n(r.rank_change),
                r.band_base.clone(),
                r.band_candidate.clone(),
            ]
        }),
    )
}
