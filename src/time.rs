//! Time: the clock (`BATON_NOW`), dates and instants typed by users, the storage and display
//! forms, SLA durations and the working-day calendar of mainland China (with 调休).
//!
//! The public functions work in the local time zone (`chrono::Local`, which honours `TZ`);
//! each delegates to a private function taking the zone as a parameter, which the tests call
//! with fixed zones.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use anyhow::Context as _;
use chrono::{
    DateTime, Datelike, Days, Local, NaiveDate, NaiveTime, Offset, SecondsFormat, TimeDelta,
    TimeZone, Timelike, Utc, Weekday,
};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::bad_input;
use crate::error::Failure;

/// Years accepted from users and stored: what `YYYY` and RFC 3339 can write.
const YEARS: RangeInclusive<i32> = 1..=9999;

/// The last instant the storage form can hold; later deadlines are clamped to it.
const END_OF_TIME: DateTime<Utc> = NaiveDate::from_ymd_opt(9999, 12, 31)
    .expect("a valid date")
    .and_hms_opt(23, 59, 59)
    .expect("a valid time")
    .and_utc();

const DATE_FORMS: &str =
    "use YYYY-MM-DD, today, yesterday, tomorrow, or days from today like +3d or -2d";

const INSTANT_FORMS: &str = "use YYYY-MM-DD, \"YYYY-MM-DD HH:MM[:SS]\" (local time), RFC 3339 \
     like 2026-03-02T09:00:00+08:00, now, today, yesterday, tomorrow, +3d or -2d";

const DATE_FORMS_ZH: &str =
    "可用 YYYY-MM-DD、today、yesterday、tomorrow,或相对今天的天数如 +3d、-2d";

