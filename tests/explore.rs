//! `gti explore`: the page's what-ifs equal `gti compute --set` (in a real browser), the
//! page's JavaScript unit tests and number formatting (under node), hostile names, the
//! respondent-safety rules of the embedded model, and the command's own behaviour.

use crate::util::{gti, read_csv, repo};
use std::path::{Path, PathBuf};

mod browser;
mod differential;
mod fixed;
mod intervals;
mod js;
mod page;
mod views;

/// `gti explore` of `args` into a fresh folder; the folder and the page's path.
pub fn explore(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    gti().arg("explore").args(args).args(["-q", "-o"]).arg(dir.path()).assert().success();
    let page = dir.path().join("index.html");
    (dir, page)
}

/// The model embedded in a page, parsed.
pub fn embedded_model(page: &Path) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    let open = "<script type=\"application/json\" id=\"gti-model\">";
    let start = html.find(open).expect("the model's script element") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// COINr's ASEM data imported into `dir`: (methodology, data folder).
pub fn asem(dir: &Path) -> (PathBuf, PathBuf) {
    let data = crate::util::vendored("coinr-asem");
    gti()
        .args(["import", "coinr", "--idata"])
        .arg(data.join("ASEM_iData.csv"))
        .arg("--imeta")
        .arg(data.join("ASEM_iMeta.csv"))
        .arg("-o")
        .arg(dir)
        .assert()
        .success();
    (dir.join("methodology.toml"), dir.to_path_buf())
}

/// `gti compute -o -` with `sets`, started.
pub fn compute_spawn(methodology: &Path, data: &Path, sets: &[String]) -> std::process::Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gti"));
    cmd.current_dir(repo()).env_remove("CI");
    cmd.args(["compute", "-q", "-o", "-", "-m"]).arg(methodology).arg("-d").arg(data);
    for s in sets {
        cmd.args(["--set", s]);
    }
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap()
}

/// scores.csv's rows of a started compute, or None when it failed (exit 1).
pub fn compute_wait(
    child: std::process::Child,
    sets: &[String],
) -> Option<Vec<std::collections::BTreeMap<String, String>>> {
    let out = child.wait_with_output().unwrap();
    match out.status.code() {
        Some(0) => {
            let file = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(file.path(), &out.stdout).unwrap();
            Some(read_csv(file.path()))
        }
        Some(1) => None,
        code => panic!("gti compute {sets:?}: exit {code:?}: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

/// The embedded example's methodology and data, as paths.
pub fn example() -> (PathBuf, PathBuf) {
    (repo().join("methodology/gti.toml"), repo().join("indicators"))
}
