//! Semantic checks of a profile, beyond what its types already enforce.

use super::error::{Problem, ProfileError};
use super::types::{Basis, Profile, Reviewer, SilenceOutcome};

/// An article reference: two or three capital letters, a dash, a number (`WH-17`, `WHN-17`).
fn article_prefix(source: &str) -> Option<&str> {
    let (prefix, number) = source.split_once('-')?;
    let prefix_ok = (2..=3).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase());
    let number_ok = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    (prefix_ok && number_ok).then_some(prefix)
}

impl Profile {
    /// Checks the semantic rules: the name matches `file_name`, every working-day count and
    /// period is at least 1, every stated figure cites an article of this regulation, every
    /// default has a note, silence means consent only with a provider deadline, and the
    /// optional parts are consistent. The first broken rule is returned.
    pub fn validate(&self, file_name: &str) -> Result<(), ProfileError> {
        let fail = |key: &str, problem: Problem| ProfileError::Invalid {
            file: file_name.to_string(),
            key: key.to_string(),
            problem,
        };
        let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let stem = stem.strip_suffix(".toml").unwrap_or(stem);
        if self.name != stem {
            return Err(fail("name", Problem::NameMismatch { expected: stem.to_string() }));
        }
        for (key, text) in
            [("city_zh", &self.city_zh), ("city_en", &self.city_en), ("regulation.title_zh", &self.regulation.title_zh)]
        {
            if text.trim().is_empty() {
                return Err(fail(key, Problem::Empty));
            }
        }
        let code = &self.region_code;
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail("region_code", Problem::BadRegionCode { value: code.clone() }));
        }
        let prefixes = &self.regulation.source_prefixes;
        if prefixes.is_empty() {
            return Err(fail("regulation.source_prefixes", Problem::Empty));
        }

        for rule in self.rules() {
            let key = |field: &str| format!("{}.{field}", rule.key);
            if rule.source.trim().is_empty() {
                return Err(fail(&key("source"), Problem::Empty));
            }
            match rule.basis {
                Basis::Stated => {
                    let source_ref = rule.source.clone();
                    let Some(prefix) = article_prefix(&rule.source) else {
                        return Err(fail(&key("source"), Problem::SourceNotArticle { source_ref }));
                    };
                    if !prefixes.iter().any(|p| p == prefix) {
                        let prefixes = prefixes.join(", ");
                        let problem = Problem::SourceOutsideRegulation { source_ref, prefixes };
                        return Err(fail(&key("source"), problem));
                    }
                }
                Basis::Promptly | Basis::Periodically | Basis::Silent => {
                    if rule.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                        return Err(fail(&key("note"), Problem::DefaultWithoutNote));
                    }
                }
            }
        }

        let c = &self.catalog;
        let mut deadlines = vec![
            ("catalog.change_filing".to_string(), c.change_filing.working_days),
            ("opening.demand_answer".to_string(), self.opening.demand_answer.working_days),
            ("quality.correction_ticket".to_string(), self.quality.correction_ticket.working_days),
        ];
        if let Some(d) = &c.city_consent_review {
            deadlines.push(("catalog.city_consent_review".to_string(), d.working_days));
        }
        let chains = [
            ("catalog.change_review", &c.change_review),
            ("sharing.conditional_review", &self.sharing.conditional_review),
            ("opening.restricted_review", &self.opening.restricted_review),
        ];
        for (key, steps) in chains {
            if steps.is_empty() {
                return Err(fail(key, Problem::Empty));
            }
            for (i, step) in steps.iter().enumerate() {
                deadlines.push((format!("{key}[{i}]"), step.working_days));
            }
        }
        for (key, n) in deadlines {
            if n == 0 {
                return Err(fail(&format!("{key}.working_days"), Problem::ZeroWorkingDays));
            }
        }
        let mut periods = vec![("catalog.conditional_reevaluation", c.conditional_reevaluation.months)];
        if let Some(p) = &self.opening.product_publication {
            periods.push(("opening.product_publication", p.months));
        }
        for (key, months) in periods {
            if months == 0 {
                return Err(fail(&format!("{key}.months"), Problem::ZeroMonths));
            }
        }

        if c.city_consent_for_deletion.value != c.city_consent_review.is_some() {
            return Err(fail("catalog.city_consent_review", Problem::ConsentReviewMismatch));
        }
        if c.not_shared_approval.approvers.is_empty() {
            return Err(fail("catalog.not_shared_approval.approvers", Problem::Empty));
        }
        let consent = self.sharing.provider_silence.outcome == SilenceOutcome::Consent;
        let provider_step = self.sharing.conditional_review.iter().any(|s| s.reviewer == Reviewer::Provider);
        if consent && !provider_step {
            return Err(fail("sharing.provider_silence.outcome", Problem::ConsentWithoutProviderDeadline));
        }

        if let Some(q) = &self.opening.quarterly_cutoffs {
            if q.dates.is_empty() {
                return Err(fail("opening.quarterly_cutoffs.dates", Problem::Empty));
            }
            if q.dates.windows(2).any(|w| w[0] >= w[1]) {
                return Err(fail("opening.quarterly_cutoffs.dates", Problem::UnsortedDates));
            }
        }
        let u = &self.opening.user_rating;
        if u.applies {
            let (Some(restricted), Some(sandbox), Some(level)) =
                (u.restricted_min, u.sandbox_min, u.min_protection_level)
            else {
                return Err(fail("opening.user_rating", Problem::RatingIncomplete));
            };
            if sandbox < restricted {
                return Err(fail("opening.user_rating.sandbox_min", Problem::RatingOrder));
            }
            if !(1..=5).contains(&level) {
                return Err(fail("opening.user_rating.min_protection_level", Problem::ProtectionLevel));
            }
        }
        Ok(())
    }
}
