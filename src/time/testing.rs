//! Helpers of the time tests: literal dates and instants, fixed zones, strategies.

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use proptest::prelude::*;

use super::SlaDuration;

/// A `YYYY-MM-DD` literal.
pub(super) fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An RFC 3339 literal.
pub(super) fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// UTC+8, without daylight saving.
pub(super) fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// A toy zone with daylight saving: UTC+1, and UTC+2 from 2026-03-28 22:30 UTC to
/// 2026-10-25 01:00 UTC. Local 2026-03-28 23:30 to 03-29 00:30 does not exist, and local
/// 2026-10-25 02:00 to 03:00 happens twice.
#[derive(Debug, Clone, Copy)]
pub(super) struct ToyDst;

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

/// The last instant the storage form can hold.
pub(super) fn end_of_time() -> DateTime<Utc> {
    instant("9999-12-31T23:59:59Z")
}

/// Any instant the storage form can hold.
pub(super) fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    let range = instant("0001-01-01T00:00:00Z").timestamp()..=end_of_time().timestamp();
    range.prop_map(|secs| DateTime::from_timestamp(secs, 0).unwrap())
}

/// Any date of a storable instant.
pub(super) fn any_date() -> impl Strategy<Value = NaiveDate> {
    any_instant().prop_map(|t| t.date_naive())
}

/// Any duration accepted from text.
pub(super) fn any_duration() -> impl Strategy<Value = SlaDuration> {
    let amount = 0..=SlaDuration::MAX_AMOUNT;
    prop_oneof![
        amount.clone().prop_map(SlaDuration::Hours),
        amount.clone().prop_map(SlaDuration::Days),
        amount.prop_map(SlaDuration::WorkingDays),
    ]
}
