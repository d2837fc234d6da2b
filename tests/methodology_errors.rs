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
    _ = invalid(&toml, &["m.toml:19:1", "unknown key `wieght` in [indicator.a2] (did you mean `weight`?)"]);
}

/// Issue 14: the TOML reader's type names (`expected f64`, `expected i64`), its "string
/// values must be quoted" for `40%` and a bare `duplicate key` are said in the file's words.
#[test]
fn type_errors_are_said_in_words_and_duplicates_name_both_lines() {
    let toml = SMALL_TOML.replace("direction = -1", "weight = \"0.4\"");
    let e = invalid(
        &toml,
        &["m.toml:19:10: `weight` must be a number, not the string \"0.4\"", "remove the quotes"],
    );
    assert!(!e.contains("f64"), "{e}");
    let toml = SMALL_TOML.replace("direction = -1", "direction = \"lower\"");
    let e = invalid(&toml, &["m.toml:19:13: `direction` must be 1 or -1, not the string \"lower\""]);
    assert!(!e.contains("i64"), "{e}");
    let toml = SMALL_TOML.replace("direction = -1", "weight = 40%");
    let e = invalid(
        &toml,
        &["m.toml:19:", "`weight = 40%`: `40%` is not a value TOML knows", "without a unit or %"],
    );
    assert!(!e.contains("must be quoted"), "{e}");
    let toml = format!("{SMALL_TOML}\n[indicator.a2]\nparent = \"A\"\n");
    let e = invalid(&toml, &["table [indicator.a2] is declared twice, at lines 17 and 27"]);
    assert!(!e.contains("duplicate key"), "{e}");
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
    // A near miss among the declared nodes is suggested.
    invalid(
        &SMALL_TOML.replace("parent = \"B\"", "parent = \"BB\""),
        &["parent 'BB' of 'b1' is not declared (did you mean `B`?)"],
    );
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

/// Issue 14: a `--set` typo is reported once, at the `--set`, with the near miss; not at a
/// line of the methodology file, nor once per indicator that `[defaults]` reaches.
#[test]
fn a_set_typo_is_reported_once_at_the_set_with_the_near_miss() {
    let toml =
        SMALL_TOML.replace("[node.I]\n", "[defaults]\nnormalise = { method = \"minmax\" }\n\n[node.I]\n");
    let dir = fixture(&[("m.toml", &toml), ("d.csv", SMALL_DATA)]);
    let run = |set: &str| {
        let out = validate_with(dir.path(), set).code(1);
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    for (set, first) in [
        (
            "node.A.wieght=0.6",
            "--set node.A.wieght=0.6: unknown key `wieght` in [node.A] (did you mean `weight`?)",
        ),
        (
            "defaults.normalise.metod=zscore",
            "--set defaults.normalise.metod=zscore: unknown key `metod` in defaults.normalise (did you mean `method`?)",
        ),
        (
            "defaults.normalise.method=minmaxx",
            "--set defaults.normalise.method=minmaxx: unknown normalise method 'minmaxx' (did you mean `minmax`?)",
        ),
        (
            "indicator.a11.weight=2",
            "--set indicator.a11.weight=2: there is no [indicator.a11] (did you mean `a1`?)",
        ),
    ] {
        let e = run(set);
        assert_eq!(e.lines().next(), Some(format!("error: {first}").as_str()), "{e}");
        assert!(!e.contains("m.toml"), "a --set typo is not the file's: {e}");
        assert_eq!(e.matches(set.split('=').next().unwrap()).count(), 1, "reported once: {e}");
    }
    // A value of the wrong type, found while reading the edited document, is the --set's too,
    // and the same problem reached through [defaults] is said once.
    let e = run("indicator.a1.weight=heavy");
    assert!(e.starts_with("error: --set indicator.a1.weight=heavy: `weight` must be a number"), "{e}");
    let e = run("defaults.normalise.range=[100, 0]");
    assert!(
        e.starts_with("error: --set defaults.normalise.range=[100, 0]: indicator.a1.normalise.range must be [low, high] with low < high (and the same for 2 more indicators)"),
        "{e}"
    );
    assert_eq!(e.matches("must be [low, high]").count(), 1, "{e}");
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
        validate_with(dir.path(), s).success();
    }
}

/// `gti validate -m DIR/m.toml -d DIR/d.csv --set SET`.
fn validate_with(dir: &std::path::Path, set: &str) -> assert_cmd::assert::Assert {
    gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.join("m.toml"))
        .arg("-d")
        .arg(dir.join("d.csv"))
        .args(["--set", set])
        .assert()
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

/// Issue 14: a child without `weight` weighs 1; beside a sibling weighted 0.4 that is surely
/// a slip, and `validate` says so (the file is still valid).
#[test]
fn a_missing_weight_among_shares_is_pointed_out() {
    let warnings = |a1: &str, a2: &str| {
        let toml = SMALL_TOML
            .replace("[indicator.a1]\nparent = \"A\"\n", &format!("[indicator.a1]\nparent = \"A\"\n{a1}"))
            .replace("direction = -1\n", &format!("direction = -1\n{a2}"));
        let dir = fixture(&[("m.toml", &toml), ("d.csv", SMALL_DATA)]);
        let out = validate_with(dir.path(), "index.name=x").success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    let out = warnings("weight = 0.4\n", "");
    assert!(
        out.contains(
            "warning: methodology: node 'A': 'a2' has no `weight` and so weighs 1, while the weights of \
             a1 0.4 look like shares (sum 0.4); each of 'a2' counts 71.4 % of 'A'; if shares were \
             meant, give 'a2' weight = 0.6"
        ),
        "{out}"
    );
    // Not when every weight is given, or the given ones are not shares.
    assert!(!warnings("weight = 0.4\n", "weight = 0.6\n").contains("no `weight`"));
    assert!(!warnings("weight = 2\n", "").contains("no `weight`"));
}
