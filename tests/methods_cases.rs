//! Issue 18's methods at their edges: the degenerate cases of docs/methods.md for the
//! non-compensatory aggregations, the methodology checks that need the framework, `--set`
//! paths, the explorer's live flags and `gti sensitivity`'s refusal.

use crate::methods_support::*;
use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti};

/// Runs `I` over children `a`, `b` (or as given) with `node` keys on `data`: Ok(Aggregated
/// values and the manifest) or Err(stderr).
fn run(children: &[(&str, f64)], node: &str, data: &str) -> Result<(Values, String), String> {
    let dir = tempfile::tempdir().unwrap();
    let (m, d) = hand(dir.path(), &hand_methodology(children, node, ""), data);
    let out = dir.path().join("out");
    try_compute(&m, &d, &out, &["--dataset", "Aggregated"])?;
    Ok((aggregated(&out), std::fs::read_to_string(out.join("manifest.json")).unwrap()))
}

const AB: [(&str, f64); 2] = [("a", 1.0), ("b", 1.0)];

fn score(v: &Values, unit: &str) -> f64 {
    v[&(unit.to_string(), "2024".to_string(), "I".to_string())]
}

fn data(rows: &[(&str, &str, f64)]) -> String {
    let mut s = String::from("unit,year,indicator,value\n");
    for (u, c, v) in rows {
        s.push_str(&format!("{u},2024,{c},{v}\n"));
    }
    s
}

