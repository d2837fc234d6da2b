//! [`Bundle`]: everything `gti compute` exports (and the report reads), built once from a
//! run; exporters format it.

use super::Manifest;
use crate::ingest::RawData;
use crate::log::RunLog;
use crate::methodology::Methodology;
use crate::regions::{RegionRow, RegionTrendRow, region_rows, region_trends};
use crate::rows::{
    DatasetRow, Scores, TransparencyRow, TrendRow, dataset_rows, dropped, transparency_rows, trend_rows,
};
use crate::stages::{DatasetName, Results};
use serde::Serialize;

/// Everything a run exports, already computed.
#[derive(Debug, Clone, Serialize)]
pub struct Bundle<'a> {
    pub manifest: Manifest,
    pub log: RunLog,
    /// Produced row by row as they are written (millions of rows at scale).
    pub scores: Scores<'a>,
    pub trends: Vec<TrendRow>,
    /// Empty when the methodology has no expert indicator.
    pub transparency: Vec<TransparencyRow>,
    /// Regional means (units.csv has a `region` column); empty otherwise.
    pub regions: Vec<RegionRow>,
    pub region_trends: Vec<RegionTrendRow>,
    pub datasets: Vec<(DatasetName, Vec<DatasetRow>)>,
    /// `weights.csv`: the fitted weights (empty when every node's weights are declared).
    pub weights: Vec<crate::fitted::WeightRow>,
    /// `bod.csv`: BoD's per-unit weights (empty without a `bod` node).
    pub bod: Vec<crate::fitted::BodRow>,
    /// `uncertainty.csv`: intervals published with the scores (`--uncertainty`,
    /// `--sensitivity`); `None` without them. Set with [`Bundle::with_intervals`].
    pub intervals: Option<Vec<crate::sensitivity::intervals::IntervalRow>>,
}

impl<'a> Bundle<'a> {
    /// Builds every output table from a run; `command` names it in the manifest.
    pub fn new(
        command: &str,
        m: &'a Methodology,
        raw: &'a RawData,
        r: &'a Results,
        datasets: &[DatasetName],
    ) -> Bundle<'a> {
        let p = &r.datasets.aggregated;
        let mut manifest = Manifest::new(command, m, &raw.files, r.units_kept(), p.years.clone(), &r.log);
        manifest.fitted_weights = crate::fitted::fitted_stamps(m, r);
        let regions = region_rows(m, r, raw.units.as_ref());
        // Most runs screen nothing: then skip the per-row lookups (linear in the units).
        let screening = r.screened.contains(&true);
        let mut names = datasets.to_vec();
        names.sort();
        names.dedup();
        Bundle {
            manifest,
            log: r.log.clone(),
            scores: Scores::new(m, r, raw.units.as_ref()),
            trends: trend_rows(m, r)
                .into_iter()
                .filter(|t| {
                    !screening || (!dropped(r, &t.unit, t.from_year) && !dropped(r, &t.unit, t.to_year))
                })
                .collect(),
            transparency: transparency_rows(m, r)
                .into_iter()
                .filter(|t| !screening || !dropped(r, &t.unit, t.year))
                .collect(),
            regions: regions.clone(),
            region_trends: region_trends(m, &regions, &p.years),
            datasets: names.into_iter().map(|n| (n, dataset_rows(r, n))).collect(),
            weights: crate::fitted::weight_rows(m, r),
            bod: crate::fitted::bod_rows(m, r),
            intervals: None,
        }
    }

    /// The bundle with intervals published beside the scores, their origin in the manifest
    /// (and its seed).
    pub fn with_intervals(mut self, i: crate::sensitivity::intervals::Intervals) -> Bundle<'a> {
        self.manifest.seed = Some(i.stamp.seed);
        self.manifest.uncertainty = Some(i.stamp);
        self.intervals = Some(i.rows);
        self
    }
}
