//! Dates and instants typed by users: `YYYY-MM-DD`, local times, RFC 3339, and the relative
//! forms `now`, `today`, `yesterday`, `tomorrow`, `+3d`, `-2d`.

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};

use super::{number_of, storable_in, Clock, YEARS};
use crate::bad_input;
use crate::error::Failure;
use crate::i18n::Text;

/// The forms of a date, for the hint of a failure.
const DATE_FORMS: &str =
    "use YYYY-MM-DD, today, yesterday, tomorrow, or days from today like +3d or -2d";

/// The forms of an instant, for the hint of a failure.
const INSTANT_FORMS: &str = "use YYYY-MM-DD, \"YYYY-MM-DD HH:MM[:SS]\" (local time), RFC 3339 \
     like 2026-03-02T09:00:00+08:00, now, today, yesterday, tomorrow, +3d or -2d";

const DATE_FORMS_ZH: &str =
    "可用 YYYY-MM-DD、today、yesterday、tomorrow，或相对今天的天数如 +3d、-2d";

const INSTANT_FORMS_ZH: &str = "可用 YYYY-MM-DD、\"YYYY-MM-DD HH:MM[:SS]\"（本地时间）、RFC 3339 \
     如 2026-03-02T09:00:00+08:00，以及 now、today、yesterday、tomorrow、+3d、-2d";

/// Parses a date: `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`, `+3d`, `-2d`.
pub fn parse_date(s: &str, clock: &Clock) -> Result<NaiveDate, Failure> {
    parse_date_on(s, clock.today())
}

/// `parse_date` counting from `today`: for many dates, `today` read once.
pub fn parse_date_on(s: &str, today: NaiveDate) -> Result<NaiveDate, Failure> {
    let s = s.trim();
    let date = match day_offset(s) {
        Some(days) => TimeDelta::try_days(days).and_then(|days| today.checked_add_signed(days)),
        None => {
            let (y, m, d) = ymd(s).ok_or_else(|| {
                bad_input!("invalid date {s:?}", "无效的日期 {s:?}")
                    .hint(Text::new(DATE_FORMS, DATE_FORMS_ZH))
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

/// `parse_instant` at `now` in the zone `tz`.
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
        .filter(|&t| storable_in(t, tz))
        .and_then(|t| t.with_nanosecond(0))
        .ok_or_else(|| out_of_range(s))
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS]` as a time in `tz`.
fn parse_local<Tz: TimeZone>(s: &str, tz: &Tz) -> Result<DateTime<Utc>, Failure> {
    let invalid = || {
        bad_input!("invalid time {s:?}", "无效的时间 {s:?}")
            .hint(Text::new(INSTANT_FORMS, INSTANT_FORMS_ZH))
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
                bad_input!("no such time of day: {s:?}", "不存在的时刻：{s:?}").hint(Text::new(
                    "hours run 00-23, minutes and seconds 00-59",
                    "小时为 00-23，分钟和秒为 00-59",
                ))
            })?
        }
    };
    tz.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.to_utc())
        .ok_or_else(|| {
            bad_input!(
                "{s:?} does not exist in the local time zone (the clocks skip it)",
                "{s:?} 在本地时区不存在（夏令时调整时跳过了这段时间）"
            )
            .hint(Text::new(
                "give a time outside the daylight-saving change, or RFC 3339 with an offset",
                "请给出夏令时调整以外的时间，或带时区偏移的 RFC 3339 时间",
            ))
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

/// A date in its storage form (`YYYY-MM-DD`, as [`super::push_date`] writes it), read
/// without chrono's parser (a sixth of exporting a million customers); None for any other
/// text.
pub fn date_from_db(s: &str) -> Option<NaiveDate> {
    let (y, m, d) = ymd(s)?;
    NaiveDate::from_ymd_opt(y, m, d)
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

/// Splits `HH:MM` or `HH:MM:SS` (as Excel writes times) into numbers; None unless `s` has
/// exactly that shape.
fn hms(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next().unwrap_or("00"));
    if parts.next().is_some() || (h.len(), m.len(), sec.len()) != (2, 2, 2) {
        return None;
    }
    Some((number_of(h)?, number_of(m)?, number_of(sec)?))
}

/// A date with the right shape that the calendar does not have (`2026-02-30`).
fn no_such_date(s: &str) -> Failure {
    bad_input!("no such date: {s:?}", "不存在的日期：{s:?}")
        .hint(Text::new("check the month and the day", "请检查月份和日期"))
}

/// A date or instant outside the years baton stores.
fn out_of_range(s: &str) -> Failure {
    bad_input!("{s:?} is out of range", "{s:?} 超出范围").hint(Text::new(
        "dates must lie in the years 0001 to 9999",
        "日期须在 0001 年到 9999 年之间",
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{any_instant, beijing, date, instant, ToyDst};
    use super::super::{from_db, to_db, SlaDuration};
    use super::*;
    use crate::error::Kind;
    use chrono::FixedOffset;
    use proptest::prelude::*;

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
    }
}
