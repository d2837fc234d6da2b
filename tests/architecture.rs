//! The layering of `src/`, checked on the source text so that it stays true as commands and
//! formats are added (README, "How the code is laid out"):
//!
//! - the command line is the top: only `commands/`, `lib.rs` and `main.rs` name
//!   `crate::commands`; only those and `cli.rs` name `crate::cli`; `cli.rs` names no
//!   command; clap is confined to `cli.rs` and `main.rs`, indicatif to `commands/`;
//! - commands call shared modules, never each other (`commands/mod.rs` is shared);
//! - a stage never reaches into another stage (only `stages/mod.rs`, which runs them in
//!   order, names them), and stages do no I/O.
//!
//! A path is read wherever it is written (`use` lines, grouped `use crate::{…}` and paths in
//! code), with `super::` resolved against the file's module; comment lines are skipped.

use std::path::{Path, PathBuf};

/// A module path, e.g. `["stages", "expert", "checks"]` (the crate root is empty).
type ModPath = Vec<String>;

/// The module a source file under `src/` defines (`stages/impute/mod.rs` → stages::impute).
fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// Every path the text names, resolved to the crate's modules: `crate::a::b`, `super::a`
/// (against `module`), `gti::a` (from main.rs), and each member of `crate::{a, b::c}`.
fn paths(text: &str, module: &ModPath) -> Vec<ModPath> {
    let code: String =
        text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !ident(bytes[i]) || (i > 0 && (ident(bytes[i - 1]) || bytes[i - 1] == b':')) {
            i += 1;
            continue;
        }
        let end = (i..bytes.len()).find(|&j| !ident(bytes[j])).unwrap_or(bytes.len());
        let head = &code[i..end];
        let root: Option<ModPath> = match head {
            "crate" | "gti" => Some(Vec::new()),
            "super" => {
                // The parent module: `a` in `a/b.rs` (module a::b), and in `a/b/mod.rs` too.
                let mut m = module.clone();
                m.pop();
                Some(m)
            }
            _ => None,
        };
        if let Some(mut path) = root {
            let mut j = end;
            let mut members = Vec::new();
            while code[j..].starts_with("::") {
                j += 2;
                if code[j..].starts_with('{') {
                    let close = code[j..].find('}').map_or(code.len(), |k| j + k);
                    for m in code[j + 1..close].split(',') {
                        let seg: Vec<String> = m.split("::").map(|s| s.trim().to_string()).collect();
                        members.push(seg.into_iter().take_while(|s| !s.is_empty() && s != "*").collect());
                    }
                    j = close;
                    break;
                }
                let k = (j..bytes.len()).find(|&k| !ident(bytes[k])).unwrap_or(bytes.len());
                let seg = &code[j..k];
                if seg == "super" {
                    path.pop();
                } else {
                    path.push(seg.to_string());
                }
                j = k;
            }
            if members.is_empty() {
                out.push(path);
            } else {
                for m in members {
                    out.push([path.clone(), m].concat());
                }
            }
            i = j.max(end);
        } else {
            i = end;
        }
    }
    out
}

/// The modules under `src/<dir>/` (files and folders), by name.
fn children(src: &Path, dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(src.join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().trim_end_matches(".rs").to_string())
        .filter(|n| n != "mod")
        .collect();
    out.sort();
    out
}