const INSTANT_FORMS_ZH: &str = "可用 YYYY-MM-DD、\"YYYY-MM-DD HH:MM[:SS]\"(本地时间)、RFC 3339 \
     如 2026-03-02T09:00:00+08:00,以及 now、today、yesterday、tomorrow、+3d、-2d";

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
            .filter(|t| YEARS.contains(&t.year()))
            .map(Clock::fixed)
            .ok_or_else(|| {
                bad_input!("BATON_NOW is not an RFC 3339 time: {value:?}")
                    .zh(format!("BATON_NOW 不是 RFC 3339 时间:{value:?}"))
                    .hint("e.g. BATON_NOW=2026-03-02T09:00:00+08:00")
                    .hint_zh("例如 BATON_NOW=2026-03-02T09:00:00+08:00")
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

/// Parses a date: `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`, `+3d`, `-2d`.
pub fn parse_date(s: &str, clock: &Clock) -> Result<NaiveDate, Failure> {
    parse_date_on(s, clock.today())
}

fn parse_date_on(s: &str, today: NaiveDate) -> Result<NaiveDate, Failure> {
    let s = s.trim();
    let date = match day_offset(s) {
        Some(days) => TimeDelta::try_days(days).and_then(|days| today.checked_add_signed(days)),
        None => {
            let (y, m, d) = ymd(s).ok_or_else(|| {
                bad_input!("invalid date {s:?}")
                    .zh(format!("无效的日期 {s:?}"))
                    .hint(DATE_FORMS)
                    .hint_zh(DATE_FORMS_ZH)
            })?;
            Some(NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| no_such_date(s))?)
        }
    };
    date.filter(|d| YEARS.contains(&d.year()))
        .ok_or_else(|| out_of_range(s))
}

/// Parses an instant: `YYYY-MM-DD` (local midnight), `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM`
/// (local time), RFC 3339, `now`, or `today`, `yesterday`, `tomorrow`, `+3d`, `-2d` (now
/// shifted by whole days of 24 hours). A local time that the clocks skip (daylight saving) is
/// an error; one that happens twice means the earlier.
pub fn parse_instant(s: &str, clock: &Clock) -> Result<DateTime<Utc>, Failure> {
    parse_instant_in(s, clock.now(), &Local)
}

fn parse_instant_in<Tz: TimeZone>(
    s: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<DateTime<Utc>, Failure> {
    let s = s.trim();
    let instant = if s.eq_ignore_ascii_case("now") {
        Some(now)
    } else if let Some(days) = day_offset(s) {
        TimeDelta::try_days(days).and_then(|days| now.checked_add_signed(days))
    } else if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        Some(t.to_utc())
    } else {
        Some(parse_local(s, tz)?)
    };
    // Whole seconds, as stored; a leap second (:60) counts as :59.
    instant
        .filter(|t| YEARS.contains(&t.year()))
        .and_then(|t| t.with_nanosecond(0))
        .ok_or_else(|| out_of_range(s))
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS]` as a time in `tz`.
fn parse_local<Tz: TimeZone>(s: &str, tz: &Tz) -> Result<DateTime<Utc>, Failure> {
    let invalid = || {
        bad_input!("invalid time {s:?}")
            .zh(format!("无效的时间 {s:?}"))
            .hint(INSTANT_FORMS)
            .hint_zh(INSTANT_FORMS_ZH)
    };
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time)),
        None => (s, None),
    };
    let (y, m, d) = ymd(date).ok_or_else(invalid)?;
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| no_such_date(s))?;
    let time = match time {
        None => NaiveTime::MIN,
        Some(time) => {
            let (h, min, sec) = hms(time.trim_start()).ok_or_else(invalid)?;
            NaiveTime::from_hms_opt(h, min, sec).ok_or_else(|| {
                bad_input!("no such time of day: {s:?}")
                    .zh(format!("不存在的时刻:{s:?}"))
                    .hint("hours run 00-23, minutes and seconds 00-59")
                    .hint_zh("小时为 00-23,分钟和秒为 00-59")
            })?
        }
    };
    tz.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.to_utc())
        .ok_or_else(|| {
            bad_input!("{s:?} does not exist in the local time zone (the clocks skip it)")
                .zh(format!(
                    "{s:?} 在本地时区不存在(夏令时调整时跳过了这段时间)"
                ))
                .hint("give a time outside the daylight-saving change, or RFC 3339 with an offset")
                .hint_zh("请给出夏令时调整以外的时间,或带时区偏移的 RFC 3339 时间")
        })
}

/// The day offset that `today`, `yesterday`, `tomorrow`, `+3d` or `-2d` stand for; None for
/// anything else (including numbers too large for i64).
fn day_offset(s: &str) -> Option<i64> {
    const WORDS: [(&str, i64); 3] = [("today", 0), ("yesterday", -1), ("tomorrow", 1)];
    if let Some(&(_, days)) = WORDS.iter().find(|(word, _)| word.eq_ignore_ascii_case(s)) {
        return Some(days);
    }
    let number = s.strip_suffix(['d', 'D'])?;
    if let Some(digits) = number.strip_prefix('+') {
        number_of::<i64>(digits)
    } else {
        number_of::<i64>(number.strip_prefix('-')?).map(|n| -n)
    }
}

/// Splits `YYYY-MM-DD` into numbers; None unless `s` has exactly that shape.
fn ymd(s: &str) -> Option<(i32, u32, u32)> {
    let (y, rest) = s.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    if (y.len(), m.len(), d.len()) != (4, 2, 2) {
        return None;
    }
    Some((number_of(y)?, number_of(m)?, number_of(d)?))
}

/// Splits `HH:MM` into numbers; None unless `s` has exactly that shape.
/// `HH:MM` or `HH:MM:SS` (as Excel writes times).
fn hms(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next().unwrap_or("00"));
    if parts.next().is_some() || (h.len(), m.len(), sec.len()) != (2, 2, 2) {
        return None;
    }
    Some((number_of(h)?, number_of(m)?, number_of(sec)?))
}

/// Parses a non-empty run of ASCII digits (no sign, unlike `str::parse`).
fn number_of<T: FromStr>(digits: &str) -> Option<T> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn no_such_date(s: &str) -> Failure {
    bad_input!("no such date: {s:?}")
        .zh(format!("不存在的日期:{s:?}"))
        .hint("check the month and the day")
        .hint_zh("请检查月份和日期")
}

fn out_of_range(s: &str) -> Failure {
    bad_input!("{s:?} is out of range")
        .zh(format!("{s:?} 超出范围"))
        .hint("dates must lie in the years 0001 to 9999")
        .hint_zh("日期须在 0001 年到 9999 年之间")
}

/// `t`'s date in `tz`; its UTC date where that would leave chrono's range.
fn local_date<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> NaiveDate {
    let offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc()
        .checked_add_offset(offset)
        .map_or(t.date_naive(), |local| local.date())
}

/// The first instant of `day` in local time (the first that exists when the clocks skip
/// midnight), e.g. for a period that starts or ends on a date.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    start_of_day_in(day, &Local)
}

fn start_of_day_in<Tz: TimeZone>(day: NaiveDate, tz: &Tz) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    (0..24 * 60)
        .find_map(|minutes| {
            let local = midnight.checked_add_signed(TimeDelta::minutes(minutes))?;
            tz.from_local_datetime(&local).earliest()
        })
        .map_or(midnight.and_utc(), |t| t.to_utc())
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

fn rfc3339_in<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: fmt::Display,
{
    t.with_timezone(tz)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The display form for tables: `2026-03-02 09:00` in local time.
pub fn to_local_short(t: DateTime<Utc>) -> String {
    short_in(t, &Local)
}

fn short_in<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: fmt::Display,
{
    t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()
}

/// An SLA duration from the config: `24h`, `3d` or `7wd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaDuration {
    /// Exact hours from the start.
    Hours(u32),
    /// Until the end of the n-th calendar day after the start day.
    Days(u32),
    /// Until the end of the n-th working day after the start day.
    WorkingDays(u32),
}

impl SlaDuration {
    /// The largest amount accepted from text (10,000 hours is over a year, 10,000 days decades).
    const MAX_AMOUNT: u32 = 10_000;
}

impl FromStr for SlaDuration {
    type Err = Failure;

    fn from_str(s: &str) -> Result<Self, Failure> {
        let invalid = || {
            bad_input!("invalid duration {s:?}")
                .zh(format!("无效的时长 {s:?}"))
                .hint("use hours, calendar days or working days, e.g. 24h, 3d, 7wd")
                .hint_zh("请用小时、自然日或工作日,例如 24h、3d、7wd")
        };
        let unit_at = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(invalid)?;
        let (digits, unit) = s.split_at(unit_at);
        let make = match unit {
            "h" => SlaDuration::Hours,
            "d" => SlaDuration::Days,
            "wd" => SlaDuration::WorkingDays,
            _ => return Err(invalid()),
        };
        let amount = number_of::<u32>(digits).ok_or_else(invalid)?;
        if amount > Self::MAX_AMOUNT {
            return Err(bad_input!("duration {s:?} is too long")
                .zh(format!("时长 {s:?} 过长"))
                .hint(format!("at most {} of any unit", Self::MAX_AMOUNT))
                .hint_zh(format!("任何单位最多 {}", Self::MAX_AMOUNT)));
        }
        Ok(make(amount))
    }
}

impl fmt::Display for SlaDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlaDuration::Hours(n) => write!(f, "{n}h"),
            SlaDuration::Days(n) => write!(f, "{n}d"),
            SlaDuration::WorkingDays(n) => write!(f, "{n}wd"),
        }
    }
}

