//! The working-day calendar of mainland China: weekends, the holidays of the State Council
//! notices and their make-up working days (调休), and the deadlines counted on it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::arrangement::{Arrangement, Day};
use super::{local_date, statutory, storable_in, SlaDuration};
use crate::bad_input;
use crate::error::Failure;
use crate::i18n::Text;
use chrono::{DateTime, Datelike, Days, Local, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};

/// The built-in holiday files, one per year with a State Council notice.
const BUILTIN_HOLIDAYS: [(&str, &str); 2] = [
    (
        "assets/holidays/cn-2025.toml",
        include_str!("../../assets/holidays/cn-2025.toml"),
    ),
    (
        "assets/holidays/cn-2026.toml",
        include_str!("../../assets/holidays/cn-2026.toml"),
    ),
];

/// Where a year's days off come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The State Council's notice: built in, or imported by `baton calendar import`.
    Official,
    /// Computed by baton from the statutory holidays, until the notice is imported.
    Provisional,
}

/// A year as `calendar show` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Year {
    pub year: i32,
    pub standing: Standing,
    pub source: Text,
    pub days: Vec<Day>,
}

/// Working days: Monday to Friday, except holidays, plus make-up working days (调休). A year
/// has its official arrangement, or else a provisional one computed from the statutory
/// holidays (`statutory`); the years a computation counted on a provisional arrangement are
/// remembered, for the caller to warn about.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    official: BTreeMap<i32, Arrangement>,
    /// Every listed day of the official arrangements: true for a working day.
    listed: BTreeMap<NaiveDate, bool>,
    extra_holidays: BTreeSet<NaiveDate>,
    extra_workdays: BTreeSet<NaiveDate>,
    /// The statutory days off of each provisional year counted on so far.
    provisional: RefCell<BTreeMap<i32, BTreeSet<NaiveDate>>>,
}

impl Calendar {
    /// The built-in mainland China calendar (`assets/holidays/cn-*.toml`).
    pub fn builtin() -> Calendar {
        let mut calendar = Calendar::default();
        for (file, text) in BUILTIN_HOLIDAYS {
            let arrangement = Arrangement::from_toml(file, text)
                .expect("the built-in holiday files are valid (tested)");
            calendar.set_official(arrangement);
        }
        calendar
    }

    /// The built-in calendar plus extra holidays and working days (config `[calendar]`). The
    /// extras win over every arrangement, and a date in both lists is a working day.
    pub fn with_extra(holidays: &[NaiveDate], workdays: &[NaiveDate]) -> Calendar {
        Calendar {
            extra_holidays: holidays.iter().copied().collect(),
            extra_workdays: workdays.iter().copied().collect(),
            ..Calendar::builtin()
        }
    }

    /// Makes `arrangement` its year's official one, in place of any before (built in or
    /// imported).
    pub fn set_official(&mut self, arrangement: Arrangement) {
        if let Some(old) = self.official.remove(&arrangement.year) {
            for day in &old.days {
                self.listed.remove(&day.date);
            }
        }
        for day in &arrangement.days {
            self.listed.insert(day.date, day.is_working());
        }
        self.provisional.borrow_mut().remove(&arrangement.year);
        self.official.insert(arrangement.year, arrangement);
    }

    /// Whether `year` has its official arrangement.
    pub fn is_official(&self, year: i32) -> bool {
        self.official.contains_key(&year)
    }

    /// The years with an official arrangement.
    pub fn official_years(&self) -> Vec<i32> {
        self.official.keys().copied().collect()
    }

