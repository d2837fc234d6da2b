//! `gti completions` and `gti man`: every subcommand of clap's own command tree (so a new one
//! is covered without a change here) is completed in every shell and has its man page.

use crate::util::gti;
use clap::CommandFactory;
use gti::cli::Cli;

/// Every subcommand's path, e.g. `["import", "coinr"]`, walked from clap's command tree.
fn subcommands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_string());
            out.push(p.clone());
            walk(sub, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    out
}

#[test]
fn the_tree_has_the_nested_subcommands() {
    let all = subcommands();
    for p in [&["init"][..], &["completions"], &["man"], &["import", "coinr"], &["methodology", "diff"]] {
        assert!(all.iter().any(|q| q == p), "{p:?} not in {all:?}");
    }
}

/// How each shell's script names the subcommand at `path`: its case (bash, PowerShell,
/// elvish) or its candidate (zsh, fish).
fn named(shell: &str, path: &[String]) -> String {
    let name = path.last().unwrap();
    match shell {
        "bash" => format!("cmd=\"gti__subcmd__{}\"", path.join("__subcmd__")),
        "zsh" => format!("'{name}:"),
        "fish" => format!("-a \"{name}\""),
        "powershell" => format!("'gti;{}'", path.join(";")),
        _ => format!("&'gti;{}'=", path.join(";")),
    }
}

#[test]
fn every_shell_completes_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = gti().args(["completions", shell]).assert().success();
        let script = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for path in subcommands() {
            let name = named(shell, &path);
            assert!(script.contains(&name), "{shell}: no {name} ({path:?})");
        }
    }
}

#[test]
fn the_bash_script_registers_a_completion_for_gti() {
    let Ok(bash) = which("bash") else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gti.bash");
    let out = gti().args(["completions", "bash"]).assert().success();
    std::fs::write(&file, &out.get_output().stdout).unwrap();
    let run = std::process::Command::new(bash)
        .arg("-c")
        .arg(format!("source '{}' && complete -p gti", file.display()))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("gti"));
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()).ok_or(())
}

#[test]
fn man_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    gti().args(["man", "-o"]).arg(dir.path().join("man")).assert().success();
    let mut got: Vec<String> = std::fs::read_dir(dir.path().join("man"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    got.sort();
    let mut expected: Vec<String> = subcommands().iter().map(|p| format!("gti-{}.1", p.join("-"))).collect();
    expected.push("gti.1".into());
    expected.sort();
    assert_eq!(got, expected);
    assert!(got.contains(&"gti-import-coinr.1".to_string()));
    let top = std::fs::read_to_string(dir.path().join("man/gti.1")).unwrap();
    for path in subcommands().iter().filter(|p| p.len() == 1) {
        assert!(top.contains(&path[0]), "gti.1 names {}", path[0]);
    }
    for path in subcommands() {
        let page = std::fs::read_to_string(dir.path().join(format!("man/gti-{}.1", path.join("-")))).unwrap();
        // The page's title line (.TH) names it; its NAME section the command.
        assert!(page.contains(&format!(".TH gti-{}", path.join("-"))), "{path:?}:\n{page}");
    }
}
