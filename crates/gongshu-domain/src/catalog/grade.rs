//! How open data may be, given its grade (CAT-5, CAT-8).
//!
//! The table, from the most open attribute allowed:
//!
//! | grade | unconditional open | conditional (restricted) open | not open |
//! |---|---|---|---|
//! | general, level 1 | yes | yes | yes |
//! | general, levels 2 and 3 | no | yes | yes |
//! | general, level 4 | no | no | yes |
//! | important | no | no | yes |
//! | core | no | no | yes |
//!
//! Why: Zhejiang's DB33/T 2351-2021 opens L1 directly, L2 and L3 only with restrictions
//! (approval, the subject's authorization, masking, inside an open domain) and never L4;
//! the reference facts' recommendation (§2.3) derives the same: L4 → not open, L2/L3 →
//! only restricted opening with desensitization. GB/T 43697 ranks important and core data
//! above all general data, so they can be no more open than level 4 (core data "should
//! normally never enter an open catalog"; important data needs its own reporting). The
//! table is monotone: a higher grade never allows more.
//!
//! Sharing between public bodies is not limited by grade here: the sources give no
//! such rule (CAT-8's protection rules apply when data leaves the platform).

use super::CatalogError;
use super::vocab::{Grade, OpenType};

/// The most open attribute data of this grade may have.
pub fn max_open_for(grade: Grade) -> OpenType {
    match grade {
        Grade::General1 => OpenType::Unconditional,
        Grade::General2 | Grade::General3 => OpenType::Conditional,
        Grade::General4 | Grade::Important | Grade::Core => OpenType::NotOpen,
    }
}

/// Checks an open attribute against the grade of the entry (which is at least that of
/// every item, see [`super::NewEntry::validate`]).
pub fn check_open_against_grade(grade: Grade, open_type: OpenType) -> Result<(), CatalogError> {
    let max = max_open_for(grade);
    if open_type.openness() <= max.openness() {
        Ok(())
    } else {
        Err(CatalogError::GradeForbidsOpen { grade, open_type, max })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CAT-8: the whole grade-versus-open table, cell by cell.
    #[test]
    fn cat_8_grade_limits_the_open_attribute() {
        use OpenType::{Conditional as C, NotOpen as N, Unconditional as U};
        let table: [(Grade, &[OpenType], &[OpenType]); 6] = [
            (Grade::General1, &[U, C, N], &[]),
            (Grade::General2, &[C, N], &[U]),
            (Grade::General3, &[C, N], &[U]),
            (Grade::General4, &[N], &[U, C]),
            (Grade::Important, &[N], &[U, C]),
            (Grade::Core, &[N], &[U, C]),
        ];
        for (grade, allowed, refused) in table {
            for open in allowed {
                assert_eq!(check_open_against_grade(grade, *open), Ok(()), "{grade:?} {open:?}");
            }
            for open in refused {
                assert_eq!(
                    check_open_against_grade(grade, *open),
                    Err(CatalogError::GradeForbidsOpen { grade, open_type: *open, max: max_open_for(grade) }),
                    "{grade:?} {open:?}"
                );
            }
        }
    }

    /// CAT-8: a higher grade never allows more openness.
    #[test]
    fn cat_8_grade_table_is_monotone() {
        for pair in Grade::ALL.windows(2) {
            assert!(max_open_for(pair[1]).openness() <= max_open_for(pair[0]).openness());
        }
    }
}
