//! The keys a methodology file may hold, table by table, and the method names of each stage:
//! what a `--set` path is checked against before it edits the document, so that a typo is
//! reported once, at the `--set`, with the near miss.
//!
//! The lists mirror the serde types of [`super::raw`] (a test compares them with what serde
//! accepts) and the method names that [`super::params`] reads (a test runs each through it).

use crate::suggest;

pub(crate) const TOP: &[&str] = &[
    "schema",
    "index",
    "changelog",
    "defaults",
    "expert",
    "trend",
    "node",
    "indicator",
    "band",
    "screen",
    "input",
];
pub(crate) const INDEX: &[&str] = &["code", "name", "version", "released", "higher_is", "description"];
pub(crate) const DEFAULTS: &[&str] =
    &["transform", "impute", "treat", "normalise", "aggregate", "missing", "weights"];
pub(crate) const MISSING: &[&str] = &["min_coverage"];
pub(crate) const EXPERT: &[&str] = &[
    "combine",
    "trim",
    "min_respondents",
    "codes",
    "scale",
    "outliers",
    "weight_by_confidence",
    "penalty",
    "disclosure",
];
pub(crate) const OUTLIERS: &[&str] = &["sd", "min_respondents"];
pub(crate) const PENALTY: &[&str] = &["k"];
pub(crate) const DISCLOSURE: &[&str] = &["count_band", "min_respondents"];
pub(crate) const TREND: &[&str] = &["stable"];
pub(crate) const NODE: &[&str] =
    &["name", "parent", "weight", "aggregate", "missing", "description", "weights"];
pub(crate) const INDICATOR: &[&str] = &[
    "name",
    "parent",
    "source",
    "direction",
    "weight",
    "unit",
    "description",
    "transform",
    "impute",
    "treat",
    "normalise",
    "expert",
    "allow_empty",
];
pub(crate) const SCREEN: &[&str] = &["min_availability", "nodes"];
pub(crate) const INPUT: &[&str] = &["na", "delimiter", "decimal_comma"];

/// A stage's method table: the keys any of its methods reads, and every method name.
pub(crate) struct Stage {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub methods: &'static [&'static str],
}

pub(crate) const STAGES: [Stage; 6] = [
    Stage {
        name: "transform",
        keys: &["method", "denominator", "scale"],
        methods: &["none", "log", "ln", "log1p"],
    },
    Stage {
        name: "impute",
        keys: &[
            "method",
            "group",
            "max_age",
            "variables",
            "tolerance",
            "max_iterations",
            "k",
            "features",
            "predictors",
        ],
        methods: &[
            "none",
            "mean",
            "i_mean",
            "median",
            "i_median",
            "group_mean",
            "i_mean_grp",
            "group_median",
            "i_median_grp",
            "latest",
            "linear",
            "em",
            "knn",
            "regression",
        ],
    },
    Stage {
        name: "treat",
        keys: &["method", "by", "winmax", "skew", "kurtosis", "fallback", "percentiles", "min", "max"],
        methods: &["none", "winsorise", "winsorize", "clip", "caps"],
    },
    Stage {
        name: "normalise",
        keys: &[
            "method",
            "range",
            "bounds",
            "reference_year",
            "mean",
            "sd",
            "min",
            "max",
            "truncate",
            "target",
            "cap",
            "p",
            "log",
        ],
        methods: &[
            "none",
            "minmax",
            "n_minmax",
            "zscore",
            "n_zscore",
            "goalposts",
            "n_goalposts",
            "rank",
            "n_rank",
            "borda",
            "n_borda",
            "percentile",
            "n_prank",
            "distance_to_target",
            "n_dist2targ",
            "fraction_of_max",
            "n_fracmax",
        ],
    },
    Stage {
        name: "aggregate",
        keys: &[
            "method",
            "p",
            "standardise",
            "sd",
            "reference",
            "reference_year",
            "min_share",
            "max_share",
            "range",
            "robust",
            "seed",
        ],
        methods: &[
            "arithmetic",
            "a_amean",
            "mean",
            "geometric",
            "a_gmean",
            "harmonic",
            "a_hmean",
            "generalised",
            "generalized",
            "a_genmean",
            "median",
            "min",
            "minimum",
            "sum",
            "mpi",
            "ci_mpi",
            "ampi",
            "ci_ampi",
            "bod",
            "ci_bod",
            "copeland",
            "a_copeland",
        ],
    },
    Stage {
        name: "weights",
        keys: &["method", "fit_year", "factors", "min_eigenvalue", "min_cumulative", "targets"],
        methods: &["declared", "pca", "factor", "entropy", "critic", "optimised", "optimized"],
    },
];

pub(crate) fn stage(name: &str) -> Option<&'static Stage> {
    STAGES.iter().find(|s| s.name == name)
}

/// The codes declared as `[node.*]` and `[indicator.*]` in the document being edited.
pub(crate) struct Declared<'a> {
    pub nodes: Vec<&'a str>,
    pub indicators: Vec<&'a str>,
}

/// What is wrong with a `--set` path, and what the user can choose from.
#[derive(Debug, PartialEq)]
pub(crate) struct Miss {
    pub message: String,
    pub hint: String,
}

