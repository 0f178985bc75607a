//! Profile figures applied to the calendar: when each step falls due.

use chrono::NaiveDate;

use super::types::{AnnualPlan, Cutoffs, Deadline, Period, Profile, Step};
use crate::calendar::{Calendar, CalendarError, Due, next_fixed_date};

impl Deadline {
    /// The last day of this deadline for something received on `received`.
    pub fn due(&self, calendar: &Calendar, received: NaiveDate, region: Option<&str>) -> Result<Due, CalendarError> {
        calendar.due_date(received, self.working_days, region)
    }
}

impl Step {
    /// The last day of this step for something that reached it on `received`.
    pub fn due(&self, calendar: &Calendar, received: NaiveDate, region: Option<&str>) -> Result<Due, CalendarError> {
        calendar.due_date(received, self.working_days, region)
    }
}

impl Period {
    /// The last day of this period (months, moved to the next working day if it ends on a day off).
    pub fn due(&self, calendar: &Calendar, received: NaiveDate, region: Option<&str>) -> Result<Due, CalendarError> {
        calendar.month_deadline(received, self.months, region)
    }
}

impl Cutoffs {
    /// The first cut-off date on or after `date`.
    pub fn next_on_or_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        next_fixed_date(date, &self.dates)
    }
}

impl AnnualPlan {
    /// The day the plan for `year` is due, e.g. 2024-02-29 for `02-end`.
    pub fn due_in(&self, year: i32) -> Option<NaiveDate> {
        self.due.in_year(year)
    }
}

impl Profile {
    /// The region code for calendar look-ups (local overrides of this city apply).
    pub fn region(&self) -> Option<&str> {
        Some(self.region_code.as_str())
    }

    /// The provider's review of a restricted-data application (OPN-3). Undisputed: its
    /// working-day step. Disputed, where the profile has quarterly cut-offs (LS-11): the first
    /// cut-off on or after that step's due date, when the coordination meeting must be done.
    pub fn provider_review_due(
        &self,
        calendar: &Calendar,
        received: NaiveDate,
        disputed: bool,
    ) -> Result<Option<Due>, CalendarError> {
        let steps = &self.opening.restricted_review;
        let Some(step) = steps.iter().find(|s| s.reviewer == super::types::Reviewer::Provider) else {
            return Ok(None);
        };
        let due = step.due(calendar, received, self.region())?;
        match (&self.opening.quarterly_cutoffs, disputed) {
            (Some(cutoffs), true) => {
                let date = cutoffs.next_on_or_after(due.date).ok_or(CalendarError::OutOfRange)?;
                let provisional = due.provisional || !calendar.has_year(chrono::Datelike::year(&date));
                Ok(Some(Due { date, provisional }))
            }
            _ => Ok(Some(due)),
        }
    }
}