impl Serialize for SlaDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SlaDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(|e: Failure| match &e.hint {
            Some(hint) => D::Error::custom(format_args!("{e} ({})", hint.en)),
            None => D::Error::custom(e),
        })
    }
}

/// The built-in holiday files, one per year with a State Council notice.
const BUILTIN_HOLIDAYS: [&str; 2] = [
    include_str!("../assets/holidays/cn-2025.toml"),
    include_str!("../assets/holidays/cn-2026.toml"),
];

/// One `assets/holidays/cn-YYYY.toml` file; its format is described at the top of each.
#[derive(Debug, Deserialize)]
struct HolidayFile {
    year: i32,
    holiday: Vec<Holiday>,
}

/// One holiday period of a notice, with its make-up working days.
#[derive(Debug, Deserialize)]
struct Holiday {
    from: TomlDate,
    to: TomlDate,
    #[serde(default)]
    workdays: Vec<TomlDate>,
}

impl Holiday {
    /// The days from `from` to `to`, inclusive.
    fn days_off(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.0.iter_days().take_while(|d| *d <= self.to.0)
    }
}

/// A bare TOML date such as `2026-02-14`.
#[derive(Debug, Clone, Copy)]
struct TomlDate(NaiveDate);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = toml::value::Datetime::deserialize(deserializer)?;
        let date = match value {
            toml::value::Datetime {
                date: Some(date),
                time: None,
                offset: None,
            } => NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into()),
            _ => None,
        };
        date.map(TomlDate).ok_or_else(|| {
            D::Error::custom(format!("expected a date like 2026-02-14, found {value}"))
        })
    }
}

