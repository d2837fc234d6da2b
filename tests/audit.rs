//! `gti audit`, end to end. Expected values come from numpy 2.4 (`np.corrcoef`,
//! `np.linalg.eigh`, the textbook Cronbach alpha with ddof = 1 variances), run once either on
//! COINr's own published aggregates (`expected/minmax-amean/aggregated.csv`) or on the
//! fixture below, normalised by numpy itself (`tests/reference/asem_audit_expected.py`,
//! `tests/reference/audit_expected.py`); the printed numbers are pasted here.

use crate::treat::import_asem;
use crate::util::{close, fixture, gti, read_csv};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn audit(m: &Path, d: &Path, out: &Path, extra: &[&str]) {
    gti().arg("audit").arg("-m").arg(m).arg("-d").arg(d).arg("-o").arg(out).args(extra).assert().success();
}

type Rows = Vec<BTreeMap<String, String>>;

fn row<'a>(rows: &'a Rows, keys: &[(&str, &str)]) -> &'a BTreeMap<String, String> {
    rows.iter().find(|r| keys.iter().all(|(k, v)| r[*k] == *v)).unwrap_or_else(|| panic!("no row {keys:?}"))
}

fn num(r: &BTreeMap<String, String>, col: &str) -> f64 {
    r[col].parse().unwrap_or_else(|_| panic!("{col} = '{}'", r[col]))
}

#[test]
fn asem_audit_matches_numpy_on_coinrs_aggregates() {
    let dir = tempfile::tempdir().unwrap();
    import_asem(dir.path());
    let out = dir.path().join("audit");
    audit(&dir.path().join("methodology.toml"), dir.path(), &out, &[]);
    // numpy on COINr's aggregated.csv (Conn's children, 51 complete cases):
    // alpha 0.8553373127479996; eigenvalues 3.2796673879058202, …; PC1 share 0.655933477581164.
    let nodes = read_csv(&out.join("nodes.csv"));
    let conn = row(&nodes, &[("node", "Conn")]);
    assert_eq!(conn["complete_cases"], "51");
    assert!(close(num(conn, "alpha"), 0.8553373127479996));
    assert!(close(num(conn, "pc1_eigenvalue"), 3.2796673879058202));
    assert!(close(num(conn, "pc1_share"), 0.655933477581164));
    assert!(conn["flags"].contains("redundant(ConEcFin,P2P)"));
    let pca = read_csv(&out.join("pca.csv"));
    let eig: Vec<f64> = pca
        .iter()
        .filter(|r| r["node"] == "Conn" && r["child"] == "Physical")
        .map(|r| num(r, "eigenvalue"))
        .collect();
    let want = [
        3.2796673879058202,
        1.2347568404272817,
        0.27908870669636465,
        0.1361930312874864,
        0.07029403368304882,
    ];
    assert!(eig.iter().zip(want).all(|(a, b)| close(*a, b)), "{eig:?}");
    // Pearson, pairwise complete: ConEcFin~P2P 0.923316770630257 (51), TBTs~Instit
    // −0.5856474015183653 (50 pairs): flagged redundant and negative.
    let corr = read_csv(&out.join("correlations.csv"));
    let r = row(&corr, &[("node", "Conn"), ("a", "ConEcFin"), ("b", "P2P")]);
    assert!(close(num(r, "pearson"), 0.923316770630257) && r["flag"] == "redundant");
    let r = row(&corr, &[("node", "Instit"), ("relation", "with_node"), ("a", "TBTs")]);
    assert!(close(num(r, "pearson"), -0.5856474015183653) && r["n"] == "50" && r["flag"] == "negative");
    assert!(row(&nodes, &[("node", "Instit")])["flags"].contains("negative(TBTs)"));
}

const AUDIT_TOML: &str = r#"schema = 1

[index]
code = "I"
name = "Audit fixture"
version = "1"

[node.I]

[node.A]
parent = "I"

[indicator.a1]
parent = "A"

[indicator.a2]
parent = "A"

[indicator.a3]
parent = "A"
direction = -1

[node.B]
parent = "I"

[indicator.b1]
parent = "B"

[indicator.b2]
parent = "B"
"#;

