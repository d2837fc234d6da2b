//! Spreadsheet cells through ingest: any bytes as a workbook's parts, read by
//! `ingest::sheet::read_workbook` (the bounds of `sheet::guard`, calamine, the cell typing and
//! the same header and row conversion as CSV), then the whole pipeline on what was read:
//! located errors or results, never a panic. The first byte chooses the format and the
//! declared conventions:
//!
//! - `% 3 == 0`: `.xlsx`: the rest, split at its first NUL byte, is `xl/worksheets/sheet1.xml`
//!   and `xl/sharedStrings.xml` of a workbook whose other parts are fixed (style 1 is a date);
//! - `% 3 == 1`: `.ods`: the rest is `content.xml`;
//! - `% 3 == 2`: `.xls`: the rest is the Workbook stream of a compound file;
//! - bit 4: `#N/A` and `..` are declared missing; bit 8: a decimal comma.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Write};
use std::path::Path;

const M: &str = "schema = 1\n[index]\ncode = \"I\"\nname = \"f\"\nversion = \"1\"\n[node.I]\n\
[indicator.a1]\nparent = \"I\"\n[indicator.e1]\nparent = \"I\"\nsource = \"expert\"\n\
impute = { method = \"mean\" }\n";

const TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;

/// A zip of stored members (no compression: the fuzzer's bytes reach the XML readers as they are).
fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        z.start_file(*name, stored).expect("a zip in memory");
        z.write_all(bytes).expect("a zip in memory");
    }
    z.finish().expect("a zip in memory").into_inner()
}

fn xls(stream: &[u8]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("a compound file in memory");
    file.create_stream("/Workbook").and_then(|mut s| s.write_all(stream)).expect("a stream in memory");
    file.flush().expect("in memory");
    file.into_inner().into_inner()
}

/// gti catches a panic inside calamine and reports it as the reader's failure, naming the
/// workbook (`ingest::sheet::guarded`), so such a panic is not a crash of gti: the hook that
/// libfuzzer-sys installs (abort on any panic, caught or not) is replaced by one that only
/// prints. A panic that escapes gti still reaches libfuzzer-sys's `catch_unwind` around the
/// input, which aborts: it is still found.
static HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| std::panic::set_hook(Box::new(|info| eprintln!("caught by gti? {info}"))));
    let [mode, rest @ ..] = data else { return };
    let (name, bytes) = match mode % 3 {
        0 => {
            let at = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let (sheet, strings) = (&rest[..at], rest.get(at + 1..).unwrap_or(&[]));
            let parts: [(&str, &[u8]); 7] = [
                ("[Content_Types].xml", TYPES.as_bytes()),
                ("_rels/.rels", RELS.as_bytes()),
                ("xl/workbook.xml", WORKBOOK.as_bytes()),
                ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
                ("xl/styles.xml", STYLES.as_bytes()),
                ("xl/worksheets/sheet1.xml", sheet),
                ("xl/sharedStrings.xml", strings),
            ];
            ("fuzz.xlsx", zip(&parts))
        }
        1 => {
            let mimetype: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
            let parts = [("mimetype", mimetype), ("META-INF/manifest.xml", MANIFEST.as_bytes()), ("content.xml", rest)];
            ("fuzz.ods", zip(&parts))
        }
        _ => ("fuzz.xls", xls(rest)),
    };
    let mut conventions = gti::ingest::Conventions { decimal_comma: mode & 8 == 8, ..Default::default() };
    if mode & 4 == 4 {
        conventions.add_na(["#N/A", ".."]);
    }
    let mut raw = gti::ingest::RawData { conventions: conventions.clone(), ..Default::default() };
    let mut diags = Vec::new();
    gti::ingest::sheet::read_workbook(Path::new(name), bytes, "", &conventions, &mut raw, &mut diags);
    for d in &diags {
        // Every message names the workbook.
        assert!(d.to_string().starts_with(name), "{d}");
    }
    if diags.is_empty() && !raw.files.is_empty() {
        let m = gti::methodology::Methodology::parse_str(Path::new("m.toml"), M, String::new(), &[]).unwrap();
        let _ = gti::stages::run(&m, &raw);
    }
});
