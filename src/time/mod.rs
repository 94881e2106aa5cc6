//! Time: the clock (`BATON_NOW`), the storage and display forms of instants, and in the
//! children dates and instants typed by users (`parse`), SLA durations (`duration`) and the
//! working-day calendar of mainland China with 调休 (`calendar`).
//!
//! The public functions work in the local time zone (`chrono::Local`, which honours `TZ`);
//! each delegates to a private function taking the zone as a parameter, which the tests call
//! with fixed zones.

mod arrangement;
mod calendar;
mod duration;
mod parse;
mod statutory;
#[cfg(test)]
mod testing;

use std::ffi::OsString;
use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use anyhow::Context as _;
use chrono::{
    DateTime, Datelike, Local, NaiveDate, NaiveTime, Offset, SecondsFormat, TimeDelta, TimeZone,
    Utc,
};

pub use arrangement::{Arrangement, Day};
pub use calendar::{Calendar, Standing, Year};
pub use duration::SlaDuration;
pub use parse::{date_from_db, parse_date, parse_date_on, parse_instant};
pub use statutory::english_name;

use crate::bad_input;
use crate::error::Failure;
use crate::i18n::Text;

/// Years accepted from users and stored: what `YYYY` and RFC 3339 can write.
const YEARS: RangeInclusive<i32> = 1..=9999;

/// Whether `t` lies in [`YEARS`] both in UTC (stored) and in `tz` (shown): an instant
/// outside would be stored or printed as a year that nothing reads back.
fn storable_in<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> bool {
    YEARS.contains(&t.year()) && YEARS.contains(&local_date(t, tz).year())
}

/// `n` days before `day` (a due date counted back from a leaving date), or a bad-input
/// error naming `day` when that falls before the year 0001.
pub fn days_before(day: NaiveDate, n: u32) -> Result<NaiveDate, Failure> {
    day.checked_sub_days(chrono::Days::new(n.into()))
        .filter(|d| YEARS.contains(&d.year()))
        .ok_or_else(|| {
            bad_input!(
                "{day} is too early: {n} day(s) before it falls before the year 0001",
                "{day} 太早：其前 {n} 天早于 0001 年"
            )
            .hint(Text::new(
                "dates and the dates counted from them must lie in the years 0001 to 9999",
                "日期及由其推算的日期须在 0001 年到 9999 年之间",
            ))
        })
}

/// `n` days after `day` (a deadline counted on from a leaving date), or a bad-input error
/// naming `day` when that falls after the year 9999.
pub fn days_after(day: NaiveDate, n: u32) -> Result<NaiveDate, Failure> {
    day.checked_add_days(chrono::Days::new(n.into()))
        .filter(|d| YEARS.contains(&d.year()))
        .ok_or_else(|| {
            bad_input!(
                "{day} is too late: {n} day(s) after it falls after the year 9999",
                "{day} 太晚：其后 {n} 天晚于 9999 年"
            )
            .hint(Text::new(
                "dates and the dates counted from them must lie in the years 0001 to 9999",
                "日期及由其推算的日期须在 0001 年到 9999 年之间",
            ))
        })
}

/// Where "now" comes from: `BATON_NOW`, or the system clock read once, so that one command
/// sees one "now".
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: DateTime<Utc>,
}

impl Clock {
    /// From `BATON_NOW` (RFC 3339) if set and not empty, else the system clock.
    pub fn from_env() -> anyhow::Result<Clock> {
        Ok(Clock::from_baton_now(std::env::var_os("BATON_NOW"))?)
    }

    /// `from_env` given the value of `BATON_NOW`.
    fn from_baton_now(value: Option<OsString>) -> Result<Clock, Failure> {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return Ok(Clock::fixed(Utc::now()));
        };
        value
            .to_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.to_utc())
            .filter(|&t| storable_in(t, &Local))
            .map(Clock::fixed)
            .ok_or_else(|| {
                bad_input!(
                    "BATON_NOW is not an RFC 3339 time: {value:?}",
                    "BATON_NOW 不是 RFC 3339 时间：{value:?}"
                )
                .hint(Text::new(
                    "e.g. BATON_NOW=2026-03-02T09:00:00+08:00",
                    "例如 BATON_NOW=2026-03-02T09:00:00+08:00",
                ))
            })
    }

    /// A clock stopped at `now`.
    pub fn fixed(now: DateTime<Utc>) -> Clock {
        Clock { now }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Today's date in the local time zone.
    pub fn today(&self) -> NaiveDate {
        local_date(self.now, &Local)
    }
}

/// Appends `date` as chrono's `ToSql` stores it (`%F`: `YYYY-MM-DD`), digit by digit for
/// the years 0 to 9999: chrono's formatting took a quarter of the validation of a
/// million-row import.
pub fn push_date(out: &mut String, date: NaiveDate) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        out.push_str(&date.format("%F").to_string());
        return;
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let year = year as u32;
    out.extend([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        '-',
        digit(date.month() / 10),
        digit(date.month()),
        '-',
        digit(date.day() / 10),
        digit(date.day()),
    ]);
}

/// Parses a non-empty run of ASCII digits (no sign, unlike `str::parse`).
fn number_of<T: FromStr>(digits: &str) -> Option<T> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `t`'s date in `tz`; its UTC date where that would leave chrono's range.
fn local_date<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> NaiveDate {
    let offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc()
        .checked_add_offset(offset)
        .map_or(t.date_naive(), |local| local.date())
}

/// `t`'s date in local time.
pub fn to_local_date(t: DateTime<Utc>) -> NaiveDate {
    local_date(t, &Local)
}