fn miss(message: String, hint: String) -> Result<(), Miss> {
    Err(Miss { message, hint })
}

/// Why a `--set` path names nothing the methodology can hold, with the near miss.
pub(crate) fn check_path(segs: &[&str], value: &toml_edit::Value, declared: &Declared) -> Result<(), Miss> {
    let known = known_in;
    let Some((&top, rest)) = segs.split_first() else { return Ok(()) };
    known(top, TOP, "the methodology")?;
    match (top, rest) {
        ("index", [k, ..]) => known(k, INDEX, "[index]"),
        ("trend", [k, ..]) => known(k, TREND, "[trend]"),
        ("input", [k, ..]) => known(k, INPUT, "[input]"),
        ("screen", [k, more @ ..]) => {
            known(k, SCREEN, "[screen]")?;
            match (*k, more) {
                ("nodes", [code, ..]) => code_of("node", code, &declared.nodes, &declared.indicators),
                _ => Ok(()),
            }
        }
        ("expert", [k, more @ ..]) => expert(k, more, "[expert]", true),
        ("defaults", [k, more @ ..]) => {
            known(k, DEFAULTS, "[defaults]")?;
            table_key(&format!("defaults.{k}"), k, more, value)
        }
        ("node", [code, more @ ..]) => {
            code_of("node", code, &declared.nodes, &declared.indicators)?;
            let [k, more @ ..] = more else { return Ok(()) };
            known(k, NODE, &format!("[node.{code}]"))?;
            table_key(&format!("node.{code}.{k}"), k, more, value)
        }
        ("indicator", [code, more @ ..]) => {
            code_of("indicator", code, &declared.indicators, &declared.nodes)?;
            let [k, more @ ..] = more else { return Ok(()) };
            known(k, INDICATOR, &format!("[indicator.{code}]"))?;
            if *k == "expert" {
                let [k2, more @ ..] = more else { return Ok(()) };
                return expert(k2, more, &format!("indicator.{code}.expert"), false);
            }
            table_key(&format!("indicator.{code}.{k}"), k, more, value)
        }
        _ => Ok(()),
    }
}

/// `[node.CODE]` or `[indicator.CODE]` must be declared; a code of the other kind is named.
fn code_of(kind: &str, code: &str, same: &[&str], other: &[&str]) -> Result<(), Miss> {
    if same.contains(&code) {
        return Ok(());
    }
    let other_kind = if kind == "node" { "indicator" } else { "node" };
    if other.contains(&code) {
        return miss(
            format!("'{code}' is an {other_kind}, not a {kind}"),
            format!("write {other_kind}.{code}.…"),
        );
    }
    let near = suggest::hint(code, same.iter().copied());
    let shown: Vec<&str> = same.iter().take(12).copied().collect();
    let more =
        if same.len() > shown.len() { format!(", … ({} in all)", same.len()) } else { String::new() };
    miss(format!("there is no [{kind}.{code}]{near}"), format!("the {kind}s are: {}{more}", shown.join(", ")))
}

/// A key under a method table (`defaults.normalise.method`) or `missing`.
fn table_key(what: &str, table: &str, rest: &[&str], value: &toml_edit::Value) -> Result<(), Miss> {
    let [k, ..] = rest else { return Ok(()) };
    if table == "missing" {
        return known_in(k, MISSING, what);
    }
    let Some(stage) = stage(table) else { return Ok(()) };
    known_in(k, stage.keys, what)?;
    if *k == "method" && rest.len() == 1 {
        let methods = format!("the {} methods are: {}", stage.name, stage.methods.join(", "));
        let Some(name) = value.as_str() else {
            return miss(
                format!("{what}.method must be a method name, not {}", value.to_string().trim()),
                methods,
            );
        };
        if !stage.methods.contains(&name.to_ascii_lowercase().as_str()) {
            let near = suggest::hint(name, stage.methods.iter().copied());
            return miss(format!("unknown {} method '{name}'{near}", stage.name), methods);
        }
    }
    Ok(())
}

fn known_in(key: &str, keys: &[&str], what: &str) -> Result<(), Miss> {
    if keys.contains(&key) {
        return Ok(());
    }
    let near = suggest::hint(key, keys.iter().copied());
    miss(format!("unknown key `{key}` in {what}{near}"), format!("the keys there are: {}", keys.join(", ")))
}

