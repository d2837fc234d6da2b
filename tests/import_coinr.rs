//! `gti import coinr` on small hand-made iMeta/iData: what it does with a Direction on an
//! aggregate (folds it into the indicators below) and with a repeated uCode (refuses it at
//! the iData line). The ASEM reference is in `coinr_reference.rs`.

use crate::util::{close, fixture, gti, scores};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::Path;

/// Index Idx over P1 (a1, a2 with Direction -1) and P2 (b1, and the sub-pillar Q with b2);
/// `{P2}` and `{Q}` are P2's and Q's Directions.
const IMETA: &str = "Level,iCode,iName,Direction,Weight,Parent,Type
1,a1,A one,1,1,P1,Indicator
1,a2,A two,-1,1,P1,Indicator
1,b1,B one,1,1,P2,Indicator
1,b2,B two,-1,1,Q,Indicator
2,Q,Sub-pillar,{Q},1,P2,Aggregate
2,P1,Pillar one,1,1,Idx,Aggregate
3,P2,Pillar two,{P2},1,Idx,Aggregate
4,Idx,Index,1,1,,Aggregate
";

const IDATA: &str = "uCode,uName,Time,a1,a2,b1,b2
XAA,Aa,2024,1,10,5,3
XAB,Ab,2024,2,20,7,1
XAC,Ac,2024,4,40,6,2
";

fn import(dir: &Path, imeta: &str, idata: &str, out: &str) -> assert_cmd::assert::Assert {
    std::fs::write(dir.join(format!("{out}-imeta.csv")), imeta).unwrap();
    std::fs::write(dir.join(format!("{out}-idata.csv")), idata).unwrap();
    gti()
        .current_dir(dir)
        .args(["import", "coinr", "--idata", &format!("{out}-idata.csv")])
        .args(["--imeta", &format!("{out}-imeta.csv"), "-o", out])
        .assert()
}

/// Imports with the given Directions of P2 and Q, computes, and returns the scores.
fn run(dir: &Path, p2: i32, q: i32) -> crate::util::Scores {
    let out = format!("p{p2}q{q}");
    let imeta = IMETA.replace("{P2}", &p2.to_string()).replace("{Q}", &q.to_string());
    import(dir, &imeta, IDATA, &out).success();
    gti()
        .current_dir(dir)
        .args(["compute", "-m", &format!("{out}/methodology.toml"), "-d", &out, "-o"])
        .arg(format!("{out}/results"))
        .assert()
        .success();
    scores(&dir.join(&out).join("results/scores.csv"))
}

fn score(s: &crate::util::Scores, unit: &str, node: &str) -> f64 {
    s[&(unit.to_string(), "2024".to_string(), node.to_string())]["score"].parse().unwrap()
}

/// COINr ignores a Direction on an aggregate (its issue #66); gti folds it into the
/// indicators below, so that with min-max onto [0, 100] and arithmetic means the aggregate
/// is 100 minus its score under Direction 1, and enters its parent so.
#[test]
fn a_direction_on_an_aggregate_flips_it() {
    let dir = fixture(&[]);
    let plain = run(dir.path(), 1, 1);
    let flipped = run(dir.path(), -1, 1);
    for unit in ["XAA", "XAB", "XAC"] {
        let (p1, p2) = (score(&plain, unit, "P1"), score(&plain, unit, "P2"));
        assert!(close(score(&flipped, unit, "P2"), 100.0 - p2), "{unit}: P2 is not flipped");
        assert!(close(score(&flipped, unit, "P1"), p1), "{unit}: P1 must not change");
        assert!(close(score(&flipped, unit, "Idx"), (p1 + 100.0 - p2) / 2.0), "{unit}: index");
    }
    // By hand, b1 = (5, 7, 6) → min-max (0, 100, 50), flipped (100, 0, 50); b2 has Direction
    // -1: (3, 1, 2) → (0, 100, 50), flipped (100, 0, 50). P2 = (100, 0, 50).
    assert_eq!(
        ["XAA", "XAB", "XAC"].map(|u| score(&flipped, u, "P2")),
        [100.0, 0.0, 50.0],
        "P2 under Direction -1"
    );
    // Two flips on the way down cancel: Q's -1 and P2's -1 leave b2 as it was.
    let twice = run(dir.path(), -1, -1);
    for unit in ["XAA", "XAB", "XAC"] {
        assert!(close(score(&twice, unit, "b2"), score(&plain, unit, "b2")), "{unit}: b2");
        assert!(close(score(&twice, unit, "Q"), score(&plain, unit, "Q")), "{unit}: Q");
    }
    let toml = std::fs::read_to_string(dir.path().join("p-1q1/methodology.toml")).unwrap();
    assert!(
        toml.contains("# iMeta Direction -1: folded into the direction of every indicator below"),
        "{toml}"
    );
    assert!(toml.contains("direction = -1  # iMeta: 1, times -1 for P2 (line 8)"), "{toml}");
    assert!(toml.contains("direction = 1  # iMeta: -1, times -1 for P2 (line 8)"), "{toml}");
}

#[test]
fn a_direction_on_an_aggregate_other_than_one_or_minus_one_is_refused() {
    let dir = fixture(&[]);
    let imeta = IMETA.replace("{P2}", "0").replace("{Q}", "1");
    import(dir.path(), &imeta, IDATA, "bad")
        .code(1)
        .stderr(contains("bad-imeta.csv:8").and(contains("Direction of 'P2' is 0; it must be 1 or -1")));
    assert!(!dir.path().join("bad").exists());
}

/// A uCode given twice (for the same Time) used to pass, units.csv keeping one name, and
/// the error came later from `compute`, pointing at the generated indicators.csv.
#[test]
fn a_repeated_ucode_is_refused_at_its_idata_line() {
    let dir = fixture(&[]);
    let imeta = IMETA.replace("{P2}", "1").replace("{Q}", "1");
    let twice = format!("{IDATA}XAA,Other name,2024,1,1,1,1\n");
    import(dir.path(), &imeta, &twice, "twice").code(1).stderr(
        contains("twice-idata.csv:5: uCode 'XAA' is given twice for Time 2024 (first at line 2)")
            .and(contains("hint: iData holds one row per unit")),
    );
    assert!(!dir.path().join("twice").exists());
    // Without a Time column (the year from --year), one row per uCode.
    let no_time = "uCode,uName,a1,a2,b1,b2\nXAA,Aa,1,1,1,1\nXAB,Ab,1,1,1,1\nXAA,Aa,2,2,2,2\n";
    std::fs::write(dir.path().join("nt-imeta.csv"), &imeta).unwrap();
    std::fs::write(dir.path().join("nt-idata.csv"), no_time).unwrap();
    gti()
        .current_dir(dir.path())
        .args(["import", "coinr", "--idata", "nt-idata.csv", "--imeta", "nt-imeta.csv"])
        .args(["--year", "2024", "-o", "nt"])
        .assert()
        .code(1)
        .stderr(contains("nt-idata.csv:4: uCode 'XAA' is given twice (first at line 2)"));
    // A panel repeats each unit once per Time: its name must agree from year to year.
    let renamed = format!("{IDATA}XAA,Aa,2025,1,1,1,1\nXAB,Renamed,2025,1,1,1,1\n");
    import(dir.path(), &imeta, &renamed, "renamed").code(1).stderr(
        contains("renamed-idata.csv:6: uCode 'XAB' has uName 'Renamed' here and 'Ab' at line 3")
            .and(contains("XAA").not()),
    );
}