    /// `year` as `calendar show` lists it: its official arrangement, or the statutory days
    /// off baton counts on until it has one.
    pub fn year(&self, year: i32) -> Year {
        match self.official.get(&year) {
            Some(arrangement) => Year {
                year,
                standing: Standing::Official,
                source: Text::new(&arrangement.source, &arrangement.source),
                days: arrangement.days.clone(),
            },
            None => Year {
                year,
                standing: Standing::Provisional,
                source: statutory::rules(year),
                days: statutory::holidays(year)
                    .into_iter()
                    .map(|(date, name)| Day {
                        date,
                        name: name.to_string(),
                        off: true,
                    })
                    .collect(),
            },
        }
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.extra_workdays.contains(&day) {
            return true;
        }
        if self.extra_holidays.contains(&day) {
            return false;
        }
        if let Some(&working) = self.listed.get(&day) {
            return working;
        }
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if weekend || self.is_official(day.year()) {
            return !weekend;
        }
        let mut provisional = self.provisional.borrow_mut();
        let holidays = provisional.entry(day.year()).or_insert_with(|| {
            statutory::holidays(day.year())
                .into_iter()
                .map(|(date, _)| date)
                .collect()
        });
        !holidays.contains(&day)
    }

    /// The n-th working day strictly after `start`; `start` itself for n = 0. Stops at chrono's
    /// last date.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let Some(skip) = n.checked_sub(1) else {
            return start;
        };
        start
            .iter_days()
            .skip(1)
            .filter(|&day| self.is_working_day(day))
            .nth(skip as usize)
            .unwrap_or(NaiveDate::MAX)
    }

    /// The deadline of `duration` counted from `start`: `start` plus the hours, or the last
    /// second (23:59:59 local time) of the n-th calendar or working day after `start`'s local
    /// date. A deadline past the year 9999 (in UTC or local time) is a bad-input error.
    pub fn deadline(
        &self,
        start: DateTime<Utc>,
        duration: SlaDuration,
    ) -> Result<DateTime<Utc>, Failure> {
        self.deadline_in(start, duration, &Local)
    }

    /// `deadline` in the zone `tz`.
    fn deadline_in<Tz: TimeZone>(
        &self,
        start: DateTime<Utc>,
        duration: SlaDuration,
        tz: &Tz,
    ) -> Result<DateTime<Utc>, Failure> {
        let start_day = local_date(start, tz);
        let deadline = match duration {
            SlaDuration::Hours(n) => start.checked_add_signed(TimeDelta::hours(n.into())),
            SlaDuration::Days(n) => start_day
                .checked_add_days(Days::new(n.into()))
                .and_then(|day| end_of_day(day, tz)),
            SlaDuration::WorkingDays(n) => end_of_day(self.add_working_days(start_day, n), tz),
        };
        deadline.filter(|&t| storable_in(t, tz)).ok_or_else(|| {
            let start = super::to_db(start);
            bad_input!(
                "the {duration} deadline from {start} falls after the year 9999",
                "自 {start} 起 {duration} 的时限晚于 9999 年",
            )
            .hint(Text::new(
                "check the clock (BATON_NOW) and the [sla] durations of the config",
                "请检查时钟（BATON_NOW）和配置 [sla] 中的时限",
            ))
        })
    }

    /// The provisional years that any computation has counted on so far, for the caller to
    /// warn about.
    pub fn provisional_years_used(&self) -> Vec<i32> {
        self.provisional.borrow().keys().copied().collect()
    }

    /// The provisional years among those from `from`'s to `to`'s (local dates).
    pub fn provisional_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<i32> {
        let (first, last) = (
            local_date(from, &Local).year(),
            local_date(to, &Local).year(),
        );
        (first..=last).filter(|&y| !self.is_official(y)).collect()
    }
}

/// The last second of `day` in `tz`: 23:59:59, or the last second before a daylight-saving
/// jump that swallows the end of the day. None outside chrono's range.
fn end_of_day<Tz: TimeZone>(day: NaiveDate, tz: &Tz) -> Option<DateTime<Utc>> {
    let last = day.and_hms_opt(23, 59, 59)?;
    (0..24 * 60)
        .find_map(|minutes| {
            let local = last.checked_sub_signed(TimeDelta::minutes(minutes))?;
            tz.from_local_datetime(&local).latest()
        })
        .map(|t| t.to_utc())
}

#[cfg(test)]
mod tests {
    use super::super::rfc3339_in;
    use super::super::testing::{
        any_date, any_duration, any_instant, beijing, date, end_of_time, instant, ToyDst,
    };
    use super::*;
    use chrono::FixedOffset;
    use proptest::prelude::*;

