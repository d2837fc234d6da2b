//! JSON export: one `results.json` holding the manifest, the log and every table
//! (`scores`, `trends`, `transparency`, the data sets asked for, `uncertainty` when
//! intervals are published).

use super::{Bundle, Exporter, OutFile};
use crate::error::{Error, Result};
use serde::Serialize;

pub struct JsonExporter;

/// Pretty JSON with a final newline. serde_json writes f64 in shortest round-trip form.
pub fn pretty<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    let mut bytes =
        serde_json::to_vec_pretty(v).map_err(|e| Error::Format(format!("cannot format JSON: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[derive(Serialize)]
struct ResultsJson<'a> {
    manifest: &'a super::Manifest,
    log: &'a crate::log::RunLog,
    scores: crate::rows::Scores<'a>,
    trends: &'a [crate::rows::TrendRow],
    transparency: &'a [crate::rows::TransparencyRow],
    regions: &'a [crate::regions::RegionRow],
    region_trends: &'a [crate::regions::RegionTrendRow],
    datasets: std::collections::BTreeMap<String, &'a [super::DatasetRow]>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    weights: &'a [crate::fitted::WeightRow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    bod: &'a [crate::fitted::BodRow],
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertainty: Option<&'a [crate::sensitivity::intervals::IntervalRow]>,
}

fn results(b: &Bundle) -> Result<Vec<u8>> {
    let datasets = b.datasets.iter().map(|(n, rows)| (format!("{n:?}"), rows.as_slice())).collect();
    pretty(&ResultsJson {
        manifest: &b.manifest,
        log: &b.log,
        scores: b.scores,
        trends: &b.trends,
        transparency: &b.transparency,
        regions: &b.regions,
        region_trends: &b.region_trends,
        datasets,
        weights: &b.weights,
        bod: &b.bod,
        uncertainty: b.intervals.as_deref(),
    })
}

impl<'b> Exporter<Bundle<'b>> for JsonExporter {
    fn files<'a>(&self, b: &'a Bundle<'b>) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![OutFile::new("results.json", results(b)?)])
    }

    fn stdout(&self, b: &Bundle<'b>) -> Result<Vec<u8>> {
        results(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_that_cannot_be_formatted_is_an_output_failure() {
        // JSON object keys must be strings.
        let e = pretty(&std::collections::BTreeMap::from([((1, 2), 3)])).unwrap_err();
        assert!(matches!(e, Error::Format(_)) && e.to_string().contains("cannot format JSON"), "{e}");
        assert_eq!(e.exit_code(), 1);
    }
}