const AUDIT_DATA: &str = "unit,year,a1,a2,a3,b1,b2
XAA,2024,1,10,9,3,2
XAB,2024,4,30,6,1,7
XAC,2024,2,20,8,4,1
XAD,2024,8,70,1,1,8
XAE,2024,5,40,3,5,2
XAF,2024,7,40,NA,9,8
";

fn audit_fixture(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = fixture(&[("m.toml", AUDIT_TOML), ("data/values.csv", AUDIT_DATA)]);
    let out = dir.path().join("out");
    audit(&dir.path().join("m.toml"), &dir.path().join("data"), &out, extra);
    (dir, out)
}

#[test]
fn audit_of_a_node_against_numpy() {
    let (_d, out) = audit_fixture(&[]);
    // numpy (python3): min-max each indicator onto [0, 100] (a3 negated), A, B, I as means;
    // then for A's children a1, a2, a3 (5 complete cases: XAF lacks a3):
    let nodes = read_csv(&out.join("nodes.csv"));
    let a = row(&nodes, &[("node", "A")]);
    assert_eq!((a["children"].as_str(), a["complete_cases"].as_str()), ("3", "5"));
    assert!(close(num(a, "alpha"), 0.9913861084307298));
    assert_eq!(a["flags"], "redundant(a1,a2);redundant(a1,a3);redundant(a2,a3)");
    // (relation, a, b, pearson, spearman, n), pairwise complete; Spearman with average ranks.
    let want = [
        ("children", "a1", "a2", 0.933277960705161, 0.9856107606091624, "6"),
        ("children", "a1", "a3", 0.9776258038684229, 1.0, "5"),
        ("children", "a2", "a3", 0.9626737200460618, 1.0, "5"),
        ("with_node", "a1", "A", 0.9812986468702065, 1.0, "6"),
        ("with_node", "a2", "A", 0.9784789221612535, 0.9856107606091623, "6"),
        ("with_node", "a3", "A", 0.988333029006204, 1.0, "5"),
        ("with_index", "a1", "I", 0.9743797074820131, 0.942857142857143, "6"),
        ("with_index", "a2", "I", 0.8312324785493157, 0.8986451052612952, "6"),
        ("with_index", "a3", "I", 0.9700254928385735, 1.0, "5"),
    ];
    let corr = read_csv(&out.join("correlations.csv"));
    for (rel, x, y, p, s, n) in want {
        let r = row(&corr, &[("node", "A"), ("relation", rel), ("a", x), ("b", y)]);
        assert!(close(num(r, "pearson"), p) && close(num(r, "spearman"), s) && r["n"] == n, "{r:?}");
    }
    // np.linalg.eigh of the 3×3 correlation matrix of complete cases, decreasing; eigenvectors
    // signed to sum ≥ 0; loadings = eigenvector · √eigenvalue.
    let want = [
        (2.9544559831787174, [0.580197428268105, 0.5772810954789245, 0.574558509669581]),
        (0.03931478735221431, [-0.19913369235490558, -0.5834813580785455, 0.7873342856397895]),
        (0.006229229469067238, [-0.7897573784398463, 0.5712232852199468, 0.2235782673301505]),
    ];
    let pca = read_csv(&out.join("pca.csv"));
    for (j, (value, vector)) in want.iter().enumerate() {
        for (child, v) in ["a1", "a2", "a3"].iter().zip(vector) {
            let r = row(&pca, &[("node", "A"), ("component", &(j + 1).to_string()), ("child", child)]);
            assert!(close(num(r, "eigenvalue"), *value) && close(num(r, "variance_share"), value / 3.0));
            assert!(close(num(r, "eigenvector"), *v) && close(num(r, "loading"), v * value.sqrt()), "{r:?}");
        }
    }
}

