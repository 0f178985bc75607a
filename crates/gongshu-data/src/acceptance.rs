//! The acceptance check of an IT project (AGG-9, WH-20, BZ-42, WHN-34): a project
//! declares the data it will supply before approval, and is accepted only when all of
//! it is in the platform, current by its update cycle, and of the required quality.

use serde::Serialize;

/// What the platform knows of one supplied entry at the time of the check.
#[derive(Debug, Clone, PartialEq)]
pub struct Supplied {
    pub entry_id: i64,
    pub code: String,
    /// The latest version's share of valid records, if the entry has data.
    pub valid_share: Option<f64>,
    /// Whether the next load is overdue by the update cycle.
    pub overdue: bool,
}

/// Why a supplied entry holds up the acceptance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    pub entry_id: i64,
    pub code: String,
    /// `no_data`, `stale` or `below_quality`.
    pub reason: &'static str,
    pub valid_share: Option<f64>,
}

/// The shortfalls of a project's supply list against its quality bar (the lowest share
/// of valid records accepted); none means it may be accepted.
pub fn shortfalls(supply: &[Supplied], min_valid_share: f64) -> Vec<Shortfall> {
    let mut out = Vec::new();
    for s in supply {
        let reason = match s.valid_share {
            None => "no_data",
            Some(_) if s.overdue => "stale",
            Some(v) if v + 1e-9 < min_valid_share => "below_quality",
            Some(_) => continue,
        };
        out.push(Shortfall { entry_id: s.entry_id, code: s.code.clone(), reason, valid_share: s.valid_share });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: i64, valid: Option<f64>, overdue: bool) -> Supplied {
        Supplied { entry_id: id, code: format!("c{id}"), valid_share: valid, overdue }
    }

    #[test]
    fn agg_9_acceptance_waits_for_data_that_is_there_current_and_good() {
        let supply = [
            s(1, Some(0.99), false),
            s(2, None, false),
            s(3, Some(0.99), true),
            s(4, Some(0.90), false),
            s(5, Some(0.95), false),
        ];
        let reasons: Vec<(i64, &str)> = shortfalls(&supply, 0.95).iter().map(|f| (f.entry_id, f.reason)).collect();
        assert_eq!(reasons, [(2, "no_data"), (3, "stale"), (4, "below_quality")], "0.95 meets a bar of 0.95");
        assert!(shortfalls(&[s(1, Some(1.0), false)], 0.95).is_empty());
        assert!(shortfalls(&[], 0.95).is_empty());
    }
}
