//! `gti release`: a versioned, self-verifying package of an edition (docs/release.md), as
//! V-Dem, EPI and UNDP publish theirs.
//!
//! A package is a public output (docs/respondent-safety.md): its scores are the run's public
//! form ([`crate::disclosure::publish`]) and its expert data are the items' *combined* values
//! ([`crate::disclosure::combined_values`], `data/expert_combined.csv`), never the response
//! files. The methodology is copied as written: gti reads a statistical value given for an
//! expert item as that item's combined value (`stages::expert`), so the package's own
//! methodology and data recompute the published scores (`gti verify --release`, [`check`]).
//!
//! Layout ([`build`]): `scores.csv` and the other public tables, `results.xlsx`,
//! `manifest.json`, `methodology/` (the file and `CHANGELOG.md`), `data/` (the statistical and
//! units files as given, and `expert_combined.csv`), the data dictionary, `WHATS-NEW.md`,
//! `CITATION.cff`, `README.md`, `release.json` (what [`check`] needs), `SHA256SUMS` (every file
//! but itself and the zip) and `<CODE>-<edition>.zip` (all of it, [`pack::zip`]). Nothing in
//! it depends on the time or on where it is written: two runs give the same bytes.
//!
//! An **internal archive** (`--include-responses`, [`Options::responses`]) holds the same
//! files and `data/responses.csv`, every answer with each respondent under a keyed-hash
//! pseudonym ([`pseudonym`], [`responses`]); its README, `manifest.json` and `release.json`
//! say `internal`, and `verify --release` also re-combines its answers. Without the option
//! the package is byte for byte what it was before the option existed.

pub mod check;
pub mod dictionary;
pub mod news;
pub mod pack;
pub mod pseudonym;
pub mod responses;
pub mod texts;

use crate::disclosure;
use crate::error::{Error, Result};
use crate::ingest::{FileKind, RawData};
use crate::methodology::Methodology;
use crate::output::manifest::{Audience, InputStamp};
use crate::output::{Bundle, Exporter, csv::CsvExporter, json::pretty, xlsx::XlsxExporter};
use crate::rows::DatasetRow;
use crate::stages::Results;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file in the package that holds the expert items' combined values.
pub const COMBINED: &str = "data/expert_combined.csv";
/// The package's description of itself, read by `gti verify --release`.
pub const META: &str = "release.json";
/// The hashes of every file but itself and the zip.
pub const SUMS: &str = "SHA256SUMS";

/// One file of a package: its path inside the package (`/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl PackageFile {
    fn new(name: impl Into<String>, bytes: Vec<u8>) -> PackageFile {
        PackageFile { name: name.into(), bytes }
    }
}

/// `release.json`: what the package is and which of its files to recompute from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The layout's version (1).
    pub package: u32,
    pub index: String,
    pub edition: String,
    pub methodology_version: String,
    /// The methodology file, relative to the package.
    pub methodology: String,
    /// The data files, relative to the package, in the order they are read.
    pub data: Vec<String>,
    /// The published tables recomputed and compared value by value.
    pub scores: String,
    /// The largest accepted |recomputed − published| score.
    pub tolerance: f64,
    /// `internal` for an archive with the answers (`--include-responses`); absent (public)
    /// otherwise, so that a public package's bytes do not depend on the option existing.
    #[serde(default, skip_serializing_if = "Audience::is_public")]
    pub audience: Audience,
    /// An internal archive's answers ([`responses::RESPONSES`]), which `verify --release`
    /// re-combines and compares with [`COMBINED`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responses: Option<String>,
}

/// The tolerance `gti verify --release` compares scores with: none. The combined values are
/// written in shortest round-trip form, so the package recomputes the very same doubles.
pub const TOLERANCE: f64 = 0.0;

/// What `gti release` is asked for.
pub struct Options<'a> {
    pub edition: &'a str,
    /// An earlier package, for `WHATS-NEW.md`.
    pub previous: Option<&'a Path>,
    /// `--include-responses --key-file`: an internal archive, the answers under pseudonyms
    /// made with this key.
    pub responses: Option<&'a pseudonym::Key>,
}

/// Checks an edition name: it names files, so letters, digits, `.`, `-` and `_` only.
///
/// # Errors
/// A usage error naming the edition.
pub fn check_edition(edition: &str) -> Result<()> {
    let ok = !edition.is_empty()
        && edition.len() <= 64
        && edition.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && !edition.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "--edition '{edition}': an edition names files, so use letters, digits, '.', '-' and '_' (e.g. 2026)"
        )))
    }
}

/// The name of the package's zip: `<CODE>-<edition>.zip`.
pub fn zip_name(code: &str, edition: &str) -> String {
    format!("{code}-{edition}.zip")
}