#[test]
fn audit_indicator_table_against_numpy() {
    let (_d, out) = audit_fixture(&[]);
    let ind = read_csv(&out.join("indicators.csv"));
    // a3 raw: 9, 6, 8, 1, 3 (one missing of 6). numpy: mean 5.4, sd (ddof 1)
    // 3.361547262794322, G1 −0.3790921809400761, G2 −1.9132273474821833.
    let a3 = row(&ind, &[("indicator", "a3")]);
    assert_eq!((a3["n"].as_str(), a3["parent"].as_str(), a3["flags"].as_str()), ("5", "A", ""));
    assert!(close(num(a3, "missing_share"), 1.0 / 6.0));
    for (col, v) in [
        ("mean", 5.4),
        ("sd", 3.361547262794322),
        ("skew", -0.3790921809400761),
        ("kurtosis", -1.9132273474821833),
    ] {
        assert!(close(num(a3, col), v), "{col}");
    }
    assert_eq!((num(a3, "min"), num(a3, "max")), (1.0, 9.0));
    // a2 = 10, 30, 20, 70, 40, 40: five distinct values of six, the mode 40 held by 2.
    let a2 = row(&ind, &[("indicator", "a2")]);
    assert!(close(num(a2, "unique_share"), 5.0 / 6.0) && close(num(a2, "mode_share"), 2.0 / 6.0));
}

/// Issue 14: skew and kurtosis before and after treatment are both on the data treatment saw
/// (here ln(1 + x)), not "before" on the raw values, which made a log-transformed indicator
/// look winsorised for no reason. Expected values: `tests/reference/audit_treat_expected.py`.
#[test]
fn audit_compares_treatment_on_the_data_it_saw() {
    let toml = "schema = 1\n[index]\ncode = \"I\"\nname = \"t\"\nversion = \"1\"\n[node.I]\n\
                [indicator.a1]\nparent = \"I\"\ntransform = { method = \"log1p\" }\n\
                treat = { method = \"winsorise\" }\n[indicator.b1]\nparent = \"I\"\n";
    let mut data = String::from("unit,year,a1,b1\n");
    for (i, v) in [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000].iter().enumerate() {
        data.push_str(&format!("XA{},2024,{v},{i}\n", (b'A' + i as u8) as char));
    }
    let dir = fixture(&[("m.toml", toml), ("d.csv", &data)]);
    let out = dir.path().join("out");
    audit(&dir.path().join("m.toml"), &dir.path().join("d.csv"), &out, &[]);
    let ind = read_csv(&out.join("indicators.csv"));
    let a1 = row(&ind, &[("indicator", "a1")]);
    // The descriptive columns stay on the chosen data set (Raw): skew 3.16, kurtosis 10.0.
    assert!(close(num(a1, "skew"), 3.161878427717574) && close(num(a1, "kurtosis"), 9.99814839503189));
    // Treatment saw ln(1 + x): skew 2.65, kurtosis 7.81, so it winsorised one point, to
    // skew −0.84, kurtosis −0.20.
    assert_eq!((a1["treated_points"].as_str(), a1["treatment"].as_str()), ("1", "winsorised_high 1"));
    assert!(close(num(a1, "skew_before_treatment"), 2.6497520014106777));
    assert!(close(num(a1, "kurtosis_before_treatment"), 7.81408863558327));
    assert!(close(num(a1, "skew_treated"), -0.8366767443870909));
    assert!(close(num(a1, "kurtosis_treated"), -0.1961801738843425));
    let md = std::fs::read_to_string(out.join("audit.md")).unwrap();
    assert!(md.contains("| winsorised_high 1 | 2.650, 7.814 → -0.837, -0.196 |"), "{md}");
    // An untreated indicator has no before/after.
    let b1 = row(&ind, &[("indicator", "b1")]);
    assert_eq!((b1["skew_before_treatment"].as_str(), b1["skew_treated"].as_str()), ("", ""));
}

#[test]
fn audit_indicator_table_on_another_data_set() {
    // a3 normalised (direction −1): −9, −6, −8, −1, −3 onto [0, 100] by (x + 9)/8·100 =
    // 0, 37.5, 12.5, 100, 75: mean 45. Aggregated holds the same indicator values.
    for dataset in ["Normalised", "Aggregated"] {
        let (_d, out) = audit_fixture(&["--dataset", dataset]);
        let ind = read_csv(&out.join("indicators.csv"));
        let a3 = row(&ind, &[("indicator", "a3")]);
        assert_eq!((num(a3, "min"), num(a3, "max"), num(a3, "mean")), (0.0, 100.0, 45.0), "{dataset}");
    }
}