    /// The deadline in Beijing time, as RFC 3339.
    fn deadline(calendar: &Calendar, start: &str, duration: &str) -> String {
        let t = calendar
            .deadline_in(instant(start), duration.parse().unwrap(), &beijing())
            .unwrap();
        rfc3339_in(t, &beijing())
    }

    #[test]
    fn builtin_holiday_files_are_official_and_in_their_year() {
        let calendar = Calendar::builtin();
        assert_eq!(calendar.official_years(), [2025, 2026]);
        for year in [2025, 2026] {
            let listed = calendar.year(year);
            assert_eq!(listed.standing, Standing::Official);
            assert!(
                listed.source.en.starts_with("国务院办公厅关于"),
                "{:?}",
                listed.source
            );
            assert!(listed.days.iter().all(|d| d.date.year() == year));
        }
    }

    #[test]
    fn builtin_years_have_248_working_days() {
        let calendar = Calendar::builtin();
        for year in [2025, 2026] {
            let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            let working = first
                .iter_days()
                .take_while(|d| d.year() == year)
                .filter(|&d| calendar.is_working_day(d))
                .count();
            assert_eq!(working, 248, "{year}");
        }
    }

    #[test]
    fn make_up_saturdays_count_and_holidays_do_not() {
        let calendar = Calendar::builtin();
        assert!(calendar.is_working_day(date("2026-02-14"))); // Saturday, 调休
        assert!(calendar.is_working_day(date("2025-09-28"))); // Sunday, 调休
        assert!(!calendar.is_working_day(date("2026-02-21"))); // ordinary Saturday, in 春节
        assert!(!calendar.is_working_day(date("2026-03-07"))); // ordinary Saturday
        assert!(!calendar.is_working_day(date("2026-02-16"))); // Monday, 春节
        assert!(calendar.is_working_day(date("2026-03-02"))); // ordinary Monday
        assert_eq!(
            calendar.add_working_days(date("2025-01-24"), 1),
            date("2025-01-26")
        );
    }

    #[test]
    fn spring_festival_2026() {
        let calendar = Calendar::builtin();
        // Working days after Fri 02-13: 02-14 (make-up Sat), 02-24..02-27, 02-28 (make-up
        // Sat), 03-02.
        assert_eq!(
            deadline(&calendar, "2026-02-13T10:00:00+08:00", "7wd"),
            "2026-03-02T23:59:59+08:00"
        );
        assert_eq!(
            calendar.add_working_days(date("2026-02-13"), 2),
            date("2026-02-24")
        );
        assert_eq!(
            calendar.add_working_days(date("2026-02-13"), 6),
            date("2026-02-28")
        );
    }

    #[test]
    fn start_on_a_holiday_is_not_counted() {
        let calendar = Calendar::builtin();
        assert_eq!(
            calendar.add_working_days(date("2025-10-01"), 1),
            date("2025-10-09")
        );
        assert_eq!(
            deadline(&calendar, "2025-10-01T08:00:00+08:00", "1wd"),
            "2025-10-09T23:59:59+08:00"
        );
    }

    #[test]
    fn working_days_across_the_year_end() {
        let calendar = Calendar::builtin();
        // 2026-01-01..03 off, Sunday 01-04 is a make-up working day.
        assert_eq!(
            calendar.add_working_days(date("2025-12-31"), 1),
            date("2026-01-04")
        );
        assert_eq!(
            calendar.add_working_days(date("2025-12-31"), 2),
            date("2026-01-05")
        );
        assert!(calendar.provisional_years_used().is_empty());
    }

    #[test]
    fn forty_five_working_days_over_mid_autumn_and_national_day() {
        // From Fri 2026-09-18: Sun 09-20 (make-up), 09-21..24, 09-28..30 = 8; 10-08, 10-09,
        // Sat 10-10 (make-up) = 11; five full weeks to 11-20 = 41; 11-23..26 = 45.
        let calendar = Calendar::builtin();
        assert_eq!(
            calendar.add_working_days(date("2026-09-18"), 45),
            date("2026-11-26")
        );
        assert_eq!(
            deadline(&calendar, "2026-09-18T17:00:00+08:00", "45wd"),
            "2026-11-26T23:59:59+08:00"
        );
    }