/// Working days: Monday to Friday, except holidays, plus make-up working days (调休).
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
    covered: BTreeSet<i32>,
    uncovered_used: RefCell<BTreeSet<i32>>,
}

impl Calendar {
    /// The built-in mainland China calendar (`assets/holidays/cn-*.toml`).
    pub fn builtin() -> Calendar {
        let mut calendar = Calendar::default();
        for text in BUILTIN_HOLIDAYS {
            let file: HolidayFile =
                toml::from_str(text).expect("the built-in holiday files are valid (tested)");
            calendar.covered.insert(file.year);
            for holiday in &file.holiday {
                calendar.holidays.extend(holiday.days_off());
                calendar
                    .workdays
                    .extend(holiday.workdays.iter().map(|d| d.0));
            }
        }
        calendar
    }

    /// The built-in calendar plus extra holidays and working days (config `[calendar]`). The
    /// extras win over the built-in dates, a date in both lists is a working day, and a year
    /// with an extra date counts as covered.
    pub fn with_extra(holidays: &[NaiveDate], workdays: &[NaiveDate]) -> Calendar {
        let mut calendar = Calendar::builtin();
        for &day in holidays {
            calendar.workdays.remove(&day);
            calendar.holidays.insert(day);
            calendar.covered.insert(day.year());
        }
        for &day in workdays {
            calendar.holidays.remove(&day);
            calendar.workdays.insert(day);
            calendar.covered.insert(day.year());
        }
        calendar
    }

    /// Whether `day` is a working day; in a year the calendar does not cover, whether it is
    /// Monday to Friday (and the year is remembered for `uncovered_years_used`).
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if !self.covered.contains(&day.year()) {
            self.uncovered_used.borrow_mut().insert(day.year());
        }
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        self.workdays.contains(&day) || !(weekend || self.holidays.contains(&day))
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
    /// date. Deadlines past the year 9999 are clamped to its end.
    pub fn deadline(&self, start: DateTime<Utc>, duration: SlaDuration) -> DateTime<Utc> {
        self.deadline_in(start, duration, &Local)
    }

    fn deadline_in<Tz: TimeZone>(
        &self,
        start: DateTime<Utc>,
        duration: SlaDuration,
        tz: &Tz,
    ) -> DateTime<Utc> {
        let start_day = local_date(start, tz);
        let deadline = match duration {
            SlaDuration::Hours(n) => start.checked_add_signed(TimeDelta::hours(n.into())),
            SlaDuration::Days(n) => start_day
                .checked_add_days(Days::new(n.into()))
                .and_then(|day| end_of_day(day, tz)),
            SlaDuration::WorkingDays(n) => end_of_day(self.add_working_days(start_day, n), tz),
        };
        deadline.map_or(END_OF_TIME, |t| t.min(END_OF_TIME))
    }

