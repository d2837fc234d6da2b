//! `gti release --include-responses` (docs/release.md, "Internal archive"): the answers under
//! pseudonyms (HMAC-SHA-256 of the id under the key, checked against Python's `hmac`), never
//! the original ids nor the key anywhere in the package (the zip and the workbook opened);
//! stable for one key, unrelated across keys; marked internal; verified by re-combining; a
//! missing or short key refused; the public package unchanged by the option.

use crate::release::{reseal, tree};
use crate::util::{gti, read_csv, repo};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A key file of 64 hex characters and a newline, as `openssl rand -hex 32` writes one.
fn key_file(dir: &Path, name: &str, fill: char) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{}\n", fill.to_string().repeat(64))).unwrap();
    p
}

/// Releases the example into `dir` with `extra` arguments.
fn release(dir: &Path, extra: &[&std::ffi::OsStr]) -> assert_cmd::assert::Assert {
    gti()
        .args(["release", "-m", "methodology/gti.toml", "-d", "indicators/", "--edition", "2026", "-q", "-o"])
        .arg(dir)
        .args(extra)
        .assert()
}

fn internal(dir: &Path, key: &Path) {
    release(dir, &["--include-responses".as_ref(), "--key-file".as_ref(), key.as_os_str()]).success();
}

/// Every file's bytes, and every entry of every zip (the package's zip, the workbooks in and
/// outside it) decompressed, by name.
fn opened(files: &BTreeMap<String, Vec<u8>>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo: Vec<(String, Vec<u8>)> = files.iter().map(|(n, b)| (n.clone(), b.clone())).collect();
    while let Some((name, bytes)) = todo.pop() {
        if name.ends_with(".zip") || name.ends_with(".xlsx") {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
            for i in 0..z.len() {
                let mut f = z.by_index(i).unwrap();
                let inner = format!("{name}!{}", f.name().unwrap());
                let mut body = Vec::new();
                f.read_to_end(&mut body).unwrap();
                todo.push((inner, body));
            }
        }
        out.push((name, bytes));
    }
    out
}

/// The example's answers as given, read independently of gti.
fn originals() -> Vec<BTreeMap<String, String>> {
    read_csv(&repo().join("indicators/expert_responses.csv"))
}

/// Python's `hmac` (an implementation independent of the `hmac` crate): the documented
/// pseudonym of each id under the key in `key` (trailing whitespace removed, as gti does).
fn python_pseudonyms(key: &Path, ids: &[&String]) -> Option<Vec<String>> {
    let script = "import sys, hmac, hashlib\nkey = open(sys.argv[1], 'rb').read().rstrip()\n\
        for line in sys.stdin.read().split('\\n'):\n\
        \x20   if line: print('r_' + hmac.new(key, line.encode(), hashlib.sha256).hexdigest()[:16])\n";
    let mut child = match std::process::Command::new("python3")
        .args(["-c", script])
        .arg(key)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("python3 not installed: skipped");
            return None;
        }
    };
    let input: String = ids.iter().map(|i| format!("{i}\n")).collect();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect())
}

#[test]
fn the_archive_holds_every_answer_under_pseudonyms_and_never_an_original_id() {
    let (dir, keys) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let key = key_file(keys.path(), "gti.key", 'a');
    internal(dir.path(), &key);
    let files = tree(dir.path());
    let given = originals();
    let ids: BTreeSet<&String> = given.iter().map(|r| &r["respondent"]).collect();
    assert!(ids.len() > 100, "the example's respondents: {}", ids.len());
    let everything = opened(&files);
    assert!(everything.iter().any(|(n, _)| n == "GTI-2026.zip!GTI-2026/data/responses.csv"));
    let key_bytes = std::fs::read(&key).unwrap();
    let key_text = String::from_utf8_lossy(&key_bytes[..64]).into_owned();
    for (name, bytes) in &everything {
        // Compressed bytes read as text hold no id by chance; the decompressed entries are here too.
        let text = String::from_utf8_lossy(bytes);
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{name} holds the respondent id {id}");
        }
        assert!(!text.contains(&key_text), "{name} holds the key");
    }
    // Row by row, the answers as given, the respondent replaced by the documented pseudonym.
    let ours = read_csv(&dir.path().join("data/responses.csv"));
    assert_eq!(ours.len(), given.len());
    let mut of: BTreeMap<&String, &String> = BTreeMap::new();
    for (k, (a, b)) in ours.iter().zip(&given).enumerate() {
        for c in ["unit", "year", "item"] {
            assert_eq!(a[c], b[c].trim(), "row {k}: {c}");
        }
        for c in ["response", "confidence"] {
            let (x, y) = (a[c].as_str(), b[c].trim());
            let same = x == y
                || (x.is_empty() && y.eq_ignore_ascii_case("na"))
                || x.parse::<f64>().ok().zip(y.parse::<f64>().ok()).is_some_and(|(p, q)| p == q);
            assert!(same, "row {k}: {c} {x} for {y}");
        }
        let p = &a["respondent"];
        assert!(
            p.len() == 18
                && p.starts_with("r_")
                && p[2..].bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
            "row {k}: {p}"
        );
        // One pseudonym per respondent, and one respondent per pseudonym.
        assert_eq!(*of.entry(&b["respondent"]).or_insert(p), p, "row {k}");
    }
    let distinct: BTreeSet<&&String> = of.values().collect();
    assert_eq!(distinct.len(), ids.len(), "two respondents share a pseudonym");
    let list: Vec<&String> = ids.iter().copied().collect();
    if let Some(want) = python_pseudonyms(&key, &list) {
        for (id, w) in list.iter().zip(&want) {
            assert_eq!(of[id], w, "{id}: HMAC-SHA-256 under the key, first 16 hex digits");
        }
    }
}