/// Every file of the package, sorted by name, the zip last. `m`, `raw` and `r` are the run
/// (from the answers); `r` must keep the `Raw` data set (`stages::run`).
///
/// # Errors
/// A methodology with `--set` overrides, a response file's item valued from one answer
/// ([`disclosure::combined_values`]), two data files of one name, unreadable inputs, a
/// previous package that cannot be read; for an internal archive, data without answers, two
/// respondents with one pseudonym, or the key found in a file of the package.
pub fn build(m: &Methodology, raw: &RawData, r: &Results, opts: &Options) -> Result<Vec<PackageFile>> {
    check_edition(opts.edition)?;
    if !m.provenance.overrides.is_empty() {
        return Err(Error::Usage(
            "a release publishes the methodology file as written: write the --set changes into it \
             (gti methodology freeze) and release that file"
                .into(),
        ));
    }
    let (mut data, mut inputs) = data_files(m, raw, &disclosure::combined_values(m, r)?)?;
    let answers = match opts.responses {
        Some(key) => Some(answers(raw, key, &m.input, &data, &mut inputs)?),
        None => None,
    };
    let mut bundle = disclosure::publish(Bundle::new("release", m, raw, r, &[]), m, r)?;
    // The manifest names what the package holds: its data files, never the response files
    // as given (an internal archive's answers are its own file, pseudonymous).
    bundle.manifest.inputs = inputs;
    let audience = if answers.is_some() { Audience::Internal } else { Audience::Public };
    bundle.manifest.audience = audience;
    let mut files = Vec::new();
    for f in CsvExporter.files(&bundle)? {
        files.push(PackageFile::new(f.name.clone(), f.bytes()?));
    }
    for f in XlsxExporter.files(&bundle)? {
        if f.name.ends_with(".xlsx") {
            files.push(PackageFile::new(f.name.clone(), f.bytes()?));
        }
    }
    let mpath = format!("methodology/{}", file_name(&m.provenance.path)?);
    let text = read(&m.provenance.path)?;
    files.push(PackageFile::new(mpath.clone(), text));
    let meta = Meta {
        package: 1,
        index: m.index.code.to_string(),
        edition: opts.edition.to_string(),
        methodology_version: m.index.version.clone(),
        methodology: mpath,
        data: data.iter().map(|f| f.name.clone()).collect(),
        scores: "scores.csv".into(),
        tolerance: TOLERANCE,
        audience,
        responses: answers.as_ref().map(|f| f.name.clone()),
    };
    data.extend(answers);
    files.extend(data);
    let news = match opts.previous {
        Some(dir) => news::against(dir, m, opts.edition, &files)?,
        None => news::first(m, opts.edition),
    };
    files.push(PackageFile::new("WHATS-NEW.md", news.into_bytes()));
    files.push(PackageFile::new(META, pretty(&meta)?));
    files.extend(derived(m, &meta, &files)?);
    if let Some(key) = opts.responses {
        key_absent(key, &files)?;
    }
    seal(&meta, files)
}

/// The pseudonym key is in no file of the package (the zip holds the same files): a key file
/// given as data, or pasted into the methodology, would let any holder of the archive compute
/// the pseudonyms of likely respondent ids.
fn key_absent(key: &pseudonym::Key, files: &[PackageFile]) -> Result<()> {
    let k = key.bytes();
    match files.iter().find(|f| f.bytes.windows(k.len()).any(|w| w == k)) {
        Some(f) => Err(Error::Usage(format!(
            "{}: holds the pseudonym key (--key-file); keep the key out of the methodology and the data",
            f.name
        ))),
        None => Ok(()),
    }
}

/// The files made from the others and the methodology alone, which `verify --release`
/// makes again and compares byte for byte: the methodology's changelog, the data dictionary,
/// `CITATION.cff` and `README.md`.
pub fn derived(m: &Methodology, meta: &Meta, files: &[PackageFile]) -> Result<Vec<PackageFile>> {
    let mut names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    names.extend(DERIVED.iter().map(|s| s.to_string()));
    names.push(SUMS.into());
    names.push(zip_name(&meta.index, &meta.edition));
    names.sort();
    let (columns, indicators, md) = dictionary::dictionary(m, files, &names)?;
    Ok(vec![
        PackageFile::new(DERIVED[0], texts::changelog(m).into_bytes()),
        PackageFile::new(DERIVED[1], texts::citation(m, &meta.edition).into_bytes()),
        PackageFile::new(DERIVED[2], texts::readme(m, meta, &names).into_bytes()),
        PackageFile::new(DERIVED[3], columns),
        PackageFile::new(DERIVED[4], indicators),
        PackageFile::new(DERIVED[5], md.into_bytes()),
    ])
}

/// The files [`derived`] makes.
pub const DERIVED: [&str; 6] = [
    "methodology/CHANGELOG.md",
    "CITATION.cff",
    "README.md",
    dictionary::COLUMNS,
    dictionary::INDICATORS,
    dictionary::MARKDOWN,
];