/// What is wrong with one file, `rel` to `src/`.
fn violations(rel: &Path, text: &str, commands: &[String], stages: &[String]) -> Vec<String> {
    let module = module_of(rel);
    let top = module.first().map(String::as_str).unwrap_or("");
    let root = module.is_empty(); // lib.rs and main.rs
    let mut out = Vec::new();
    let mut bad = |why: String| out.push(format!("{}: {why}", rel.display()));
    for p in paths(text, &module) {
        let shown = format!("crate::{}", p.join("::"));
        match p.first().map(String::as_str) {
            Some("commands") if !root && top != "commands" => {
                bad(format!("names {shown} (only commands/ may)"))
            }
            Some("cli") if !root && !matches!(top, "commands" | "cli") => {
                bad(format!("names {shown} (the command line is for commands/)"))
            }
            _ => {}
        }
        // Commands share commands/mod.rs, and call no other command.
        let other = |layer: &str, names: &[String]| {
            top == layer
                && module.len() >= 2
                && p.len() >= 2
                && p[0] == layer
                && names.contains(&p[1])
                && p[1] != module[1]
        };
        if other("commands", commands) {
            bad(format!("names {shown}: commands call shared modules, never each other"));
        }
        // A stage names no other stage; stages/mod.rs runs them.
        if other("stages", stages) {
            bad(format!("names {shown}: a stage never reaches into another stage"));
        }
    }
    let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
    let uses = |name: &str| {
        code.iter().any(|l| l.contains(&format!("{name}::")) || l.contains(&format!("use {name}")))
    };
    if uses("clap") && !(root || top == "cli") {
        bad("uses clap (only cli.rs and main.rs may)".into());
    }
    if uses("indicatif") && top != "commands" {
        bad("uses indicatif (progress is for commands/)".into());
    }
    if top == "cli" && code.iter().any(|l| l.contains("commands::")) {
        bad("cli.rs names a command (it is a leaf)".into());
    }
    if top == "stages" {
        for io in ["std::fs", "println!", "eprintln!", "std::io::stdout", "std::io::stderr"] {
            if code.iter().any(|l| l.contains(io)) {
                bad(format!("uses {io}: stages do no I/O"));
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_layers_point_one_way() {
    let src = crate::util::repo().join("src");
    let (commands, stages) = (children(&src, "commands"), children(&src, "stages"));
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    assert!(files.len() > 50, "read {} files", files.len());
    let found: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let rel = f.strip_prefix(&src).unwrap();
            violations(rel, &std::fs::read_to_string(f).unwrap(), &commands, &stages)
        })
        .collect();
    assert!(found.is_empty(), "arrows pointing the wrong way:\n{}", found.join("\n"));
}

#[test]
fn the_checker_finds_each_kind_of_wrong_arrow() {
    let commands = vec!["compute".to_string(), "report".to_string()];
    let stages = vec!["aggregate".to_string(), "expert".to_string(), "impute".to_string()];
    let check = |rel: &str, text: &str| violations(Path::new(rel), text, &commands, &stages).len();
    // Below the command line.
    assert_eq!(check("output/audit.rs", "use crate::cli::Format;"), 1);
    assert_eq!(check("report/method.rs", "    x.push(crate::commands::methodology::describe(m));"), 1);
    assert_eq!(check("output/mod.rs", "use crate::{cli, rows};"), 1);
    assert_eq!(check("stages/mod.rs", "#[derive(clap::ValueEnum)]"), 1);
    assert_eq!(check("cli.rs", "#[command(after_help = crate::commands::report::EXAMPLES)]"), 2);
    // Commands.
    assert_eq!(check("commands/report.rs", "let b = super::compute::bundle(m);"), 1);
    assert_eq!(check("commands/report.rs", "use super::{Progress, resolve_inputs};"), 0);
    // Stages.
    assert_eq!(check("stages/expert/checks.rs", "use super::super::impute::median;"), 1);
    assert_eq!(check("stages/expert/combine.rs", "use crate::stages::aggregate::weighted_median;"), 1);
    assert_eq!(check("stages/expert/checks.rs", "use super::combine::Expert;"), 0);
    assert_eq!(check("stages/impute/mod.rs", "use super::aggregate::x;"), 1);
    assert_eq!(check("stages/normalise.rs", "let t = std::fs::read(p);"), 1);
    // Allowed: the top, and comments.
    assert_eq!(check("lib.rs", "cli::Command::Compute(a) => commands::compute::run(&a),"), 0);
    assert_eq!(check("main.rs", "let cli = gti::cli::Cli::parse();"), 0);
    assert_eq!(check("output/csv.rs", "// unlike crate::cli::Format"), 0);
}