    /// The years the calendar covers (built-in and extra).
    pub fn covered_years(&self) -> BTreeSet<i32> {
        self.covered.clone()
    }

    /// The years outside the covered ones that any computation has looked at so far, for the
    /// caller to warn about.
    pub fn uncovered_years_used(&self) -> Vec<i32> {
        self.uncovered_used.borrow().iter().copied().collect()
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

    use super::*;
    use crate::error::Kind;
    use chrono::{FixedOffset, LocalResult, NaiveDateTime};
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn instant(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn beijing() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    /// The deadline in Beijing time, as RFC 3339.
    fn deadline(calendar: &Calendar, start: &str, duration: &str) -> String {
        let t = calendar.deadline_in(instant(start), duration.parse().unwrap(), &beijing());
        rfc3339_in(t, &beijing())
    }

    /// A toy zone with daylight saving: UTC+1, and UTC+2 from 2026-03-28 22:30 UTC to
    /// 2026-10-25 01:00 UTC. Local 2026-03-28 23:30 to 03-29 00:30 does not exist, and local
    /// 2026-10-25 02:00 to 03:00 happens twice.
    #[derive(Debug, Clone, Copy)]
    struct ToyDst;

    impl TimeZone for ToyDst {
        type Offset = FixedOffset;

        fn from_offset(_: &FixedOffset) -> Self {
            ToyDst
        }

        fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<FixedOffset> {
            self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
        }

        fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<FixedOffset> {
            // Summer first: of two readings, the earlier instant is the one with more offset.
            let fits: Vec<_> = [2, 1]
                .map(|hours| FixedOffset::east_opt(hours * 3600).unwrap())
                .into_iter()
                .filter(|&offset| self.offset_from_utc_datetime(&(*local - offset)) == offset)
                .collect();
            match fits[..] {
                [offset] => LocalResult::Single(offset),
                [early, late] => LocalResult::Ambiguous(early, late),
                _ => LocalResult::None,
            }
        }

        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
        }

        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            let summer = instant("2026-03-28T22:30:00Z").naive_utc()
                ..instant("2026-10-25T01:00:00Z").naive_utc();
            let hours = if summer.contains(utc) { 2 } else { 1 };
            FixedOffset::east_opt(hours * 3600).unwrap()
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
    fn parse_date_accepts_every_form() {
        let today = date("2026-03-02");
        let cases = [
            ("2026-02-28", "2026-02-28"),
            ("today", "2026-03-02"),
            ("yesterday", "2026-03-01"),
            ("tomorrow", "2026-03-03"),
            ("Today", "2026-03-02"),
            ("+3d", "2026-03-05"),
            ("-2d", "2026-02-28"),
            ("+0d", "2026-03-02"),
            ("-365d", "2025-03-02"),
            (" 2024-02-29 ", "2024-02-29"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_date_on(input, today).unwrap(),
                date(expected),
                "{input}"
            );
        }
    }

    #[test]
    fn parse_date_rejects_bad_input_naming_it() {
        let today = date("2026-03-02");
        for input in [
            "",
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-3-2",
            "26-03-02",
            "+2026-03-02",
            "2026-03-02 09:00",
            "3d",
            "+d",
            "+-3d",
            "+3w",
            "++3d",
            "now",
            "昨天",
            "0000-01-01",
            "+99999999d",
            "+99999999999999999999d",
        ] {
            let err = parse_date_on(input, today).unwrap_err();
            assert_eq!(err.kind, Kind::BadInput, "{input}");
            assert!(
                err.message.en.contains(&format!("{:?}", input.trim())),
                "{err}"
            );
            assert!(err.hint.is_some(), "{input}");
        }
        let err = parse_date_on("xyz", today).unwrap_err();
        assert!(err.hint.unwrap().en.contains("YYYY-MM-DD"));
        let err = parse_date_on("2026-02-30", today).unwrap_err();
        assert!(err.message.en.contains("no such date"), "{err}");
    }

    #[test]
    fn parse_instant_accepts_every_form() {
        let now = instant("2026-03-02T01:30:00Z");
        let cases = [
            ("now", "2026-03-02T01:30:00Z"),
            ("today", "2026-03-02T01:30:00Z"),
            ("yesterday", "2026-03-01T01:30:00Z"),
            ("tomorrow", "2026-03-03T01:30:00Z"),
            ("+3d", "2026-03-05T01:30:00Z"),
            ("-2d", "2026-02-28T01:30:00Z"),
            ("2026-03-02", "2026-03-01T16:00:00Z"),
            ("2026-03-02 09:00", "2026-03-02T01:00:00Z"),
            ("2026-03-02T09:00", "2026-03-02T01:00:00Z"),
            ("2026-03-02 09:00:30", "2026-03-02T01:00:30Z"),
            ("2026-03-02T09:00:00+08:00", "2026-03-02T01:00:00Z"),
            ("2026-03-02T01:00:00Z", "2026-03-02T01:00:00Z"),
            ("2026-03-01T20:00:00-05:00", "2026-03-02T01:00:00Z"),
            ("2026-03-02T09:00:00.250+08:00", "2026-03-02T01:00:00Z"),
        ];
        for (input, expected) in cases {
            let got = parse_instant_in(input, now, &beijing()).unwrap();
            assert_eq!(got, instant(expected), "{input}");
        }
    }

    #[test]
    fn parse_instant_rejects_bad_input_naming_it() {
        let now = instant("2026-03-02T01:30:00Z");
        for input in [
            "",
            "2026-02-30",
            "2026-02-30 09:00",
            "2026-03-02 24:00",
            "2026-03-02 09:60",
            "2026-03-02 9:00",
            "2026-03-02 09:00:61",
            "2026-03-02 09:00:00:00",
            "2026-03-02T09",
            "2026-03-02X09:00",
            "2026-03-02T25:00:00Z",
            "09:00",
            "later",
            "+3",
            "0000-01-01",
            "0001-01-01T00:00:00+01:00",
            "+9999999d",
        ] {
            let err = parse_instant_in(input, now, &beijing()).unwrap_err();
            assert_eq!(err.kind, Kind::BadInput, "{input}");
            assert!(err.message.en.contains(&format!("{input:?}")), "{err}");
            assert!(err.hint.is_some(), "{input}");
        }
    }

    #[test]
    fn parse_instant_refuses_skipped_local_times_and_takes_the_earlier_of_repeated_ones() {
        let now = instant("2026-03-02T00:00:00Z");
        for skipped in ["2026-03-28 23:45", "2026-03-29"] {
            let err = parse_instant_in(skipped, now, &ToyDst).unwrap_err();
            assert!(err.message.en.contains("does not exist"), "{err}");
        }
        let repeated = parse_instant_in("2026-10-25 02:30", now, &ToyDst).unwrap();
        assert_eq!(repeated, instant("2026-10-25T00:30:00Z"));
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
    fn sla_durations_parse_and_display() {
        for (text, duration) in [
            ("24h", SlaDuration::Hours(24)),
            ("3d", SlaDuration::Days(3)),
            ("7wd", SlaDuration::WorkingDays(7)),
            ("0d", SlaDuration::Days(0)),
            ("10000wd", SlaDuration::WorkingDays(10_000)),
        ] {
            assert_eq!(text.parse::<SlaDuration>().unwrap(), duration);
            assert_eq!(duration.to_string(), text);
        }
        assert_eq!("007d".parse::<SlaDuration>().unwrap(), SlaDuration::Days(7));
        for bad in [
            "",
            "0x",
            "3w",
            "-1h",
            "+1h",
            "h",
            "wd",
            "24",
            "24 h",
            " 24h",
            "24H",
            "1.5d",
            "10001d",
            "4294967296h",
            "99999999999999999999wd",
        ] {
            let err = bad.parse::<SlaDuration>().unwrap_err();
            assert_eq!(err.kind, Kind::BadInput, "{bad:?}");
            assert!(err.message.en.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn sla_durations_serialize_as_strings() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Config {
            sla: SlaDuration,
        }
        let config: Config = toml::from_str("sla = \"7wd\"").unwrap();
        assert_eq!(config.sla, SlaDuration::WorkingDays(7));
        assert_eq!(toml::to_string(&config).unwrap(), "sla = \"7wd\"\n");
        let err = toml::from_str::<Config>("sla = \"3w\"").unwrap_err();
        assert!(err.to_string().contains("24h, 3d, 7wd"), "{err}");
    }

    #[test]
    fn builtin_holiday_files_are_consistent() {
        let mut holidays = BTreeSet::new();
        let mut workdays = BTreeSet::new();
        for text in BUILTIN_HOLIDAYS {
            let file: HolidayFile = toml::from_str(text).unwrap();
            for holiday in &file.holiday {
                assert!(holiday.from.0 <= holiday.to.0, "{holiday:?}");
                assert_eq!(holiday.from.0.year(), file.year, "{holiday:?}");
                assert_eq!(holiday.to.0.year(), file.year, "{holiday:?}");
                holidays.extend(holiday.days_off());
                for day in &holiday.workdays {
                    assert_eq!(day.0.year(), file.year, "{day:?}");
                    let weekend = matches!(day.0.weekday(), Weekday::Sat | Weekday::Sun);
                    assert!(weekend, "make-up working day {day:?} is not a weekend day");
                    workdays.insert(day.0);
                }
            }
        }
        assert!(holidays.is_disjoint(&workdays));
        assert_eq!(
            Calendar::builtin().covered_years(),
            BTreeSet::from([2025, 2026])
        );
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
    fn toml_dates_must_be_plain_dates() {
        for bad in [
            "from = 2026-02-14T00:00:00",
            "from = \"2026-02-14\"",
            "from = 2026",
        ] {
            let text = format!("year = 2026\n[[holiday]]\n{bad}\nto = 2026-02-14\n");
            assert!(toml::from_str::<HolidayFile>(&text).is_err(), "{bad}");
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
        assert!(calendar.uncovered_years_used().is_empty());
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
        let at = |d: &str| calendar.deadline_in(start, d.parse().unwrap(), &ToyDst);
        assert_eq!(at("24h"), instant("2026-03-29T10:00:00Z"));
        // 2026-03-28 ends early: its last hour is skipped.
        assert_eq!(at("0d"), instant("2026-03-28T23:29:59+01:00"));
        assert_eq!(at("1d"), instant("2026-03-29T23:59:59+02:00"));
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

    #[test]
    fn far_deadlines_are_clamped_and_never_panic() {
        let calendar = Calendar::builtin();
        let start = instant("2026-03-02T01:00:00Z");
        for duration in [SlaDuration::Hours(u32::MAX), SlaDuration::Days(u32::MAX)] {
            assert_eq!(
                calendar.deadline_in(start, duration, &beijing()),
                END_OF_TIME
            );
        }
        let last = NaiveDate::MAX - Days::new(30);
        assert_eq!(calendar.add_working_days(last, u32::MAX), NaiveDate::MAX);
        let edge = DateTime::<Utc>::MAX_UTC;
        let west = FixedOffset::west_opt(8 * 3600).unwrap();
        assert_eq!(
            calendar.deadline_in(edge, SlaDuration::Days(1), &beijing()),
            END_OF_TIME
        );
        assert_eq!(
            calendar.deadline_in(edge, SlaDuration::Days(0), &west),
            END_OF_TIME
        );
    }

    #[test]
    fn uncovered_years_are_reported() {
        let calendar = Calendar::builtin();
        calendar.deadline_in(
            instant("2026-06-01T02:00:00Z"),
            SlaDuration::WorkingDays(30),
            &beijing(),
        );
        assert!(calendar.uncovered_years_used().is_empty());
        // New Year's Day 2027 is unknown, so it counts as a working day (a Friday).
        assert_eq!(
            calendar.add_working_days(date("2026-12-31"), 1),
            date("2027-01-01")
        );
        assert_eq!(calendar.uncovered_years_used(), [2027]);

        let calendar = Calendar::builtin();
        let start = instant("2027-03-01T09:00:00+08:00");
        calendar.deadline_in(start, SlaDuration::WorkingDays(5), &beijing());
        assert_eq!(calendar.uncovered_years_used(), [2027]);
    }

    #[test]
    fn extra_dates_override_and_cover_their_year() {
        let calendar = Calendar::with_extra(
            &[date("2027-01-01"), date("2026-02-14")],
            &[date("2026-02-24"), date("2027-01-01")],
        );
        assert!(!calendar.is_working_day(date("2026-02-14"))); // make-up day given off
        assert!(calendar.is_working_day(date("2026-02-24")));
        assert!(calendar.is_working_day(date("2027-01-01"))); // in both lists
        assert!(calendar.covered_years().contains(&2027));
        assert!(calendar.uncovered_years_used().is_empty());
        let holiday_only = Calendar::with_extra(&[date("2027-01-01")], &[]);
        assert!(!holiday_only.is_working_day(date("2027-01-01")));
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        let range = instant("0001-01-01T00:00:00Z").timestamp()..=END_OF_TIME.timestamp();
        range.prop_map(|secs| DateTime::from_timestamp(secs, 0).unwrap())
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        any_instant().prop_map(|t| t.date_naive())
    }

    fn any_duration() -> impl Strategy<Value = SlaDuration> {
        let amount = 0..=SlaDuration::MAX_AMOUNT;
        prop_oneof![
            amount.clone().prop_map(SlaDuration::Hours),
            amount.clone().prop_map(SlaDuration::Days),
            amount.prop_map(SlaDuration::WorkingDays),
        ]
    }

    fn date_like() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[+-]?[0-9]{0,22}[dD]",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2})?",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})",
        ]
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in date_like(), now in any_instant(), hours in -23i32..=23) {
            let tz = FixedOffset::east_opt(hours * 3600).unwrap();
            let _ = parse_date_on(&s, now.date_naive());
            let _ = parse_instant_in(&s, now, &tz);
            let _ = parse_instant_in(&s, now, &ToyDst);
            let _ = s.parse::<SlaDuration>();
            let _ = from_db(&s);
        }

        #[test]
        fn parsed_dates_and_instants_can_be_stored(s in date_like(), now in any_instant()) {
            if let Ok(d) = parse_date_on(&s, now.date_naive()) {
                prop_assert_eq!(date(&d.to_string()), d);
            }
            if let Ok(t) = parse_instant_in(&s, now, &beijing()) {
                prop_assert_eq!(from_db(&to_db(t)).unwrap(), t);
            }
        }

        #[test]
        fn a_leap_second_is_stored_as_the_second_before(now in any_instant()) {
            let t = parse_instant_in("2016-12-31T23:59:60Z", now, &beijing()).unwrap();
            prop_assert_eq!(to_db(t), "2016-12-31T23:59:59Z");
            prop_assert_eq!(from_db(&to_db(t)).unwrap(), t);
        }

        #[test]
        fn sla_durations_round_trip(duration in any_duration()) {
            prop_assert_eq!(duration.to_string().parse::<SlaDuration>().unwrap(), duration);
        }

        #[test]
        fn storage_form_round_trips(t in any_instant()) {
            prop_assert_eq!(from_db(&to_db(t)).unwrap(), t);
        }

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
            let deadline = Calendar::builtin().deadline_in(start, duration, &tz);
            prop_assert!(deadline >= start);
            prop_assert!(deadline <= END_OF_TIME);
        }
    }
}