/// Sorts the files, adds `SHA256SUMS` and the zip of them all.
fn seal(meta: &Meta, mut files: Vec<PackageFile>) -> Result<Vec<PackageFile>> {
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.push(PackageFile::new(SUMS, pack::sums(&files).into_bytes()));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let zip = pack::zip(&format!("{}-{}", meta.index, meta.edition), &files)?;
    files.push(PackageFile::new(zip_name(&meta.index, &meta.edition), zip));
    Ok(files)
}

/// The data files of the package: every statistical and units file as given (under `data/`,
/// by file name), then the combined expert values; and their manifest stamps.
fn data_files(
    m: &Methodology,
    raw: &RawData,
    combined: &[DatasetRow],
) -> Result<(Vec<PackageFile>, Vec<InputStamp>)> {
    let mut files: Vec<PackageFile> = Vec::new();
    let mut stamps = Vec::new();
    let mut seen: Vec<&Path> = Vec::new();
    for f in raw.files.iter().filter(|f| f.kind != FileKind::Responses) {
        // A workbook is one file whatever the number of its sheets read.
        if seen.contains(&f.path.as_path()) {
            continue;
        }
        seen.push(&f.path);
        let name = format!("data/{}", file_name(&f.path)?);
        if name == COMBINED || files.iter().any(|g| g.name == name) {
            return Err(Error::Usage(format!(
                "{}: a release holds its data files by file name, and {name} is taken; rename one of the files",
                f.path.display()
            )));
        }
        let bytes = read(&f.path)?;
        let sha256 = crate::hash::sha256_hex(&bytes);
        stamps.push(InputStamp { path: name.clone(), sheet: None, kind: f.kind, sha256 });
        files.push(PackageFile::new(name, bytes));
    }
    let has_expert =
        m.framework.indicators.iter().any(|&id| {
            m.element(id).indicator().is_some_and(|s| s.source == crate::methodology::Source::Expert)
        });
    if has_expert || !combined.is_empty() {
        let bytes = combined_csv(combined, &m.input)?;
        let sha256 = crate::hash::sha256_hex(&bytes);
        stamps.push(InputStamp { path: COMBINED.into(), sheet: None, kind: FileKind::Long, sha256 });
        files.push(PackageFile::new(COMBINED, bytes));
    }
    Ok((files, stamps))
}

/// An internal archive's answers ([`responses::RESPONSES`]), stamped in the manifest.
fn answers(
    raw: &RawData,
    key: &pseudonym::Key,
    input: &crate::ingest::Conventions,
    data: &[PackageFile],
    stamps: &mut Vec<InputStamp>,
) -> Result<PackageFile> {
    let name = responses::RESPONSES;
    if data.iter().any(|f| f.name == name) {
        return Err(Error::Usage(format!(
            "{name}: an internal archive holds the answers under this name, and a data file has it; rename the file"
        )));
    }
    if raw.responses.is_empty() {
        return Err(Error::Usage(
            "--include-responses: the data hold no expert-response file, so there are no answers to archive"
                .into(),
        ));
    }
    let bytes = responses::responses_csv(raw, key, input)?;
    let sha256 = crate::hash::sha256_hex(&bytes);
    stamps.push(InputStamp { path: name.into(), sheet: None, kind: FileKind::Responses, sha256 });
    Ok(PackageFile::new(name, bytes))
}

/// `unit,year,indicator,value`: a long statistical file gti reads back, written in the
/// methodology's `[input]` conventions (delimiter, decimal comma), which read every data file.
fn combined_csv(rows: &[DatasetRow], input: &crate::ingest::Conventions) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().delimiter(input.delimiter).from_writer(Vec::new());
    let err = |e: csv::Error| Error::Format(format!("cannot format CSV: {e}"));
    w.write_record(["unit", "year", "indicator", "value"]).map_err(err)?;
    for d in rows {
        let mut value = d.value.map(crate::output::fmt_f64).unwrap_or_default();
        if input.decimal_comma {
            value = value.replace('.', ",");
        }
        w.write_record([d.unit.as_str(), &d.year.to_string(), d.code.as_str(), &value]).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Format(format!("cannot format CSV: {e}")))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

fn file_name(path: &Path) -> Result<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("{}: not a file", path.display())))
}

/// Writes the package into `dir` (created when missing), each file atomically, `SHA256SUMS`
/// and the zip last. Files already in `dir` that are not the package's are left alone.
///
/// # Errors
/// An I/O error naming the file.
pub fn write(dir: &Path, files: &[PackageFile]) -> Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    let last = |f: &&PackageFile| f.name == SUMS || f.name.ends_with(".zip");
    let (tail, head): (Vec<&PackageFile>, Vec<&PackageFile>) = files.iter().partition(last);
    for f in head.into_iter().chain(tail) {
        let path = dir.join(&f.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        crate::output::write_atomic(&path, &f.bytes)?;
        written.push(path);
    }
    Ok(written)
}
