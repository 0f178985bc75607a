//! Controlled moves of the share and open attributes (CAT-6).
//!
//! Making data less open (unconditional → conditional or not, conditional → not) needs
//! the authority's consent (WH-22) or a filing with it (ZJ-15), as the city's profile
//! says ([`DowngradeControl`]). Making data more open is free (conditional entries are
//! moved to unconditional when they qualify), except that data that was not open may
//! be opened only after a recorded de-identification or with the right holder's consent
//! (WH-22, ZJ-14, QQ-18). That exception concerns opening to society only.

use serde::{Deserialize, Serialize};

use super::entry::NewEntry;
use super::error::{AttributeMove, CatalogError};
use super::vocab::{OpenType, ShareType};

/// What a provider needs to make data less open: a setting of the city's profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DowngradeControl {
    /// The authority's consent first (同意, WH-22).
    Consent,
    /// A filing with the authority (备案, ZJ-15).
    Filing,
}

/// What a move of an attribute needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveRequirement {
    /// No change, or a move to more openness.
    Nothing,
    AuthorityConsent,
    AuthorityFiling,
    /// Opening data that was not open.
    DeidentificationOrRightHolderConsent,
}

/// What has been recorded for a move.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveEvidence {
    pub authority_consent: bool,
    pub filed_with_authority: bool,
    /// A de-identification (去标识化) of the data is recorded.
    pub deidentified: bool,
    /// The right holder's consent (权利人同意) is recorded.
    pub right_holder_consent: bool,
}

impl MoveEvidence {
    fn satisfies(&self, requirement: MoveRequirement) -> bool {
        match requirement {
            MoveRequirement::Nothing => true,
            MoveRequirement::AuthorityConsent => self.authority_consent,
            // Consent is more than a filing, so it serves where a filing is asked for.
            MoveRequirement::AuthorityFiling => self.filed_with_authority || self.authority_consent,
            MoveRequirement::DeidentificationOrRightHolderConsent => self.deidentified || self.right_holder_consent,
        }
    }
}

fn downgrade(control: DowngradeControl) -> MoveRequirement {
    match control {
        DowngradeControl::Consent => MoveRequirement::AuthorityConsent,
        DowngradeControl::Filing => MoveRequirement::AuthorityFiling,
    }
}

fn refusal(requirement: MoveRequirement, change: AttributeMove) -> CatalogError {
    match (requirement, change) {
        (MoveRequirement::DeidentificationOrRightHolderConsent, AttributeMove::Open { from, to }) => {
            CatalogError::OpeningNeedsDeidentification { from, to }
        }
        (MoveRequirement::AuthorityFiling, _) => CatalogError::DowngradeNeedsFiling { change },
        _ => CatalogError::DowngradeNeedsConsent { change },
    }
}

/// What moving the share attribute from `from` to `to` needs.
pub fn share_move_requirement(from: ShareType, to: ShareType, control: DowngradeControl) -> MoveRequirement {
    if to.openness() < from.openness() { downgrade(control) } else { MoveRequirement::Nothing }
}

/// What moving the open attribute from `from` to `to` needs.
pub fn open_move_requirement(from: OpenType, to: OpenType, control: DowngradeControl) -> MoveRequirement {
    if to.openness() < from.openness() {
        downgrade(control)
    } else if from == OpenType::NotOpen && to != OpenType::NotOpen {
        MoveRequirement::DeidentificationOrRightHolderConsent
    } else {
        MoveRequirement::Nothing
    }
}

/// Checks a move of the share attribute against what has been recorded.
pub fn check_share_move(
    from: ShareType,
    to: ShareType,
    control: DowngradeControl,
    evidence: &MoveEvidence,
) -> Result<(), CatalogError> {
    let requirement = share_move_requirement(from, to, control);
    if evidence.satisfies(requirement) { Ok(()) } else { Err(refusal(requirement, AttributeMove::Share { from, to })) }
}

/// Checks a move of the open attribute against what has been recorded.
pub fn check_open_move(
    from: OpenType,
    to: OpenType,
    control: DowngradeControl,
    evidence: &MoveEvidence,
) -> Result<(), CatalogError> {
    let requirement = open_move_requirement(from, to, control);
    if evidence.satisfies(requirement) { Ok(()) } else { Err(refusal(requirement, AttributeMove::Open { from, to })) }
}