#[test]
fn mpi_degenerate_cases() {
    // A constant child is standardised to 100 (logged); b then decides the spread.
    let d = data(&[("XAA", "a", 5.0), ("XAB", "a", 5.0), ("XAA", "b", 1.0), ("XAB", "b", 3.0)]);
    let (v, manifest) = run(&AB, r#"aggregate = { method = "mpi" }"#, &d).unwrap();
    assert!(
        manifest.contains("aggregate: 'I': mpi in 2024: a constant over the units: standardised to 100"),
        "{manifest}"
    );
    // XAB: z = (100, 110): M = 105, S = 5: 105 − 25/105.
    assert!((score(&v, "XAB") - (105.0 - 25.0 / 105.0)).abs() < 1e-12);
    // A node with one child: no spread, no penalty (z itself).
    let (v, _) = run(&[("b", 1.0)], r#"aggregate = { method = "mpi" }"#, &d).unwrap();
    assert_eq!(score(&v, "XAA"), 90.0);
    // A non-positive mean with spread: an error naming the unit.
    let neg = data(&[("XAA", "a", -5.0), ("XAA", "b", 1.0), ("XAB", "a", 1.0), ("XAB", "b", 2.0)]);
    let e = run(&AB, r#"aggregate = { method = "mpi", standardise = false }"#, &neg).unwrap_err();
    assert!(
        e.contains("mpi needs a positive mean of the children (M = -2)") && e.contains("unit XAA"),
        "{e}"
    );
    // A missing child: M and S over the unit's present children.
    let gap = data(&[("XAA", "a", 2.0), ("XAA", "b", 6.0), ("XAB", "b", 4.0)]);
    let (v, _) = run(&AB, r#"aggregate = { method = "mpi", standardise = false }"#, &gap).unwrap();
    assert_eq!((score(&v, "XAA"), score(&v, "XAB")), (4.0 - 4.0 / 4.0, 4.0));
}

#[test]
fn ampi_degenerate_cases() {
    let two = "unit,year,indicator,value\nXAA,2023,a,1\nXAB,2023,a,1\nXAA,2024,a,1\nXAB,2024,a,1\n\
               XAA,2023,b,2\nXAB,2023,b,4\nXAA,2024,b,6\n";
    // a is constant over the panel: 100, logged; b's goalposts pooled over both years.
    let (v, manifest) = run(&AB, r#"aggregate = { method = "ampi" }"#, two).unwrap();
    assert!(manifest.contains("ampi: a constant over the whole panel: scored 100"), "{manifest}");
    // b: Δ = (6 − 2)/2 = 2, Ref = mean of 2023 = 3: XAA 2024 → 100 + 30·3/2 = 145; M = 122.5,
    // S = 22.5: 122.5 − 22.5²/122.5.
    let xaa = v[&("XAA".into(), "2024".into(), "I".into())];
    assert!((xaa - (122.5 - 22.5f64.powi(2) / 122.5)).abs() < 1e-9, "{xaa}");
    // A reference year where a child has no value: an error.
    let e = run(
        &AB,
        r#"aggregate = { method = "ampi", reference_year = 2024 }"#,
        &two.replace("XAA,2024,b,6\n", ""),
    )
    .unwrap_err();
    assert!(e.contains("ampi: child 'b' has no value in the reference year"), "{e}");
    // A fixed reference value; and a warning when the children are normalised per year.
    let fixed = run(&AB, r#"aggregate = { method = "ampi", reference = 3 }"#, two);
    assert!(fixed.is_ok(), "{fixed:?}");
    // A reference far off the data leaves means ≤ 0: an error, not a score.
    let e = run(&AB, r#"aggregate = { method = "ampi", reference = 50 }"#, two).unwrap_err();
    assert!(e.contains("ampi needs a positive mean of the children"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let toml = hand_methodology(&AB, r#"aggregate = { method = "ampi" }"#, "").replace(
        r#"normalise = { method = "none" }"#,
        r#"normalise = { method = "minmax", bounds = "year" }"#,
    );
    let (m, d) = hand(dir.path(), &toml, &two.replace("XAB,2023,a,1", "XAB,2023,a,3"));
    let o = gti()
        .arg("compute")
        .arg("-m")
        .arg(&m)
        .arg("-d")
        .arg(&d)
        .arg("-o")
        .arg(dir.path().join("o"))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&o.get_output().stderr).to_string();
    let manifest = std::fs::read_to_string(dir.path().join("o/manifest.json")).unwrap();
    assert!(
        manifest.contains(
            "ampi compares levels across years, but a, b beneath it are normalised on each year's units alone"
        ),
        "{stderr}{manifest}"
    );
}

#[test]
fn bod_degenerate_cases() {
    let d = data(&[
        ("XAA", "a", 2.0),
        ("XAA", "b", 0.0),
        ("XAB", "a", 4.0),
        ("XAB", "b", 1.0),
        ("XAC", "a", 0.0),
        ("XAC", "b", 0.0),
        ("XAD", "b", 3.0),
    ]);
    let (v, manifest) = run(&AB, r#"aggregate = { method = "bod" }"#, &d).unwrap();
    // All children 0: 0; a missing child: no score, logged.
    assert_eq!(score(&v, "XAC"), 0.0);
    assert!(score(&v, "XAD").is_nan());
    assert!(manifest.contains("bod needs every child: no score in 2024 for XAD"), "{manifest}");
    // XAB is on the frontier; XAA (2, 0) is dominated by XAB (4, 1): 1/2.
    assert_eq!((score(&v, "XAA"), score(&v, "XAB")), (0.5, 1.0));
    // One child: y / max y.
    let (v, _) = run(&[("a", 1.0)], r#"aggregate = { method = "bod" }"#, &d).unwrap();
    assert_eq!((score(&v, "XAA"), score(&v, "XAB")), (0.5, 1.0));
    // One unit: 1.
    let one = data(&[("XAA", "a", 2.0), ("XAA", "b", 3.0)]);
    assert_eq!(score(&run(&AB, r#"aggregate = { method = "bod" }"#, &one).unwrap().0, "XAA"), 1.0);
    // A negative child: an error with the hint.
    let e = run(&AB, r#"aggregate = { method = "bod" }"#, &d.replace("XAA,2024,a,2", "XAA,2024,a,-2"))
        .unwrap_err();
    assert!(
        e.contains("bod needs values >= 0 (child a: -2); use a normalisation with a non-negative range"),
        "{e}"
    );
}

#[test]
fn copeland_degenerate_cases() {
    // XAA and XAB share no child: a tie (½ each), logged.
    let d = data(&[("XAA", "a", 1.0), ("XAB", "b", 5.0), ("XAC", "a", 0.0), ("XAC", "b", 0.0)]);
    let (v, manifest) = run(&AB, r#"aggregate = { method = "copeland" }"#, &d).unwrap();
    assert!(
        manifest.contains("copeland in 2024: no child present for both of XAA and XAB: a tie"),
        "{manifest}"
    );
    assert_eq!((score(&v, "XAA"), score(&v, "XAB"), score(&v, "XAC")), (1.5, 1.5, 0.0));
    // One unit: 0, or the midpoint of the range.
    let one = data(&[("XAA", "a", 1.0), ("XAA", "b", 2.0)]);
    assert_eq!(score(&run(&AB, r#"aggregate = { method = "copeland" }"#, &one).unwrap().0, "XAA"), 0.0);
    let mid = run(&AB, r#"aggregate = { method = "copeland", range = [0, 10] }"#, &one).unwrap().0;
    assert_eq!(score(&mid, "XAA"), 5.0);
}

/// `gti validate` on methodology `toml` with SMALL_DATA: the exit code and stdout + stderr.
fn validate(toml: &str) -> (i32, String) {
    let dir = fixture(&[("m.toml", toml), ("d.csv", SMALL_DATA)]);
    let o = gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    (o.status.code().unwrap(), text)
}

/// `gti validate` on SMALL_TOML with `extra` appended; the output, asserting exit 1.
fn invalid(extra: &str) -> String {
    let (code, text) = validate(&format!("{SMALL_TOML}{extra}"));
    assert_eq!(code, 1, "{text}");
    text
}

/// SMALL_TOML with the table of node `A` (children a1, a2) given `keys`: the exit code
/// followed by the output.
fn node_a(keys: &str) -> String {
    let (code, text) = validate(
        &SMALL_TOML.replace("[node.A]\nparent = \"I\"\n", &format!("[node.A]\nparent = \"I\"\n{keys}\n")),
    );
    format!("{code}{text}")
}

#[test]
fn methodology_checks_that_need_the_framework() {
    let e = node_a(
        r#"aggregate = { method = "bod" }
weights = { method = "pca" }"#,
    );
    assert!(
        e.starts_with('1')
            && e.contains("node 'A' aggregates by bod, which does not use its children's weights"),
        "{e}"
    );
    let e = node_a(
        r#"aggregate = { method = "mpi" }
weights = { method = "optimised" }"#,
    );
    assert!(e.contains("optimised weights need a mean of each unit's children, not mpi"), "{e}");
    let e = node_a(r#"weights = { method = "pca", factors = 3 }"#);
    assert!(e.contains("pca with factors = 3, but it has 2 weighted child(ren)"), "{e}");
    let e = node_a(r#"weights = { method = "optimised", targets = { a11 = 2 } }"#);
    assert!(
        e.contains("m.toml:13:45: node 'A': 'a11' is not one of its children (did you mean `a1`?)"),
        "{e}"
    );
    let e = node_a(r#"aggregate = { method = "bod", min_share = { a1 = 0.8 }, max_share = 0.5 }"#);
    assert!(e.contains("min_share of 'a1' is above its max_share"), "{e}");
    let e = node_a(r#"aggregate = { method = "bod", min_share = 0.6 }"#);
    assert!(e.contains("BoD needs Σ min_share ≤ 1 ≤ Σ max_share"), "{e}");
    let e = node_a(r#"aggregate = { method = "mpi", range = [0, 100] }"#);
    assert!(
        e.contains("node.A.aggregate: unknown key `range`") && e.contains("mpi takes: standardise, sd"),
        "{e}"
    );
    let e = node_a(r#"weights = { method = "pcaa" }"#);
    assert!(e.contains("node.A.weights: unknown method 'pcaa' (did you mean `pca`?)"), "{e}");
    // A key of [defaults] that the node's method does not read is noted, as for other stages.
    let (code, e) =
        validate(&format!("{SMALL_TOML}\n[defaults]\nweights = {{ method = \"entropy\", factors = 2 }}\n"));
    assert_eq!(code, 0, "{e}");
    assert!(e.contains("node.I.weights: `factors` from [defaults] is not used by entropy"), "{e}");
    let e = invalid("\n[node.B.weights]\nmethod = \"entropy\"\nfactors = 2\n");
    assert!(e.contains("unknown key `factors`") && e.contains("entropy takes: fit_year"), "{e}");
    assert!(
        node_a(r#"aggregate = { method = "bod", robust = { m = 2, draws = 10 }, seed = 3 }"#)
            .starts_with('0')
    );
    assert!(node_a(r#"weights = { method = "critic", fit_year = 2024 }"#).starts_with('0'));
}

#[test]
fn set_paths_reach_the_new_keys() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA)]);
    let validate = |sets: &[&str]| {
        let mut c = gti();
        c.arg("validate").arg("-m").arg(dir.path().join("m.toml")).arg("-d").arg(dir.path().join("d.csv"));
        sets.iter().for_each(|s| _ = c.args(["--set", s]));
        c.output().unwrap()
    };
    for ok in [
        &["node.A.weights.method=pca"][..],
        &["defaults.weights.method=entropy", "defaults.weights.fit_year=2024"],
        &["node.I.aggregate.method=a_copeland"],
        &["node.A.aggregate.method=ci_mpi", "node.A.aggregate.sd=sample"],
        &["node.A.aggregate.method=bod", "node.A.aggregate.min_share.a1=0.2"],
    ] {
        let o = validate(ok);
        assert!(o.status.success(), "{ok:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let o = validate(&["node.A.weights.method=pcaa"]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("unknown weights method 'pcaa' (did you mean `pca`?)"), "{e}");
    let o = validate(&["node.A.weights.fit_yaer=2024"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("(did you mean `fit_year`?)"));
}

#[test]
fn explorer_marks_what_it_does_not_recompute() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL_TOML
        .replace(
            "[node.A]\nparent = \"I\"\n",
            "[node.A]\nparent = \"I\"\nweights = { method = \"entropy\" }\n",
        )
        .replace(
            "[node.B]\nparent = \"I\"\n",
            "[node.B]\nparent = \"I\"\naggregate = { method = \"copeland\" }\n",
        );
    let files = fixture(&[("m.toml", &text), ("d.csv", SMALL_DATA)]);
    gti()
        .arg("explore")
        .arg("-q")
        .arg("-m")
        .arg(files.path().join("m.toml"))
        .arg("-d")
        .arg(files.path().join("d.csv"))
        .arg("-o")
        .arg(dir.path())
        .assert()
        .success();
    let model = crate::explore::embedded_model(&dir.path().join("index.html"));
    let el = |code: &str| {
        model["elements"].as_array().unwrap().iter().find(|e| e["code"] == code).unwrap().clone()
    };
    assert_eq!(el("A")["live"], false);
    assert!(el("A")["why"].as_str().unwrap().contains("fitted from the data"));
    assert_eq!(el("B")["live"], false);
    assert!(el("B")["why"].as_str().unwrap().contains("non-compensatory"));
    assert_eq!(el("I")["live"], true);
    assert!(el("a1")["weight_why"].as_str().unwrap().contains("fitted from the data by its parent"));
    assert!(el("b1").get("weight_why").is_none() && el("A").get("weight_why").is_none());
}

/// `gti sensitivity` on methodology `toml` and `spec` with SMALL_DATA; stderr, asserting exit 1.
fn sensitivity_refused(toml: &str, spec: &str) -> String {
    let dir = fixture(&[("m.toml", toml), ("d.csv", SMALL_DATA), ("spec.toml", spec)]);
    let o = gti()
        .arg("sensitivity")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .arg("--spec")
        .arg(dir.path().join("spec.toml"))
        .args(["--runs", "10", "-o"])
        .arg(dir.path().join("ua"))
        .assert()
        .code(1);
    String::from_utf8_lossy(&o.get_output().stderr).to_string()
}

#[test]
fn sensitivity_refuses_what_it_cannot_reaggregate() {
    let spec = "[[input]]\npath = \"weights\"\nnoise = 0.2\n";
    for (keys, want) in [
        (
            "aggregate = { method = \"mpi\" }",
            "node 'A' is aggregated by mpi, which compares the units with each other",
        ),
        ("weights = { method = \"pca\" }", "node 'A' fits its children's weights from the data (pca)"),
    ] {
        let text =
            SMALL_TOML.replace("[node.A]\nparent = \"I\"\n", &format!("[node.A]\nparent = \"I\"\n{keys}\n"));
        let e = sensitivity_refused(&text, spec);
        assert!(e.contains(want), "{e}");
    }
    // An alternative of the spec that names such a method is refused too.
    let spec = "[[input]]\npath = \"node.A.aggregate.method\"\nvalues = [\"arithmetic\", \"bod\"]\n";
    let e = sensitivity_refused(SMALL_TOML, spec);
    assert!(e.contains("with node.A.aggregate.method = \"bod\"") && e.contains("aggregated by bod"), "{e}");
}
