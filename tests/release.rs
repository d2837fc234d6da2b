//! `gti release` and `gti verify --release` on the GTI example (docs/release.md): byte-identical
//! reruns wherever written, a moved package verifies, one changed byte fails naming the file.

use crate::util::{gti, read_csv, repo, scores};
use std::collections::BTreeMap;
use std::path::Path;

/// Releases the example into `dir` (with `extra` arguments).
fn release(dir: &Path, extra: &[&str]) {
    gti()
        .args(["release", "-m", "methodology/gti.toml", "-d", "indicators/", "--edition", "2026", "-q", "-o"])
        .arg(dir)
        .args(extra)
        .assert()
        .success();
}

/// Every file under `dir` by its path inside it.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            out.extend(tree(&p).into_iter().map(|(k, v)| (format!("{name}/{k}"), v)));
        } else {
            out.insert(name, std::fs::read(&p).unwrap());
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    for (name, bytes) in tree(from) {
        let p = to.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

fn verify(dir: &Path) -> assert_cmd::assert::Assert {
    gti().args(["verify", "--release"]).arg(dir).assert()
}

#[test]
fn two_releases_give_the_same_bytes_wherever_they_are_written() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let deep = b.path().join("some/other/place");
    release(a.path(), &[]);
    release(&deep, &[]);
    let (x, y) = (tree(a.path()), tree(&deep));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (name, bytes) in &x {
        assert!(bytes == &y[name], "{name} differs between the two runs");
    }
    // A rerun into the same folder rewrites the same bytes.
    release(a.path(), &[]);
    assert_eq!(tree(a.path()), x);
    let names: Vec<&str> = x.keys().map(String::as_str).collect();
    for want in [
        "scores.csv",
        "results.xlsx",
        "manifest.json",
        "methodology/gti.toml",
        "methodology/CHANGELOG.md",
        "data/statistical.csv",
        "data/units.csv",
        "data/expert_combined.csv",
        "data-dictionary-columns.csv",
        "data-dictionary-indicators.csv",
        "data-dictionary.md",
        "WHATS-NEW.md",
        "CITATION.cff",
        "README.md",
        "release.json",
        "SHA256SUMS",
        "GTI-2026.zip",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("responses")), "{names:?}");
    // The statistical data are the inputs as given.
    let given = std::fs::read(repo().join("indicators/statistical.csv")).unwrap();
    assert!(x["data/statistical.csv"] == given);
}

#[test]
fn the_zip_holds_every_file_with_fixed_dates() {
    let dir = tempfile::tempdir().unwrap();
    release(dir.path(), &[]);
    let files = tree(dir.path());
    let bytes = &files["GTI-2026.zip"];
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut inside = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().strip_prefix("GTI-2026/").unwrap().to_string();
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute()), (1980, 1, 1, 0, 0), "{name}");
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut body).unwrap();
        assert!(body == files[&name], "{name} in the zip differs from the file");
        inside.push(name);
    }
    let mut want: Vec<String> = files.keys().filter(|n| !n.ends_with(".zip")).cloned().collect();
    want.sort();
    assert_eq!(inside, want, "sorted, every file but the zip");
}

#[test]
fn sha256sum_checks_the_package() {
    if std::process::Command::new("sha256sum").arg("--version").output().is_err() {
        eprintln!("sha256sum not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    release(dir.path(), &[]);
    let out = std::process::Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let listed = String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.ends_with(": OK")).count();
    assert_eq!(listed, tree(dir.path()).len() - 2, "every file but SHA256SUMS and the zip");
}

#[test]
fn a_moved_copy_verifies_and_one_changed_byte_fails_naming_the_file() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    release(a.path(), &[]);
    let moved = b.path().join("moved");
    copy(a.path(), &moved);
    drop(a);
    verify(&moved).success().stdout(predicates::str::contains("scores recomputed"));
    // One byte of a data file: a digit of a value.
    let data = moved.join("data/statistical.csv");
    let mut bytes = std::fs::read(&data).unwrap();
    let at = bytes.iter().rposition(u8::is_ascii_digit).unwrap();
    bytes[at] = if bytes[at] == b'9' { b'8' } else { bytes[at] + 1 };
    std::fs::write(&data, &bytes).unwrap();
    let out = verify(&moved).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("data/statistical.csv") && err.contains("SHA-256"), "{err}");
    // The hash list changed too: then the recomputation finds it, naming scores.csv.
    let sums = std::fs::read_to_string(moved.join("SHA256SUMS")).unwrap();
    let fixed: String = sums
        .lines()
        .map(|l| {
            if l.ends_with("  data/statistical.csv") {
                format!("{}  data/statistical.csv\n", gti::hash::sha256_hex(&bytes))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(moved.join("SHA256SUMS"), fixed).unwrap();
    let out = verify(&moved).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("GTI-2026.zip"), "the zip no longer holds the files: {err}");
}

#[test]
fn a_changed_score_with_matching_hashes_fails_on_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    release(dir.path(), &[]);
    let p = dir.path();
    // Change one score, then make every hash and the zip agree, as a careful forger would.
    let text = std::fs::read_to_string(p.join("scores.csv")).unwrap();
    let changed = text.replacen(",81.41121310456309,", ",81.41121310456310,", 1);
    assert_ne!(changed, text, "the example's XAB 2022 GTI score");
    std::fs::write(p.join("scores.csv"), &changed).unwrap();
    reseal(p);
    let out = verify(p).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("scores.csv") && err.contains("XAB 2022 GTI"), "{err}");
}

