//! `SHA256SUMS` and the deterministic zip of a package.

use super::PackageFile;
use crate::error::{Error, Result};
use std::io::Write;

/// `sha256sum -c` format: `<hex>  <name>` per file, in the given order.
pub fn sums(files: &[PackageFile]) -> String {
    files.iter().map(|f| format!("{}  {}\n", crate::hash::sha256_hex(&f.bytes), f.name)).collect()
}

/// Parses `SHA256SUMS`: (name, hex) per line.
///
/// # Errors
/// A line not in `<64 hex>  <name>` form, by line number.
pub fn parse_sums(text: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let bad = || format!("line {}: expected '<sha256>  <file>', found '{line}'", k + 1);
        let (hex, name) = line.split_once("  ").ok_or_else(bad)?;
        let hex_ok = hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        let name = name.strip_prefix('*').unwrap_or(name);
        if !hex_ok || name.is_empty() || name.contains("..") || name.starts_with('/') {
            return Err(bad());
        }
        out.push((name.to_string(), hex.to_ascii_lowercase()));
    }
    Ok(out)
}

/// A zip of `files` under the folder `top/`, in the given order, stored with deflate, every
/// entry dated 1980-01-01 00:00 (the zip epoch) with mode 0644: the same files give the same
/// bytes, whenever and wherever they are zipped.
///
/// # Errors
/// [`Error::Format`] should the archive writer fail.
pub fn zip(top: &str, files: &[PackageFile]) -> Result<Vec<u8>> {
    let err = |e: zip::result::ZipError| Error::Format(format!("cannot write the zip: {e}"));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for f in files {
        w.start_file(format!("{top}/{}", f.name), opts).map_err(err)?;
        w.write_all(&f.bytes).map_err(|e| Error::Format(format!("cannot write the zip: {e}")))?;
    }
    Ok(w.finish().map_err(err)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_parse_back() {
        let files = vec![PackageFile::new("a.csv", b"x".to_vec()), PackageFile::new("data/b.csv", vec![])];
        let text = sums(&files);
        let parsed = parse_sums(&text).unwrap();
        assert_eq!(parsed[1].0, "data/b.csv");
        // sha256("") is a published constant.
        assert_eq!(parsed[1].1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert!(parse_sums("abc  x\n").is_err());
        assert!(parse_sums(&format!("{}  ../x\n", "0".repeat(64))).is_err());
    }

    #[test]
    fn the_same_files_zip_to_the_same_bytes() {
        let files = vec![PackageFile::new("a.csv", b"unit,year\n".to_vec())];
        let a = zip("P-1", &files).unwrap();
        assert_eq!(a, zip("P-1", &files).unwrap());
        let mut r = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        assert_eq!(r.by_index(0).unwrap().name().unwrap(), "P-1/a.csv");
    }
}