    #[test]
    fn zero_working_days_is_the_start_day() {
        let calendar = Calendar::builtin();
        assert_eq!(
            calendar.add_working_days(date("2026-02-15"), 0),
            date("2026-02-15")
        );
        assert_eq!(
            deadline(&calendar, "2026-02-15T10:00:00+08:00", "0wd"),
            "2026-02-15T23:59:59+08:00"
        );
    }

    #[test]
    fn hours_are_exact_and_days_end_at_midnight_local() {
        let calendar = Calendar::builtin();
        let start = "2026-02-13T10:00:00+08:00";
        assert_eq!(
            deadline(&calendar, start, "24h"),
            "2026-02-14T10:00:00+08:00"
        );
        assert_eq!(
            deadline(&calendar, start, "0h"),
            "2026-02-13T10:00:00+08:00"
        );
        assert_eq!(
            deadline(&calendar, start, "3d"),
            "2026-02-16T23:59:59+08:00"
        );
        // 2026-02-12T20:00Z is already Friday in Beijing.
        assert_eq!(
            deadline(&calendar, "2026-02-12T20:00:00Z", "1d"),
            "2026-02-14T23:59:59+08:00"
        );
    }

    #[test]
    fn deadlines_across_daylight_saving() {
        let calendar = Calendar::builtin();
        let start = instant("2026-03-28T10:00:00Z");
        let at = |d: &str| {
            calendar
                .deadline_in(start, d.parse().unwrap(), &ToyDst)
                .unwrap()
        };
        assert_eq!(at("24h"), instant("2026-03-29T10:00:00Z"));
        // 2026-03-28 ends early: its last hour is skipped.
        assert_eq!(at("0d"), instant("2026-03-28T23:29:59+01:00"));
        assert_eq!(at("1d"), instant("2026-03-29T23:59:59+02:00"));
    }

    #[test]
    fn deadlines_past_the_year_9999_are_refused_and_never_panic() {
        let calendar = Calendar::builtin();
        let start = instant("2026-03-02T01:00:00Z");
        for duration in [SlaDuration::Hours(u32::MAX), SlaDuration::Days(u32::MAX)] {
            assert!(calendar.deadline_in(start, duration, &beijing()).is_err());
        }
        let last = NaiveDate::MAX - Days::new(30);
        assert_eq!(calendar.add_working_days(last, u32::MAX), NaiveDate::MAX);
        let edge = DateTime::<Utc>::MAX_UTC;
        let west = FixedOffset::west_opt(8 * 3600).unwrap();
        assert!(calendar
            .deadline_in(edge, SlaDuration::Days(1), &beijing())
            .is_err());
        assert!(calendar
            .deadline_in(edge, SlaDuration::Days(0), &west)
            .is_err());
        // The end of 9999-12-31 in Beijing is still in 9999 in UTC, but it is shown as
        // 10000-01-01 nowhere: a deadline of the next day is refused, naming the start.
        let late = instant("9999-12-31T20:00:00+08:00");
        assert!(calendar
            .deadline_in(late, SlaDuration::Hours(3), &beijing())
            .is_ok());
        let err = calendar
            .deadline_in(late, SlaDuration::Hours(4), &beijing())
            .unwrap_err();
        assert!(
            err.message.en.contains("9999-12-31T12:00:00Z"),
            "{}",
            err.message.en
        );
        assert!(calendar
            .deadline_in(late, SlaDuration::Days(1), &beijing())
            .is_err());
    }