/// Checks both attribute moves between a published version and its proposed change.
pub fn check_attribute_moves(
    old: &NewEntry,
    new: &NewEntry,
    control: DowngradeControl,
    evidence: &MoveEvidence,
) -> Result<(), Vec<CatalogError>> {
    let errors: Vec<_> = [
        check_share_move(old.share.share_type, new.share.share_type, control, evidence),
        check_open_move(old.open.open_type, new.open.open_type, control, evidence),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fixtures::{bus_stops, population};

    const NONE: MoveEvidence = MoveEvidence {
        authority_consent: false,
        filed_with_authority: false,
        deidentified: false,
        right_holder_consent: false,
    };
    const CONSENT: MoveEvidence = MoveEvidence { authority_consent: true, ..NONE };
    const FILED: MoveEvidence = MoveEvidence { filed_with_authority: true, ..NONE };

    /// CAT-6: every less-open share move needs consent or a filing, per the profile.
    #[test]
    fn cat_6_making_sharing_less_open_needs_consent_or_filing() {
        use ShareType::{Conditional as C, NotShared as N, Unconditional as U};
        for (from, to) in [(U, C), (U, N), (C, N)] {
            let change = AttributeMove::Share { from, to };
            let c = DowngradeControl::Consent;
            assert_eq!(check_share_move(from, to, c, &NONE), Err(CatalogError::DowngradeNeedsConsent { change }));
            assert_eq!(check_share_move(from, to, c, &FILED), Err(CatalogError::DowngradeNeedsConsent { change }));
            assert_eq!(check_share_move(from, to, c, &CONSENT), Ok(()));
            let f = DowngradeControl::Filing;
            assert_eq!(check_share_move(from, to, f, &NONE), Err(CatalogError::DowngradeNeedsFiling { change }));
            assert_eq!(check_share_move(from, to, f, &FILED), Ok(()));
            assert_eq!(check_share_move(from, to, f, &CONSENT), Ok(()));
        }
    }

    /// CAT-6: making sharing more open, or not changing it, needs nothing.
    #[test]
    fn cat_6_making_sharing_more_open_is_free() {
        use ShareType::{Conditional as C, NotShared as N, Unconditional as U};
        for (from, to) in [(C, U), (N, C), (N, U), (U, U), (C, C), (N, N)] {
            assert_eq!(share_move_requirement(from, to, DowngradeControl::Consent), MoveRequirement::Nothing);
            assert_eq!(check_share_move(from, to, DowngradeControl::Consent, &NONE), Ok(()));
        }
    }

    /// CAT-6: every less-open open move needs consent or a filing, per the profile.
    #[test]
    fn cat_6_making_opening_less_open_needs_consent_or_filing() {
        use OpenType::{Conditional as C, NotOpen as N, Unconditional as U};
        for (from, to) in [(U, C), (U, N), (C, N)] {
            let change = AttributeMove::Open { from, to };
            assert_eq!(open_move_requirement(from, to, DowngradeControl::Consent), MoveRequirement::AuthorityConsent);
            assert_eq!(open_move_requirement(from, to, DowngradeControl::Filing), MoveRequirement::AuthorityFiling);
            assert_eq!(
                check_open_move(from, to, DowngradeControl::Consent, &NONE),
                Err(CatalogError::DowngradeNeedsConsent { change })
            );
            assert_eq!(
                check_open_move(from, to, DowngradeControl::Filing, &NONE),
                Err(CatalogError::DowngradeNeedsFiling { change })
            );
            assert_eq!(check_open_move(from, to, DowngradeControl::Filing, &FILED), Ok(()));
        }
    }

    /// CAT-6: not-open data may be opened only after de-identification or with the right holder's consent.
    #[test]
    fn cat_6_opening_closed_data_needs_deidentification_or_consent() {
        use OpenType::{Conditional as C, NotOpen as N, Unconditional as U};
        for to in [C, U] {
            let c = DowngradeControl::Consent;
            assert_eq!(open_move_requirement(N, to, c), MoveRequirement::DeidentificationOrRightHolderConsent);
            assert_eq!(
                check_open_move(N, to, c, &CONSENT),
                Err(CatalogError::OpeningNeedsDeidentification { from: N, to })
            );
            assert_eq!(check_open_move(N, to, c, &MoveEvidence { deidentified: true, ..NONE }), Ok(()));
            assert_eq!(check_open_move(N, to, c, &MoveEvidence { right_holder_consent: true, ..NONE }), Ok(()));
        }
        assert_eq!(check_open_move(C, U, DowngradeControl::Consent, &NONE), Ok(()));
        assert_eq!(check_open_move(N, N, DowngradeControl::Consent, &NONE), Ok(()));
    }

    /// CAT-6: a change between two versions is checked on both attributes at once.
    #[test]
    fn cat_6_a_change_request_is_checked_on_both_attributes() {
        let old = bus_stops();
        let new = population();
        let c = DowngradeControl::Consent;
        assert_eq!(
            check_attribute_moves(&old, &new, c, &NONE),
            Err(vec![
                CatalogError::DowngradeNeedsConsent {
                    change: AttributeMove::Share { from: ShareType::Unconditional, to: ShareType::Conditional }
                },
                CatalogError::DowngradeNeedsConsent {
                    change: AttributeMove::Open { from: OpenType::Unconditional, to: OpenType::NotOpen }
                },
            ])
        );
        assert_eq!(check_attribute_moves(&old, &new, c, &CONSENT), Ok(()));
        assert_eq!(check_attribute_moves(&old, &old, c, &NONE), Ok(()));
    }
}
