//! `manifest.json`: what produced a set of outputs, so that a run can be reproduced and
//! checked. It holds no timestamp: two runs on the same inputs give the same bytes.

use crate::ingest::{FileKind, InputFile};
use crate::log::RunLog;
use crate::methodology::{Methodology, Override};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodologyStamp {
    pub path: String,
    pub code: String,
    pub name: String,
    pub version: String,
    pub schema: u32,
    pub sha256: String,
}

/// One input: a CSV file, or a workbook's sheet (`sha256` is then the workbook's).
#[derive(Debug, Clone, Serialize)]
pub struct InputStamp {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub kind: FileKind,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: Tool,
    pub command: String,
    pub methodology: MethodologyStamp,
    /// `gti compare`: the base methodology (`methodology` is then the candidate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_methodology: Option<MethodologyStamp>,
    pub inputs: Vec<InputStamp>,
    /// `gti audit --external`: the external indicator files (absent without them). They are
    /// compared with the results, not data of the run, so they are kept out of `inputs`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<InputStamp>,
    pub overrides: Vec<Override>,
    pub seed: Option<u64>,
    pub units: usize,
    pub years: Vec<i32>,
    pub warnings: Vec<String>,
    /// Nodes whose children's weights were fitted from the data (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fitted_weights: Vec<crate::fitted::FittedStamp>,
    /// Robust BoD nodes: the draws and their seed (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub robust_bod: Vec<crate::fitted::RobustStamp>,
    /// Public outputs only: the disclosure rules applied (its presence marks the manifest as
    /// public; internal manifests have no such key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<crate::disclosure::Disclosure>,
    /// `gti compute --uncertainty` or `--sensitivity`: where the published intervals came
    /// from (absent without them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<crate::sensitivity::intervals::IntervalStamp>,
    /// `"internal"` on an internal archive (`gti release --include-responses`), which holds
    /// the answers; absent otherwise, so that no other manifest changes.
    #[serde(skip_serializing_if = "Audience::is_public")]
    pub audience: Audience,
}

/// Who an output is for. Only an internal archive says so in its manifest and `release.json`:
/// every other output's kind follows from its command (docs/respondent-safety.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// What the command's kind says (the default: the key is then not written).
    #[default]
    Public,
    /// Holds respondents' answers, under pseudonyms: not for publication.
    Internal,
}

/// The mark an internal archive carries first: its README's first line and its workbook's
/// *Read me*.
pub const INTERNAL_MARK: &str = "INTERNAL — contains respondents' answers; not for publication";

impl Audience {
    pub fn is_public(&self) -> bool {
        *self == Audience::Public
    }

    /// [`INTERNAL_MARK`] for an internal output, nothing otherwise.
    pub fn mark(&self) -> Option<&'static str> {
        (*self == Audience::Internal).then_some(INTERNAL_MARK)
    }
}

/// Paths are written with `/` whatever the platform, so manifests compare across machines.
fn portable(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

impl Manifest {
    /// Identifies a methodology: path, code, name, version, schema, SHA-256.
    pub fn stamp(m: &Methodology) -> MethodologyStamp {
        MethodologyStamp {
            path: portable(&m.provenance.path),
            code: m.index.code.to_string(),
            name: m.index.name.clone(),
            version: m.index.version.clone(),
            schema: 1,
            sha256: m.provenance.sha256.clone(),
        }
    }

    /// Identifies files read: path, sheet, kind, SHA-256.
    pub fn input_stamps(files: &[InputFile]) -> Vec<InputStamp> {
        files
            .iter()
            .map(|f| InputStamp {
                path: portable(&f.path),
                sheet: f.sheet.as_ref().map(|s| s.name.clone()),
                kind: f.kind,
                sha256: f.sha256.clone(),
            })
            .collect()
    }

    pub fn new(
        command: &str,
        m: &Methodology,
        inputs: &[InputFile],
        units: usize,
        years: Vec<i32>,
        log: &RunLog,
    ) -> Manifest {
        Manifest {
            tool: Tool { name: "gti", version: env!("CARGO_PKG_VERSION") },
            command: command.to_string(),
            methodology: Self::stamp(m),
            base_methodology: None,
            inputs: Self::input_stamps(inputs),
            external: Vec::new(),
            overrides: m.provenance.overrides.clone(),
            seed: None,
            units,
            years,
            warnings: log.findings.iter().map(|f| f.to_string()).collect(),
            fitted_weights: Vec::new(),
            robust_bod: crate::fitted::robust_stamps(m),
            disclosure: None,
            uncertainty: None,
            audience: Audience::Public,
        }
    }
}