#[test]
fn audit_flags_coverage_and_near_constant_indicators() {
    let data = "unit,year,a1,a2,a3,b1,b2
XAA,2024,1,10,9,3,2
XAB,2024,4,30,NA,1,2
XAC,2024,2,20,NA,4,2
XAD,2024,8,70,NA,1,2
XAE,2024,5,40,3,5,2
XAF,2024,7,40,NA,9,8
";
    let dir = fixture(&[("m.toml", AUDIT_TOML), ("data/values.csv", data)]);
    let out = dir.path().join("out");
    audit(&dir.path().join("m.toml"), &dir.path().join("data"), &out, &[]);
    let ind = read_csv(&out.join("indicators.csv"));
    // a3: 2 of 6 present (33% < 65%). b2 = 2, 2, 2, 2, 2, 8: 2 is held by 5 of 6 (83% >= 80%);
    // by hand, m2 = 30, m3 = 120, m4 = 630: G1 = √6·120/30^1.5·√30/4 = 2.449 >= 2 and
    // G2 = (7·(6·630/900 − 3) + 6)·5/(4·3) = 6 >= 3.5, so it is an outlier case too.
    assert_eq!(row(&ind, &[("indicator", "a3")])["flags"], "low_coverage");
    assert_eq!(row(&ind, &[("indicator", "b2")])["flags"], "outliers;near_constant");
    // A has 2 complete cases: no alpha, no PCA.
    let a = read_csv(&out.join("nodes.csv")).into_iter().find(|r| r["node"] == "A").unwrap();
    assert_eq!((a["alpha"].as_str(), a["flags"].contains("few_cases")), ("", true));
}

#[test]
fn audit_json_markdown_and_stdout() {
    let dir = fixture(&[("m.toml", AUDIT_TOML), ("data/values.csv", AUDIT_DATA)]);
    let (m, d, out) = (dir.path().join("m.toml"), dir.path().join("data"), dir.path().join("out"));
    audit(&m, &d, &out, &["--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("audit.json")).unwrap()).unwrap();
    for key in ["indicators", "nodes", "correlations", "pca"] {
        assert!(v["audit"][key].as_array().is_some_and(|a| !a.is_empty()), "{key}");
    }
    for key in ["rows", "summary"] {
        assert!(v["audit"]["influence"][key].as_array().is_some_and(|a| !a.is_empty()), "influence {key}");
    }
    assert_eq!(v["manifest"]["command"], "audit");
    assert!(close(v["audit"]["nodes"][1]["alpha"].as_f64().unwrap(), 0.9913861084307298));
    assert!(!out.join("nodes.csv").exists(), "json writes audit.json and audit.md only");
    let md = std::fs::read_to_string(out.join("audit.md")).unwrap();
    assert!(md.starts_with("# Statistical audit: Audit fixture (I 1)"), "{md}");
    assert!(md.contains("| 2024 | A | 3 | 5 | 0.991 | 0.985 | redundant(a1,a2);"), "{md}");
    let o = gti().arg("audit").arg("-m").arg(&m).arg("-d").arg(&d).args(["-o", "-"]).output().unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), md);
}

#[test]
fn audit_reruns_are_byte_identical() {
    let dir = fixture(&[("m.toml", AUDIT_TOML), ("data/values.csv", AUDIT_DATA)]);
    let (m, d) = (dir.path().join("m.toml"), dir.path().join("data"));
    for out in ["a", "b"] {
        audit(&m, &d, &dir.path().join(out), &[]);
    }
    let names = [
        "indicators.csv",
        "nodes.csv",
        "correlations.csv",
        "pca.csv",
        "influence.csv",
        "influence_summary.csv",
        "audit.md",
        "manifest.json",
    ];
    for name in names {
        let a = std::fs::read(dir.path().join("a").join(name)).unwrap();
        assert!(!a.is_empty(), "{name}");
        assert_eq!(a, std::fs::read(dir.path().join("b").join(name)).unwrap(), "{name} differs");
    }
}
