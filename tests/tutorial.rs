//! docs/tutorial.md, run as written: every fenced block opened with ```` ```sh tested ```` is
//! run by `sh -e`, in order, in one temporary folder that holds the tutorial's input (UNDP's
//! vendored HDR table, at the path the tutorial names), with the `gti` under test first on
//! PATH. Each must succeed; a ```` ```text output ```` block right after one must be exactly
//! what it prints. The commands come from the Markdown itself, so the tutorial cannot rot.

use crate::util::{repo, vendored};
use std::path::Path;
use std::process::Command;

/// A tested block: its script, its line in the Markdown, and the output shown after it.
#[derive(Debug)]
struct Step {
    script: String,
    line: usize,
    output: Option<String>,
}

/// The tested blocks of `md`, with the output blocks that follow them.
fn steps(md: &str) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    let mut lines = md.lines().enumerate();
    // True while only blank lines stand between the last tested block and here.
    let mut after_step = false;
    while let Some((n, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            after_step &= line.trim().is_empty();
            continue;
        };
        let body: Vec<&str> = lines.by_ref().map(|(_, l)| l).take_while(|l| l.trim() != "```").collect();
        let body = body.join("\n") + "\n";
        match info.trim() {
            "sh tested" => {
                out.push(Step { script: body, line: n + 1, output: None });
                after_step = true;
                continue;
            }
            "text output" => {
                assert!(after_step, "tutorial.md:{}: an output block follows no tested block", n + 1);
                out.last_mut().expect("a step").output = Some(body);
            }
            _ => {}
        }
        after_step = false;
    }
    out
}

#[test]
fn the_tutorial_runs_as_written() {
    let md = std::fs::read_to_string(repo().join("docs/tutorial.md")).unwrap();
    let steps = steps(&md);
    let commands = steps.iter().flat_map(|s| s.script.lines()).filter(|l| l.starts_with("gti ")).count();
    assert!(steps.len() >= 9 && commands >= 9, "{} blocks, {commands} gti commands", steps.len());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tests/data/undp-hdr");
    std::fs::create_dir_all(&data).unwrap();
    let name = "HDR23-24_hdi_components.csv";
    std::fs::copy(vendored("undp-hdr").join(name), data.join(name)).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_gti")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    for step in &steps {
        let run = Command::new("sh")
            .arg("-ec")
            .arg(&step.script)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env_remove("CI")
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        assert!(
            run.status.success(),
            "tutorial.md:{}: the block failed ({}):\n{}\nstderr:\n{stderr}",
            step.line,
            run.status,
            step.script
        );
        if let Some(expected) = &step.output {
            assert_eq!(
                stdout, *expected,
                "tutorial.md:{}: the output shown is not what it prints",
                step.line
            );
        }
    }
    for out in ["results/scores.csv", "audit/audit.md", "compare/compare.md", "report/index.html"] {
        assert!(dir.path().join("my-index").join(out).is_file(), "the tutorial wrote my-index/{out}");
    }
}

#[test]
fn blocks_are_found_with_their_outputs() {
    let md = "text\n```sh tested\na\nb \\\n  c\n```\n\n```text output\nx\n```\n```sh\nnot run\n```\n\
              ```sh tested\nd\n```\nprose\n```text\nnot an output\n```\n";
    let s = steps(md);
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].script.as_str(), s[0].line, s[0].output.as_deref()), ("a\nb \\\n  c\n", 2, Some("x\n")));
    assert_eq!((s[1].script.as_str(), s[1].output.as_deref()), ("d\n", None));
}