#[test]
fn pseudonyms_are_stable_for_one_key_and_unrelated_across_keys() {
    let keys = tempfile::tempdir().unwrap();
    let (a, b, c) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let one = key_file(keys.path(), "one.key", 'a');
    // The same key from another file, without the final newline: the same key.
    let same = keys.path().join("same.key");
    std::fs::write(&same, "a".repeat(64)).unwrap();
    internal(a.path(), &one);
    internal(&b.path().join("elsewhere"), &same);
    let (x, y) = (tree(a.path()), tree(&b.path().join("elsewhere")));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (name, bytes) in &x {
        assert!(bytes == &y[name], "{name} differs between two runs with one key");
    }
    internal(c.path(), &key_file(keys.path(), "two.key", 'b'));
    let names = |dir: &Path| -> BTreeSet<String> {
        read_csv(&dir.join("data/responses.csv")).into_iter().map(|r| r["respondent"].clone()).collect()
    };
    let (p, q) = (names(a.path()), names(c.path()));
    assert_eq!(p.len(), q.len());
    assert!(p.is_disjoint(&q), "another key gives other pseudonyms");
}

#[test]
fn the_archive_says_internal_and_verifies_by_recombining_its_answers() {
    let (dir, keys) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    internal(dir.path(), &key_file(keys.path(), "k", 'c'));
    let p = dir.path();
    let readme = std::fs::read_to_string(p.join("README.md")).unwrap();
    assert!(
        readme.starts_with("# INTERNAL — contains respondents' answers; not for publication\n"),
        "{readme}"
    );
    let json = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p.join(name)).unwrap()).unwrap()
    };
    let (manifest, meta) = (json("manifest.json"), json("release.json"));
    assert_eq!(manifest["audience"], "internal");
    assert_eq!(meta["audience"], "internal");
    assert_eq!(meta["responses"], "data/responses.csv");
    let inputs = manifest["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i["path"] == "data/responses.csv"), "{inputs:?}");
    // The data dictionary describes the answers' file and each of its columns.
    let cols = read_csv(&p.join("data-dictionary-columns.csv"));
    for col in ["", "unit", "year", "respondent", "item", "response", "confidence"] {
        let row = cols.iter().find(|r| r["file"] == "data/responses.csv" && r["column"] == col);
        assert!(row.is_some_and(|r| !r["description"].is_empty()), "data/responses.csv {col:?}");
    }
    let out = gti().args(["verify", "--release"]).arg(p).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains("scores recomputed") && said.contains("re-combined from its answers"), "{said}");
}

#[test]
fn a_changed_answer_fails_verification_naming_the_combined_values() {
    let (dir, keys) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    internal(dir.path(), &key_file(keys.path(), "k", 'd'));
    let p = dir.path();
    // XAA 2022 P1_criminalisation: five "yes" (mean 1); one "no" makes it 0.8.
    let text = std::fs::read_to_string(p.join("data/responses.csv")).unwrap();
    let first = text.lines().nth(1).unwrap();
    assert!(first.starts_with("XAA,2022,r_") && first.contains(",P1_criminalisation,yes,"), "{first}");
    let changed = text.replacen(",P1_criminalisation,yes,", ",P1_criminalisation,no,", 1);
    std::fs::write(p.join("data/responses.csv"), changed).unwrap();
    reseal(p);
    let out = gti().args(["verify", "--release"]).arg(p).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("data/expert_combined.csv") && err.contains("data/responses.csv"), "{err}");
    assert!(
        err.contains("XAA,2022,P1_criminalisation,1'") && err.contains("XAA,2022,P1_criminalisation,0.8'"),
        "{err}"
    );
}

#[test]
fn a_missing_or_short_key_is_refused_before_anything_is_written() {
    let keys = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("p");
    let short = keys.path().join("short.key");
    std::fs::write(&short, "0123456789abcdef\n").unwrap();
    let missing = keys.path().join("absent.key");
    let cases: Vec<(Vec<&std::ffi::OsStr>, &str)> = vec![
        (vec!["--include-responses".as_ref()], "--key-file"),
        (vec!["--key-file".as_ref(), short.as_os_str()], "--include-responses"),
        (vec!["--include-responses".as_ref(), "--key-file".as_ref(), missing.as_os_str()], "absent.key"),
        (vec!["--include-responses".as_ref(), "--key-file".as_ref(), short.as_os_str()], "16 bytes"),
    ];
    for (args, says) in cases {
        let a = release(&dir, &args).code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!dir.exists(), "{args:?}: wrote {}", dir.display());
    }
}

