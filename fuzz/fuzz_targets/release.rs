//! `gti verify --release` on a tampered package: a valid package of a small index (made once,
//! by `gti::release::build`, from answers and statistical data) has one of its files changed
//! as the input says, is written to a fresh folder, and `release::check::verify` runs on it.
//! It must return Ok or an error naming a file, never panic, hang or exhaust memory; and:
//!
//! - the untouched package verifies;
//! - any real change (not resealed) fails: the hashes, `SHA256SUMS` and the zip are checked
//!   byte for byte;
//! - a resealed change (`SHA256SUMS` and the zip made again, as a careful forger would) to a
//!   file `verify` makes again (changelog, dictionary, citation, README) fails.
//!
//! The input: byte 0 chooses the file (among the package's, `SHA256SUMS`, `release.json`,
//! `manifest.json` and the zip included), byte 1 the change: bit 1 reseals, bit 2 patches (a
//! little-endian u16 offset, then bytes written over the file from there) instead of replacing
//! the file with the rest, bit 4 deletes the file.
#![no_main]

use gti::release::{self, PackageFile, SUMS};
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const M: &str = "schema = 1\n[index]\ncode = \"I\"\nname = \"Fuzz index\"\nversion = \"1.0\"\n\
[expert]\nmin_respondents = 2\n[node.I]\n[indicator.q1]\nparent = \"I\"\nsource = \"expert\"\n\
normalise = { method = \"goalposts\", min = 0, max = 10 }\n[indicator.s1]\nparent = \"I\"\n";
const RESPONSES: &str = "unit,year,respondent,item,response\nXAA,2024,a1,q1,2\nXAA,2024,a2,q1,4\n\
XAB,2024,b1,q1,1\nXAB,2024,b2,q1,2\nXAB,2024,b3,q1,6\nXAC,2024,c1,q1,7\n";
const STATS: &str = "unit,year,indicator,value\nXAA,2024,s1,10\nXAB,2024,s1,20\nXAC,2024,s1,30\n\
XAA,2023,s1,12\nXAB,2023,s1,18\nXAC,2023,s1,31\n";
const UNITS: &str = "unit,name,region\nXAA,Aland,North\nXAB,Bland,North\nXAC,Cland,South\n";

/// This process's scratch folder (in memory when `/dev/shm` is there).
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        base.join(format!("gti-fuzz-release-{}", std::process::id()))
    })
}

/// The valid package, sorted by name, the zip last (as `release::build` gives it).
fn package() -> &'static [PackageFile] {
    static FILES: OnceLock<Vec<PackageFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = scratch().join("inputs");
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let mut data = Vec::new();
        for (name, text) in
            [("m.toml", M), ("responses.csv", RESPONSES), ("stats.csv", STATS), ("units.csv", UNITS)]
        {
            std::fs::write(dir.join(name), text).expect("a scratch file");
            data.push(dir.join(name));
        }
        let m = gti::methodology::Methodology::load(&data.remove(0), &[]).expect("the methodology");
        let raw = gti::ingest::read_all_with(&data, &m.input).expect("the data");
        let r = gti::stages::run(&m, &raw).expect("a run");
        let opts = release::Options { edition: "1", previous: None, responses: None };
        release::build(&m, &raw, &r, &opts).expect("a package")
    })
}

fn write(dir: &Path, files: &[PackageFile]) {
    let _ = std::fs::remove_dir_all(dir);
    for f in files {
        let path = dir.join(&f.name);
        std::fs::create_dir_all(path.parent().expect("in dir")).expect("a scratch folder");
        std::fs::write(&path, &f.bytes).expect("a scratch file");
    }
}

/// `SHA256SUMS` and the zip made again from the other files, as `release::build` seals them.
fn reseal(files: &mut Vec<PackageFile>) {
    let zip_name = files.last().expect("a zip").name.clone();
    files.retain(|f| f.name != SUMS && f.name != zip_name);
    let sums = release::pack::sums(files);
    files.push(PackageFile { name: SUMS.into(), bytes: sums.into_bytes() });
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let top = zip_name.trim_end_matches(".zip");
    let zip = release::pack::zip(top, files).expect("a zip in memory");
    files.push(PackageFile { name: zip_name, bytes: zip });
}

fuzz_target!(|data: &[u8]| {
    let [which, how, rest @ ..] = data else { return };
    let original = package();
    let mut files = original.to_vec();
    let k = usize::from(*which) % files.len();
    let name = files[k].name.clone();
    let (reseal_it, patch, delete) = (how & 1 != 0, how & 2 != 0, how & 4 != 0);
    if delete {
        files.remove(k);
    } else if patch {
        let [lo, hi, bytes @ ..] = rest else { return };
        let f = &mut files[k].bytes;
        let at = usize::from(u16::from_le_bytes([*lo, *hi])) % (f.len() + 1);
        let end = f.len().min(at + bytes.len());
        f.splice(at..end, bytes.iter().copied());
    } else {
        files[k].bytes = rest.to_vec();
    }
    let changed = delete || files[k].bytes != original[k].bytes;
    let sealing_file = name == SUMS || name.ends_with(".zip");
    let resealed = reseal_it && !sealing_file && !delete;
    if resealed {
        reseal(&mut files);
    }
    let dir = scratch().join("package");
    write(&dir, &files);
    match release::check::verify(&dir) {
        Ok(_) => {
            assert!(!changed || resealed, "{name}: changed, not resealed, and the package verifies");
            assert!(
                !changed || !release::DERIVED.contains(&name.as_str()),
                "{name}: verify makes it again, yet a changed copy verifies"
            );
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(changed, "the untouched package does not verify: {msg}");
            let names_a_file = msg.contains(&*dir.to_string_lossy())
                || original.iter().any(|f| msg.contains(&f.name))
                || files.iter().any(|f| msg.contains(&f.name));
            assert!(names_a_file, "{name} changed: the error names no file: {msg}");
        }
    }
});
