//! Transform (COINr's `Denominate`, plus logs): x / d · scale when a denominator is given,
//! then ln(x) (`log`) or ln(1 + x) (`log1p`).
//!
//! A missing denominator makes the value missing. A zero denominator, or a value outside the
//! log's domain, is an error naming the unit, year and indicator: there is no honest value
//! to put there, and silently dropping it would change the sample.

use crate::error::PipelineError;
use crate::methodology::Methodology;
use crate::methodology::methods::{LogKind, Transform};
use crate::table::{Arranged, Panel};

fn one(t: &Transform, x: f64, denom: f64) -> Result<f64, String> {
    let mut v = x;
    if t.denominator.is_some() {
        if denom == 0.0 {
            return Err("the denominator is 0".into());
        }
        v = v / denom * t.scale;
    } else if t.scale != 1.0 {
        v *= t.scale;
    }
    match t.log {
        LogKind::None => Ok(v),
        LogKind::Log if v > 0.0 => Ok(v.ln()),
        LogKind::Log => Err(format!("log of {v}: the value must be > 0 (log1p takes values > -1)")),
        LogKind::Log1p if v > -1.0 => Ok(v.ln_1p()),
        LogKind::Log1p => Err(format!("log1p of {v}: the value must be > -1")),
    }
}

/// Applies each indicator's transform. Indicators without one are copied unchanged.
///
/// # Errors
/// A zero denominator, or a value outside the log's domain.
pub fn transform(data: &Arranged, m: &Methodology) -> Result<Panel, PipelineError> {
    let (raw, aux) = (&data.raw, &data.aux);
    let mut out = raw.clone();
    for (c, &id) in m.framework.indicators.iter().enumerate() {
        let e = m.element(id);
        let t = &e.indicator().expect("indicator").transform;
        if t.is_identity() && t.scale == 1.0 {
            continue;
        }
        let dcol = t.denominator.as_ref().map(|d| match aux.columns.iter().position(|a| a == d) {
            Some(i) => (true, i),
            None => (false, raw.columns.iter().position(|a| a == d).expect("denominators are arranged")),
        });
        for y in 0..raw.years.len() {
            for u in 0..raw.units.len() {
                let x = raw.get(y, c, u);
                let d = match dcol {
                    Some((true, i)) => aux.get(y, i, u),
                    Some((false, i)) => raw.get(y, i, u),
                    None => 1.0,
                };
                if x.is_nan() || d.is_nan() {
                    out.set(y, c, u, f64::NAN);
                    continue;
                }
                let v = one(t, x, d).map_err(|message| PipelineError {
                    stage: "transform",
                    unit: raw.units[u].to_string(),
                    year: raw.years[y],
                    code: e.code.to_string(),
                    message,
                })?;
                out.set(y, c, u, v);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;

    #[test]
    fn denominate_then_log() {
        let t = Transform { log: LogKind::Log, denominator: Some(Code("pop".into())), scale: 1000.0 };
        // 50 / 10 · 1000 = 5000; ln 5000.
        assert_eq!(one(&t, 50.0, 10.0).unwrap(), 5000f64.ln());
        assert!(one(&t, 50.0, 0.0).is_err());
        assert!(one(&t, -1.0, 10.0).is_err());
        let p = Transform { log: LogKind::Log1p, denominator: None, scale: 1.0 };
        assert_eq!(one(&p, 0.0, 1.0).unwrap(), 0.0);
        assert!(one(&p, -1.0, 1.0).is_err());
    }
}
