//! `gti import survey` on any form and export: the input is split at [`MARK`] into an
//! XLSForm's survey and choices sheets (CSV text; or the whole form as a workbook when the
//! first part starts like one), an export (CSV text, or a workbook) and, when a fourth part is
//! there, a SurveyMonkey map read against the export. A first byte below 0x20 sets options. Errors, never a panic; and when an import succeeds, its responses.csv reads back
//! through gti's own reader of expert responses without an error.
#![no_main]

use gti::import::survey::{self, Input, Options, YearFrom, form::Form, grid, map, monkey, xlsform};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

/// Separates the parts (workbooks hold NUL bytes, so NUL cannot).
const MARK: &[u8] = b"\x00GTI\x00";

fn split(mut data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some(i) = data.windows(MARK.len()).position(|w| w == MARK) {
        out.push(&data[..i]);
        data = &data[i + MARK.len()..];
    }
    out.push(data);
    out
}

/// gti catches a panic inside calamine and reports it as the reader's failure, naming the
/// workbook (`ingest::sheet::guarded`, which the survey importer's reads go through), so such
/// a panic is not a crash of gti: the hook that libfuzzer-sys installs (abort on any panic,
/// caught or not) is replaced by one that only prints. A panic that escapes gti still reaches
/// libfuzzer-sys's `catch_unwind` around the input, which aborts: it is still found.
static HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| std::panic::set_hook(Box::new(|info| eprintln!("caught by gti? {info}"))));
    let (flags, data) = match data.first() {
        Some(&f) if f < 0x20 => (f, &data[1..]),
        _ => (0, data),
    };
    let parts = split(data);
    let mut parts = parts.into_iter();
    let (survey_s, choices_s) = (parts.next().unwrap_or(&[]), parts.next().unwrap_or(&[]));
    let export = parts.next().unwrap_or(&[]);
    let map_s = parts.next();
    let opt = Options {
        unit_field: "country".into(),
        year: if flags & 1 == 0 { YearFrom::Field("year".into()) } else { YearFrom::Fixed(2024) },
        respondent_field: (flags & 2 != 0).then(|| "expert".into()),
        labels: flags & 4 != 0,
        delimiter: None,
        group_separator: None,
    };
    let input = Input { path: Path::new("export.csv"), bytes: export.to_vec() };
    let Ok(g) = survey::read_submissions(&input, None) else { return };
    let imported = if let Some(m) = map_s {
        let Ok(entries) = map::read(Path::new("map.csv"), m) else { return };
        let year = match opt.year {
            YearFrom::Field(_) => YearFrom::Field("Which year do your answers describe?".into()),
            y => y,
        };
        let unit_field = "Which unit do you report on?".into();
        let respondent_field = opt.respondent_field.is_some().then(|| "Custom Data 1".into());
        monkey::convert(&g, &entries, &Options { unit_field, year, respondent_field, ..opt })
    } else {
        let sheet = |bytes: &[u8], name: &str| {
            grid::read_csv(Path::new("form.xlsx"), bytes, Some(b',')).ok().map(|mut g| {
                g.sheet = Some(name.to_string());
                g
            })
        };
        let form = if grid::is_workbook(survey_s) {
            Form::read(Path::new("form.xlsx"), survey_s.to_vec(), (flags & 8 != 0).then_some("gti"))
        } else {
            let Some(s) = sheet(survey_s, "survey") else { return };
            Form::from_sheets(s, sheet(choices_s, "choices"), None, (flags & 8 != 0).then_some("gti"))
        };
        let Ok(form) = form else { return };
        xlsform::convert(&form, &g, None, &opt)
    };
    let Ok(imported) = imported else { return };
    let files = survey::files(&imported, &[Path::new("export.csv")]).expect("an import formats");
    let bytes = files[0].bytes().expect("in memory");
    let mut raw = gti::ingest::RawData::default();
    let mut diags = Vec::new();
    let conventions = gti::ingest::Conventions::default();
    let src = gti::ingest::Source::csv(Path::new("responses.csv"), &conventions);
    let _ = gti::ingest::read_file(&src, bytes.as_slice(), 0, &mut raw, &mut diags);
    assert!(diags.is_empty(), "responses.csv does not read back: {diags:?}\n{}", String::from_utf8_lossy(&bytes));
});