/// Rewrites SHA256SUMS and the zip of a package from its files, as the release would.
pub fn reseal(dir: &Path) {
    let mut files: Vec<gti::release::PackageFile> = tree(dir)
        .into_iter()
        .filter(|(n, _)| n != "SHA256SUMS" && !n.ends_with(".zip"))
        .map(|(name, bytes)| gti::release::PackageFile { name, bytes })
        .collect();
    let sums = gti::release::pack::sums(&files);
    std::fs::write(dir.join("SHA256SUMS"), &sums).unwrap();
    files.push(gti::release::PackageFile { name: "SHA256SUMS".into(), bytes: sums.into_bytes() });
    files.sort_by(|a, b| a.name.cmp(&b.name));
    std::fs::write(dir.join("GTI-2026.zip"), gti::release::pack::zip("GTI-2026", &files).unwrap()).unwrap();
}

#[test]
fn the_package_recomputes_the_scores_of_the_answers() {
    let (rel, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    release(rel.path(), &[]);
    gti().args(["compute", "-q", "-o"]).arg(out.path()).assert().success();
    let (a, b) = (scores(&rel.path().join("scores.csv")), scores(&out.path().join("scores.csv")));
    assert_eq!(a.len(), b.len());
    for (k, r) in &a {
        for c in ["score", "rank", "band", "coverage"] {
            assert_eq!(r[c], b[k][c], "{k:?} {c}");
        }
    }
}

#[test]
fn citation_cff_is_yaml_with_the_required_keys() {
    let dir = tempfile::tempdir().unwrap();
    release(dir.path(), &[]);
    // An independent YAML reader: Python's PyYAML (Debian's python3-yaml).
    let script = "import sys, yaml\nd = yaml.safe_load(open(sys.argv[1]))\n\
        assert d['cff-version'] == '1.2.0', d\n\
        for k in ('message', 'title', 'authors', 'version', 'type'): assert k in d, k\n\
        assert d['authors'][0]['name'] and d['version'] == '2026' and d['type'] == 'dataset'\n\
        print(d['title'])\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("CITATION.cff"))
        .output();
    match out {
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named 'yaml'") => {
            eprintln!("PyYAML not installed: skipped")
        }
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => eprintln!("python3 not installed: skipped"),
    }
}

#[test]
fn the_dictionary_describes_every_column_and_indicator() {
    let dir = tempfile::tempdir().unwrap();
    release(dir.path(), &[]);
    let cols = read_csv(&dir.path().join("data-dictionary-columns.csv"));
    for (name, bytes) in tree(dir.path()) {
        assert!(cols.iter().any(|r| r["file"] == name && r["column"].is_empty()), "{name} has no line");
        if name.ends_with(".csv") {
            let text = String::from_utf8(bytes).unwrap();
            for col in text.lines().next().unwrap().split(',') {
                let row = cols.iter().find(|r| r["file"] == name && r["column"] == col);
                let row = row.unwrap_or_else(|| panic!("{name}: column {col} not described"));
                assert!(!row["description"].is_empty(), "{name}: {col} has no description");
            }
        }
    }
    let ind = read_csv(&dir.path().join("data-dictionary-indicators.csv"));
    assert_eq!(ind.len(), 28, "the example's 28 indicators");
    let npm = ind.iter().find(|r| r["code"] == "P1_npm").unwrap();
    assert_eq!(
        (npm["source"].as_str(), npm["pillar"].as_str(), npm["weight"].as_str()),
        ("expert", "P1", "1")
    );
    assert!(std::fs::read_to_string(dir.path().join("data-dictionary.md")).unwrap().contains("| P1_npm |"));
}

#[test]
fn whats_new_against_a_previous_package() {
    let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    release(old.path(), &[]);
    let first = std::fs::read_to_string(old.path().join("WHATS-NEW.md")).unwrap();
    assert!(first.contains("first edition"), "{first}");
    // The next edition: one pillar reweighted, one unit dropped from the data.
    let src = tempfile::tempdir().unwrap();
    let m = std::fs::read_to_string(repo().join("methodology/gti.toml")).unwrap();
    let m = m.replacen(
        "[node.P1]\nname = \"Political commitment against torture\"\nparent = \"GTI\"\nweight = 1",
        "[node.P1]\nname = \"Political commitment against torture\"\nparent = \"GTI\"\nweight = 3",
        1,
    );
    std::fs::write(src.path().join("gti.toml"), &m).unwrap();
    for f in ["statistical.csv", "expert_responses.csv", "units.csv"] {
        let text = std::fs::read_to_string(repo().join("indicators").join(f)).unwrap();
        let kept: String =
            text.lines().filter(|l| !l.starts_with("XAZ,")).map(|l| format!("{l}\n")).collect();
        std::fs::write(src.path().join(f), kept).unwrap();
    }
    gti()
        .args(["release", "-q", "--edition", "2027", "-m"])
        .arg(src.path().join("gti.toml"))
        .arg("-d")
        .arg(src.path())
        .arg("--previous")
        .arg(old.path())
        .arg("-o")
        .arg(new.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(new.path().join("WHATS-NEW.md")).unwrap();
    assert!(page.contains("Compared with edition 2026"), "{page}");
    assert!(page.contains("- `node.P1.weight`: 1 → 3"), "{page}");
    assert!(page.contains("- dropped: XAZ") && page.contains("- added: none"), "{page}");
    assert!(page.contains("## Largest rank moves") && page.contains(" → "), "{page}");
    verify(new.path()).success();
}

#[test]
fn refusals() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = gti()
        .args(["release", "-m", "methodology/gti.toml", "-d", "indicators/", "--edition", "2026", "-o"])
        .arg(dir.path())
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("notes.txt"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
    let out = gti()
        .args(["release", "-m", "methodology/gti.toml", "-d", "indicators/", "--edition", "../x", "-o"])
        .arg(dir.path().join("p"))
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("--edition '../x'"));
    let out = verify(dir.path()).code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("SHA256SUMS"));
}