    #[test]
    fn provisional_years_count_the_statutory_holidays_and_are_reported() {
        let calendar = Calendar::builtin();
        calendar
            .deadline_in(
                instant("2026-06-01T02:00:00Z"),
                SlaDuration::WorkingDays(30),
                &beijing(),
            )
            .unwrap();
        assert!(calendar.provisional_years_used().is_empty());
        // New Year's Day 2027 (a Friday) is a statutory holiday; Monday 01-04 is the next
        // working day. Never counted on weekends only.
        assert_eq!(
            calendar.add_working_days(date("2026-12-31"), 1),
            date("2027-01-04")
        );
        assert_eq!(calendar.provisional_years_used(), [2027]);
        // 春节 2027: 除夕 Fri 02-05 to 初三 Mon 02-08.
        assert!(!calendar.is_working_day(date("2027-02-05")));
        assert!(!calendar.is_working_day(date("2027-02-08")));
        assert!(calendar.is_working_day(date("2027-02-09")));
        assert_eq!(calendar.year(2027).standing, Standing::Provisional);
        assert_eq!(calendar.year(2027).days.len(), 13);
    }

    #[test]
    fn an_official_arrangement_replaces_the_provisional_one() {
        let mut calendar = Calendar::builtin();
        assert!(!calendar.is_working_day(date("2027-02-05")));
        let text = r#"{"year": 2027, "days": [
            {"name": "春节", "date": "2027-02-06", "isOffDay": true},
            {"name": "春节", "date": "2027-02-13", "isOffDay": false}]}"#;
        calendar.set_official(Arrangement::parse("2027.json", text).unwrap());
        assert!(calendar.is_official(2027));
        assert!(calendar.is_working_day(date("2027-02-05"))); // not listed: a Friday
        assert!(calendar.is_working_day(date("2027-02-13"))); // make-up Saturday
        assert!(!calendar.is_working_day(date("2027-02-06")));
        assert!(calendar.provisional_years_used().is_empty());
        assert_eq!(calendar.year(2027).days.len(), 2);
        // A second import of the year replaces the first one.
        let text =
            r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#;
        calendar.set_official(Arrangement::parse("2027.json", text).unwrap());
        assert!(!calendar.is_working_day(date("2027-01-01")));
        assert!(!calendar.is_working_day(date("2027-02-13"))); // an ordinary Saturday again
    }

    #[test]
    fn provisional_years_between_two_instants() {
        let calendar = Calendar::builtin();
        let between = |a: &str, b: &str| calendar.provisional_between(instant(a), instant(b));
        assert!(between("2025-03-01T00:00:00Z", "2026-06-01T00:00:00Z").is_empty());
        assert_eq!(
            between("2026-11-01T00:00:00Z", "2028-01-10T00:00:00Z"),
            [2027, 2028]
        );
    }

    #[test]
    fn extra_dates_override_every_arrangement() {
        let calendar = Calendar::with_extra(
            &[date("2027-01-04"), date("2026-02-14")],
            &[date("2026-02-24"), date("2027-01-01")],
        );
        assert!(!calendar.is_working_day(date("2026-02-14"))); // make-up day given off
        assert!(calendar.is_working_day(date("2026-02-24")));
        assert!(calendar.is_working_day(date("2027-01-01"))); // a statutory holiday worked
        assert!(!calendar.is_working_day(date("2027-01-04")));
        assert!(!calendar.is_official(2027));
    }

    proptest! {
        #[test]
        fn working_days_add_up(start in any_date(), a in 0u32..300, b in 0u32..300) {
            let calendar = Calendar::builtin();
            let end = calendar.add_working_days(start, a + b);
            prop_assert_eq!(end, calendar.add_working_days(calendar.add_working_days(start, a), b));
            if a + b > 0 {
                prop_assert!(end > start);
                prop_assert!(calendar.is_working_day(end));
            }
        }

        #[test]
        fn deadlines_are_never_before_the_start(start in any_instant(), duration in any_duration(), hours in -23i32..=23) {
            let tz = FixedOffset::east_opt(hours * 3600).unwrap();
            if let Ok(deadline) = Calendar::builtin().deadline_in(start, duration, &tz) {
                prop_assert!(deadline >= start);
                prop_assert!(deadline <= end_of_time());
            }
        }
    }
}