#[test]
fn the_public_package_is_the_archive_without_the_answers() {
    let (public, archive, keys) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    release(public.path(), &[]).success();
    internal(archive.path(), &key_file(keys.path(), "k", 'e'));
    let (p, a) = (tree(public.path()), tree(archive.path()));
    let mut extra: Vec<&String> = a.keys().filter(|n| !p.contains_key(*n)).collect();
    extra.sort();
    assert_eq!(extra, ["data/responses.csv"]);
    // The files that list or describe the package's files say more in the archive (the
    // workbook's Read me lists the inputs); the tables and data are the very same bytes.
    let listing = [
        "README.md",
        "manifest.json",
        "results.xlsx",
        "release.json",
        "data-dictionary-columns.csv",
        "data-dictionary.md",
        "SHA256SUMS",
        "GTI-2026.zip",
    ];
    for (name, bytes) in &p {
        if !listing.contains(&name.as_str()) {
            assert!(bytes == &a[name], "{name} differs between the public package and the archive");
        }
    }
    // The public package says nothing of audiences or answers.
    for name in ["README.md", "manifest.json", "release.json"] {
        let text = String::from_utf8_lossy(&p[name]).into_owned();
        assert!(!text.contains("INTERNAL") && !text.contains("audience"), "{name}");
        assert!(!text.contains("responses.csv") && !text.contains("\"responses\""), "{name}");
    }
}

/// The *Read me* of a package's `results.xlsx`, read back by openpyxl (`tests/xlsx.rs`): its
/// non-empty rows.
fn read_me(python: &Path, dir: &Path) -> Vec<Vec<serde_json::Value>> {
    crate::xlsx::read(python, &dir.join("results.xlsx")).sheet("Read me").rows.clone()
}

#[test]
fn the_archive_workbook_says_internal_first_and_the_public_one_does_not() {
    let Some(python) = crate::xlsx::python_or_skip() else { return };
    let (public, archive, keys) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    release(public.path(), &[]).success();
    internal(archive.path(), &key_file(keys.path(), "k", 'g'));
    let (p, a) = (read_me(&python, public.path()), read_me(&python, archive.path()));
    // Row 0 is the title; the mark comes right under it, before the fictional-data notice.
    let mark = "INTERNAL — contains respondents' answers; not for publication";
    assert_eq!(a[1][0], mark, "{:?}", &a[..3]);
    assert!(!p.iter().flatten().any(|c| c.as_str().is_some_and(|s| s.contains("INTERNAL"))), "{p:?}");
    // Without the mark and the answers' input line, the archive's Read me is the public one.
    let rest: Vec<_> =
        a.iter().enumerate().filter(|(i, r)| *i != 1 && r[0] != "responses.csv").map(|(_, r)| r).collect();
    assert_eq!(rest.len(), a.len() - 2, "one line names responses.csv");
    assert_eq!(rest, p.iter().collect::<Vec<_>>());
}

#[test]
fn include_responses_without_a_response_file_is_refused() {
    // The example's statistical values and units, and its items' combined values (a public
    // package's data/expert_combined.csv, under another name): no response file.
    let (public, keys, out) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    release(public.path(), &[]).success();
    let data = out.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for f in ["statistical.csv", "units.csv"] {
        std::fs::copy(repo().join("indicators").join(f), data.join(f)).unwrap();
    }
    std::fs::copy(public.path().join("data/expert_combined.csv"), data.join("items.csv")).unwrap();
    let key = key_file(keys.path(), "k", 'h');
    let dir = out.path().join("p");
    let err = refused_archive(&repo().join("methodology/gti.toml"), &data, &key, &dir);
    assert!(err.contains("--include-responses: the data hold no expert-response file"), "{err}");
}

/// `gti release --include-responses` of methodology `m` and `data` into `dir`, which must
/// be refused (exit 2) with nothing written: the error.
fn refused_archive(m: &Path, data: &Path, key: &Path, dir: &Path) -> String {
    let a = gti()
        .args(["release", "-q", "--edition", "2026", "--include-responses", "-m"])
        .arg(m)
        .arg("-d")
        .arg(data)
        .arg("--key-file")
        .arg(key)
        .arg("-o")
        .arg(dir)
        .assert()
        .code(2);
    assert!(!dir.exists(), "nothing written");
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn a_key_found_in_the_methodology_is_refused() {
    let (src, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let key = key_file(src.path(), "k", 'f');
    let m = std::fs::read_to_string(repo().join("methodology/gti.toml")).unwrap();
    let with_key = src.path().join("gti.toml");
    std::fs::write(&with_key, format!("{m}\n# {}\n", "f".repeat(64))).unwrap();
    let dir = out.path().join("p");
    let err = refused_archive(&with_key, Path::new("indicators/"), &key, &dir);
    assert!(err.contains("methodology/gti.toml") && err.contains("holds the pseudonym key"), "{err}");
}