/// The first instant of `day` in local time (the first that exists when the clocks skip
/// midnight), e.g. for a period that starts or ends on a date.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    start_of_day_in(day, &Local)
}

/// `start_of_day` in the zone `tz`.
fn start_of_day_in<Tz: TimeZone>(day: NaiveDate, tz: &Tz) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    (0..24 * 60)
        .find_map(|minutes| {
            let local = midnight.checked_add_signed(TimeDelta::minutes(minutes))?;
            tz.from_local_datetime(&local).earliest()
        })
        .map_or(midnight.and_utc(), |t| t.to_utc())
}

/// Serializes an optional date as `YYYY-MM-DD` through [`push_date`], for
/// `#[serde(serialize_with)]` on the dates of long lists: chrono's own goes through its
/// formatter, a sixth of exporting a million customers.
pub fn serialize_date<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => {
            let mut text = String::with_capacity(10);
            push_date(&mut text, *date);
            serializer.serialize_some(&text)
        }
        None => serializer.serialize_none(),
    }
}

/// The storage form: RFC 3339 in UTC with seconds, e.g. `2026-03-02T01:00:00Z`.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads the storage form back.
pub fn from_db(s: &str) -> anyhow::Result<DateTime<Utc>> {
    let t = DateTime::parse_from_rfc3339(s)
        .with_context(|| format!("corrupt timestamp in the database: {s:?}"))?;
    Ok(t.to_utc())
}

/// The display form for JSON and CSV: RFC 3339 in local time, e.g. `2026-03-02T09:00:00+08:00`.
pub fn to_local_rfc3339(t: DateTime<Utc>) -> String {
    rfc3339_in(t, &Local)
}

/// A stored instant in display form; text that is not one (baton never writes such) as it is.
pub fn stored_to_local(stored: String) -> String {
    from_db(&stored).map(to_local_rfc3339).unwrap_or(stored)
}

/// `to_local_rfc3339` in the zone `tz`.
fn rfc3339_in<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: fmt::Display,
{
    t.with_timezone(tz)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// `t` in local time, without its offset (a spreadsheet's date and time).
pub fn to_local_naive(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    t.with_timezone(&Local).naive_local()
}

/// The display form for tables: `2026-03-02 09:00` in local time.
pub fn to_local_short(t: DateTime<Utc>) -> String {
    short_in(t, &Local)
}

/// `to_local_short` in the zone `tz`.
fn short_in<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: fmt::Display,
{
    t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::testing::{any_instant, beijing, date, instant, ToyDst};
    use super::*;
    use crate::error::Kind;
    use proptest::prelude::*;

    #[test]
    fn dates_are_pushed_as_chrono_stores_them() {
        for (y, m, d) in [
            (2016, 7, 20),
            (1, 1, 1),
            (0, 1, 1),
            (999, 12, 31),
            (9999, 12, 31),
            (12345, 6, 7),
            (-1, 3, 4),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut text = String::from("x");
            push_date(&mut text, date);
            assert_eq!(text, format!("x{}", date.format("%F")));
        }
    }

    #[test]
    fn baton_now_fixes_the_clock() {
        let clock = Clock::from_baton_now(Some("2026-03-02T09:00:00+08:00".into())).unwrap();
        assert_eq!(clock.now(), instant("2026-03-02T01:00:00Z"));
    }

    #[test]
    fn baton_now_unset_or_empty_reads_the_system_clock() {
        let before = Utc::now();
        for value in [None, Some(OsString::new())] {
            assert!(Clock::from_baton_now(value).unwrap().now() >= before);
        }
    }

    #[test]
    fn bad_baton_now_is_bad_input_naming_the_value() {
        for value in ["yesterday", "2026-03-02 09:00", "0000-01-01T00:00:00+01:00"] {
            let err = Clock::from_baton_now(Some(value.into())).unwrap_err();
            assert_eq!(err.kind, Kind::BadInput);
            assert!(err.message.en.contains(value), "{err}");
            assert!(err.hint.is_some());
        }
    }

    #[test]
    fn storage_and_display_forms() {
        let t = instant("2026-03-02T01:00:00.9Z");
        assert_eq!(to_db(t), "2026-03-02T01:00:00Z");
        assert_eq!(
            from_db("2026-03-02T01:00:00Z").unwrap(),
            instant("2026-03-02T01:00:00Z")
        );
        assert_eq!(rfc3339_in(t, &beijing()), "2026-03-02T09:00:00+08:00");
        assert_eq!(rfc3339_in(t, &Utc), "2026-03-02T01:00:00+00:00");
        assert_eq!(short_in(t, &beijing()), "2026-03-02 09:00");
        let err = from_db("2026-03-02").unwrap_err();
        assert!(format!("{err:#}").contains("\"2026-03-02\""), "{err:#}");
    }

    #[test]
    fn days_start_at_local_midnight_or_the_first_instant_after_a_skip() {
        assert_eq!(
            start_of_day_in(date("2026-03-02"), &beijing()),
            instant("2026-03-01T16:00:00Z")
        );
        // 2026-03-29 00:00 to 00:30 does not exist in the toy zone.
        assert_eq!(
            start_of_day_in(date("2026-03-29"), &ToyDst),
            instant("2026-03-29T00:30:00+02:00")
        );
    }

    proptest! {
        #[test]
        fn storage_form_round_trips(t in any_instant()) {
            prop_assert_eq!(from_db(&to_db(t)).unwrap(), t);
        }
    }
}
