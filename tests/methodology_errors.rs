//! Methodology errors name the key and its line; `validate` exits 1 and writes nothing.

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti};

fn invalid(toml: &str, expect: &[&str]) -> String {
    let dir = fixture(&[("m.toml", toml), ("d.csv", SMALL_DATA)]);
    let out = gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in expect {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    stderr
}

#[test]
fn the_small_methodology_is_valid() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA)]);
    gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .assert()
        .success()
        .stdout(predicates::str::contains("ok: I 1 (3 nodes, 3 indicators)"));
}

#[test]
fn unknown_key_names_key_and_line() {
    // Line 19 is `direction = -1` of a2; put a misspelt key there.
    let toml = SMALL_TOML.replace("direction = -1", "wieght = 2");
    _ = invalid(&toml, &["m.toml:19:1", "unknown field `wieght`"]);
}

#[test]
fn unknown_method_key_names_the_line() {
    let toml = SMALL_TOML
        .replace("[indicator.b1]\n", "[indicator.b1]\nnormalise = { method = \"minmax\", rnage = [0, 1] }\n");
    _ = invalid(&toml, &["m.toml:25:42", "unknown key `rnage`"]);
}

#[test]
fn orphan_parent() {
    let err = invalid(
        &SMALL_TOML.replace("parent = \"B\"", "parent = \"C\""),
        &["m.toml:25:10", "parent 'C' of 'b1' is not declared"],
    );
    assert!(!err.contains("cycle"), "an orphan is not a cycle: {err}");
}

#[test]
fn cycle() {
    let toml = SMALL_TOML
        .replace("[node.A]\nparent = \"I\"", "[node.A]\nparent = \"B\"")
        .replace("[node.B]\nparent = \"I\"", "[node.B]\nparent = \"A\"");
    _ = invalid(&toml, &["parents form a cycle"]);
}

#[test]
fn duplicate_code() {
    _ = invalid(&format!("{SMALL_TOML}\n[indicator.A]\nparent = \"I\"\n"), &["duplicate code 'A'"]);
}

#[test]
fn no_indicators() {
    _ = invalid(
        "schema = 1\n[index]\ncode = \"I\"\nname = \"x\"\nversion = \"1\"\n[node.I]\n",
        &["declares no indicators"],
    );
}

#[test]
fn negative_and_all_zero_weights() {
    _ = invalid(
        &SMALL_TOML.replace("[indicator.b1]\n", "[indicator.b1]\nweight = -1\n"),
        &["m.toml:25:10", "weights must be finite and >= 0"],
    );
    _ = invalid(
        &SMALL_TOML.replace("[indicator.b1]\n", "[indicator.b1]\nweight = 0\n"),
        &["every child of node 'B' has weight 0"],
    );
}

#[test]
fn unknown_method_lists_the_known_ones() {
    _ = invalid(
        &SMALL_TOML.replace("[node.A]\n", "[node.A]\naggregate = { method = \"mode\" }\n"),
        &["unknown method 'mode'", "arithmetic, geometric"],
    );
}

#[test]
fn bad_direction_and_root() {
    _ = invalid(&SMALL_TOML.replace("direction = -1", "direction = 2"), &["m.toml:19:13", "must be 1 or -1"]);
    _ = invalid(&SMALL_TOML.replace("code = \"I\"", "code = \"J\""), &["root node 'I' is not the index 'J'"]);
}

#[test]
fn toml_syntax_error_has_a_line() {
    _ = invalid(
        &SMALL_TOML.replace("version = \"1\"", "version = \"1"),
        &["m.toml:6:13", "invalid basic string"],
    );
}

#[test]
fn set_on_an_unknown_node_is_an_error() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA)]);
    gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .args(["--set", "node.Z.weight=2"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is no [node.Z]"));
}

#[test]
fn set_paths_from_design_are_accepted() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA)]);
    let sets = [
        "defaults.normalise.method=zscore",
        "defaults.normalise.range=[1, 100]",
        "defaults.aggregate.method=geometric",
        "defaults.impute.method=median",
        "defaults.treat.method=none",
        "node.A.weight=2",
        "indicator.a1.weight=0.5",
        "indicator.a1.direction=-1",
    ];
    for s in sets {
        gti()
            .arg("validate")
            .arg("-m")
            .arg(dir.path().join("m.toml"))
            .arg("-d")
            .arg(dir.path().join("d.csv"))
            .args(["--set", s])
            .assert()
            .success();
    }
}

#[test]
fn overlapping_bands_are_found_past_other_nodes_bands() {
    // A's bands [0, 100) and [50, 60) overlap; B's band sorts between them.
    let bands = "\n[[band]]\nlabel = \"wide\"\nmin = 0\nmax = 100\nnodes = [\"A\"]\n\n[[band]]\nlabel = \"b\"\nmin = 10\nmax = 20\nnodes = [\"B\"]\n\n[[band]]\nlabel = \"narrow\"\nmin = 50\nmax = 60\nnodes = [\"A\"]\n";
    _ = invalid(&format!("{SMALL_TOML}{bands}"), &["bands 'wide' and 'narrow' overlap"]);
}

#[test]
fn bounds_on_goalposts_is_an_error_and_aliases_keep_default_keys() {
    let toml = SMALL_TOML.replace(
        "[indicator.b1]\n",
        "[indicator.b1]\nnormalise = { method = \"goalposts\", min = 0, max = 10, bounds = \"panel\" }\n",
    );
    _ = invalid(
        &toml,
        &["indicator.b1.normalise: unknown key `bounds`", "goalposts takes: min, max, range, truncate, log"],
    );
    // n_goalposts over a default goalposts table is the same method: min and max carry over.
    let with_default = SMALL_TOML
        .replace(
            "[node.I]\n",
            "[defaults]\nnormalise = { method = \"goalposts\", min = 0, max = 10 }\n\n[node.I]\n",
        )
        .replace(
            "[indicator.b1]\n",
            "[indicator.b1]\nnormalise = { method = \"n_goalposts\", truncate = false }\n",
        );
    let dir = fixture(&[("m.toml", &with_default), ("d.csv", SMALL_DATA)]);
    gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .assert()
        .success();
}