/// A key under `[expert]` (`top`) or an indicator's `expert` table, where the publication-wide
/// `penalty` and `disclosure` are not keys.
fn expert(k: &str, rest: &[&str], what: &str, top: bool) -> Result<(), Miss> {
    let keys: Vec<&str> =
        EXPERT.iter().copied().filter(|&e| top || !matches!(e, "penalty" | "disclosure")).collect();
    known_in(k, &keys, what)?;
    match (k, rest) {
        ("outliers", [k2, ..]) => known_in(k2, OUTLIERS, &format!("{what}.outliers")),
        ("penalty", [k2, ..]) => known_in(k2, PENALTY, &format!("{what}.penalty")),
        ("disclosure", [k2, ..]) => known_in(k2, DISCLOSURE, &format!("{what}.disclosure")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methodology::raw::RawMethodology;

    const HEAD: &str = "schema = 1\n[index]\ncode = \"X\"\nname = \"x\"\nversion = \"1\"\n";

    /// The keys serde accepts in the table `header` opens: read from its "expected one of".
    fn serde_keys(table: &str) -> Vec<String> {
        let text = match table {
            "" => format!("zzz_unknown = 1\n{HEAD}"),
            // HEAD ends inside [index].
            "[index]" => format!("{HEAD}zzz_unknown = 1\n"),
            t => format!("{HEAD}{t}\nzzz_unknown = 1\n"),
        };
        let e = toml::from_str::<RawMethodology>(&text).unwrap_err().message().to_string();
        let list = e.rsplit_once("expected ").map_or(e.as_str(), |(_, l)| l);
        let mut keys: Vec<String> =
            super::super::syntax::listed(list).into_iter().map(String::from).collect();
        keys.sort();
        keys
    }

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn the_key_lists_are_the_keys_serde_accepts() {
        assert_eq!(serde_keys(""), sorted(TOP));
        assert_eq!(serde_keys("[index]"), sorted(INDEX));
        assert_eq!(serde_keys("[defaults]"), sorted(DEFAULTS));
        assert_eq!(serde_keys("[expert]"), sorted(EXPERT));
        assert_eq!(serde_keys("[expert.penalty]"), sorted(PENALTY));
        assert_eq!(serde_keys("[expert.disclosure]"), sorted(DISCLOSURE));
        assert_eq!(serde_keys("[trend]"), sorted(TREND));
        assert_eq!(serde_keys("[node.X]"), sorted(NODE));
        assert_eq!(serde_keys("[indicator.a]"), sorted(INDICATOR));
        assert_eq!(serde_keys("[screen]"), sorted(SCREEN));
        assert_eq!(serde_keys("[input]"), sorted(INPUT));
        assert_eq!(serde_keys("[defaults.missing]"), sorted(MISSING));
    }

    fn check(path: &str, value: &str) -> Result<(), String> {
        let declared = Declared { nodes: vec!["X", "EXP"], indicators: vec!["press_freedom"] };
        let segs: Vec<&str> = path.split('.').collect();
        check_path(&segs, &value.parse().unwrap(), &declared)
            .map_err(|m| format!("{}; {}", m.message, m.hint))
    }

    #[test]
    fn typos_are_named_with_the_near_miss() {
        let e = check("node.EXP.wieght", "0.6").unwrap_err();
        assert!(e.starts_with("unknown key `wieght` in [node.EXP] (did you mean `weight`?)"), "{e}");
        let e = check("defaults.normalise.metod", "\"zscore\"").unwrap_err();
        assert!(e.starts_with("unknown key `metod` in defaults.normalise (did you mean `method`?)"), "{e}");
        let e = check("defaults.normalise.method", "\"minmaxx\"").unwrap_err();
        assert!(e.starts_with("unknown normalise method 'minmaxx' (did you mean `minmax`?)"), "{e}");
        let e = check("indicator.press_freedon.weight", "2").unwrap_err();
        assert_eq!(
            e,
            "there is no [indicator.press_freedon] (did you mean `press_freedom`?); the indicators are: press_freedom"
        );
        let e = check("node.press_freedom.weight", "2").unwrap_err();
        assert!(e.starts_with("'press_freedom' is an indicator, not a node"), "{e}");
        let e = check("defualts.normalise.method", "\"zscore\"").unwrap_err();
        assert!(e.contains("(did you mean `defaults`?)"), "{e}");
        let e = check("indicator.press_freedom.expert.penalty.k", "1").unwrap_err();
        assert!(e.starts_with("unknown key `penalty` in indicator.press_freedom.expert"), "{e}");
        let e = check("indicator.press_freedom.expert.disclosure.count_band", "5").unwrap_err();
        assert!(e.starts_with("unknown key `disclosure` in indicator.press_freedom.expert"), "{e}");
        let e = check("expert.disclosure.count_bands", "5").unwrap_err();
        assert!(
            e.starts_with("unknown key `count_bands` in [expert].disclosure (did you mean `count_band`?)"),
            "{e}"
        );
    }

    #[test]
    fn good_paths_pass() {
        for (p, v) in [
            ("node.EXP.weight", "0.6"),
            ("defaults.normalise.method", "\"ZScore\""),
            ("defaults.normalise.range", "[1, 100]"),
            ("defaults.aggregate.method", "\"a_gmean\""),
            ("defaults.missing.min_coverage", "0.7"),
            ("indicator.press_freedom.treat", "{ method = \"winsorise\" }"),
            ("indicator.press_freedom.expert.outliers.sd", "2"),
            ("expert.codes.yes", "1"),
            ("expert.penalty.k", "1"),
            ("expert.disclosure.count_band", "10"),
            ("expert.disclosure", "{ min_respondents = 7 }"),
            ("screen.nodes.EXP", "0.5"),
            ("index.version", "\"2\""),
        ] {
            assert_eq!(check(p, v), Ok(()), "{p}={v}");
        }
    }
}
