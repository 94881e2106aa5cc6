//! The official holiday arrangements imported by `baton calendar import`: stored one row per
//! import (a later import of a year closes the earlier one), loaded into the working-day
//! calendar when a command opens the database, and the years `calendar years` lists.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{named_params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::evidence;
use crate::audit::{self, Stamp};
use crate::i18n::{labels_lang, Lang};
use crate::time::{self, Arrangement, Calendar, Day, Standing};
use crate::{bad_input, text_enum};

text_enum! { "calendar standing" / "日历状态":
    /// Whether a year's days off are the official ones.
    pub enum YearStanding {
        Official = "official" / "官方",
        Provisional = "provisional" / "暂定",
    }
}

text_enum! { "calendar origin" / "日历来源":
    /// Where baton has a year's days off from.
    pub enum Origin {
        Builtin = "built-in" / "内置",
        Imported = "imported" / "已导入",
        Statutory = "statutory" / "法定推算",
    }
}

text_enum! { "kind of day" / "日期类型":
    /// A listed day: off, or a make-up working day (调休上班).
    pub enum DayKind {
        Off = "off" / "放假",
        Workday = "workday" / "调休上班",
    }
}

text_enum! { "weekday" / "星期":
    /// The day of the week, as a table shows it.
    pub enum WeekdayName {
        Mon = "Mon" / "周一",
        Tue = "Tue" / "周二",
        Wed = "Wed" / "周三",
        Thu = "Thu" / "周四",
        Fri = "Fri" / "周五",
        Sat = "Sat" / "周六",
        Sun = "Sun" / "周日",
    }
}

/// A holiday's name as the notice gives it (`春节`); English tables add the English name
/// (`Spring Festival (春节)`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HolidayName(pub String);

impl Serialize for HolidayName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (labels_lang(), time::english_name(&self.0)) {
            (Some(Lang::En), Some(en)) => s.serialize_str(&format!("{en} ({})", self.0)),
            _ => s.serialize_str(&self.0),
        }
    }
}

/// A day of `calendar show`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DayRow {
    pub date: String,
    pub weekday: WeekdayName,
    pub name: HolidayName,
    pub kind: DayKind,
}

/// `calendar show YEAR`.
#[derive(Debug, Clone, Serialize)]
pub struct YearShow {
    pub year: i32,
    pub standing: YearStanding,
    pub source: String,
    pub days_off: usize,
    pub workdays: usize,
    pub days: Vec<DayRow>,
}

/// `year` of `calendar` as `calendar show` lists it, its source in `lang`.
pub fn show(calendar: &Calendar, year: i32, lang: Lang) -> YearShow {
    let listed = calendar.year(year);
    let (days_off, workdays) = counts(&listed.days);
    YearShow {
        year,
        standing: listed.standing.into(),
        source: listed.source.get(lang).to_string(),
        days_off,
        workdays,
        days: listed
            .days
            .iter()
            .map(|day| DayRow {
                date: day.date.to_string(),
                weekday: WeekdayName::ALL[day.date.weekday().num_days_from_monday() as usize],
                name: HolidayName(day.name.clone()),
                kind: if day.off {
                    DayKind::Off
                } else {
                    DayKind::Workday
                },
            })
            .collect(),
    }
}

impl From<Standing> for YearStanding {
    fn from(standing: Standing) -> Self {
        match standing {
            Standing::Official => YearStanding::Official,
            Standing::Provisional => YearStanding::Provisional,
        }
    }
}

/// A row of `calendar years`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct YearRow {
    pub year: i32,
    pub standing: YearStanding,
    pub origin: Origin,
    pub days_off: usize,
    pub workdays: usize,
    pub source: String,
    pub imported_at: Option<String>,
    pub actor: Option<String>,
}

/// The current import of a year.
struct Import {
    imported_at: String,
    actor: String,
}

/// The largest calendar file read: a year's arrangement is a few kilobytes.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads and checks the calendar file at `path`: its arrangement and the SHA-256 of its
/// bytes. Anything but a regular UTF-8 file of at most 1 MiB is refused before it is read
/// whole.
pub fn read_file(path: &Path) -> Result<(Arrangement, String)> {
    let shown = path.display().to_string();
    let cannot_read = || format!("cannot read {shown}");
    evidence::regular(path, &std::fs::metadata(path).with_context(cannot_read)?)?;
    let mut bytes = Vec::new();
    File::open(path)
        .with_context(cannot_read)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(bad_input!(
            "{shown} has more than {MAX_FILE_BYTES} bytes: not a calendar file",
            "{shown} 超过 {MAX_FILE_BYTES} 字节：不是日历文件"
        )
        .into());
    }
    let text = std::str::from_utf8(&bytes).map_err(|err| {
        let line = bytes[..err.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        bad_input!(
            "{shown}:{line}: the file is not UTF-8 text",
            "{shown}:{line}：文件不是 UTF-8 文本"
        )
    })?;
    let arrangement = Arrangement::parse(&shown, text)?;
    Ok((arrangement, audit::hex(&Sha256::digest(&bytes))))
}

/// The arrangements imported and not replaced, in year order.
pub fn imported(conn: &Connection) -> Result<Vec<Arrangement>> {
    let mut years: BTreeMap<i32, Arrangement> = BTreeMap::new();
    let mut statement = conn.prepare_cached(
        "SELECT y.year, y.source, d.date, d.name, d.off
         FROM calendar_years y JOIN calendar_days d ON d.calendar_id = y.id
         WHERE y.replaced_at IS NULL ORDER BY y.year, d.date",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i32>(0)?,
            row.get::<_, String>(1)?,
            Day {
                date: row.get::<_, NaiveDate>(2)?,
                name: row.get(3)?,
                off: row.get(4)?,
            },
        ))
    })?;
    for row in rows {
        let (year, source, day) = row.context("cannot read the imported calendar")?;
        years
            .entry(year)
            .or_insert_with(|| Arrangement {
                year,
                source,
                days: Vec::new(),
            })
            .days
            .push(day);
    }
    Ok(years.into_values().collect())
}

/// Stores `arrangement`, imported from `file_name` (content hash `sha256`), as its year's
/// official one, closing the year's earlier import; with its `calendar.import` event.
pub fn store(
    conn: &Connection,
    stamp: &Stamp,
    arrangement: &Arrangement,
    file_name: &str,
    sha256: &str,
) -> Result<()> {
    let at = time::to_db(stamp.at);
    let year = arrangement.year;
    let replaced = conn
        .prepare_cached(
            "UPDATE calendar_years SET replaced_at = :at WHERE year = :year AND replaced_at IS NULL
             RETURNING id",
        )?
        .query_row(named_params! { ":at": at, ":year": year }, |r| {
            r.get::<_, i64>(0)
        })
        .optional()
        .context("cannot close the earlier import of the year")?;
    conn.prepare_cached(
        "INSERT INTO calendar_years (year, source, file_name, sha256, imported_at, actor)
         VALUES (:year, :source, :file, :sha256, :at, :actor)",
    )?
    .execute(named_params! {
        ":year": year, ":source": arrangement.source, ":file": file_name,
        ":sha256": sha256, ":at": at, ":actor": stamp.actor,
    })
    .context("cannot store the calendar year")?;
    let id = conn.last_insert_rowid();
    let mut insert = conn.prepare_cached(
        "INSERT INTO calendar_days (calendar_id, date, name, off) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for day in &arrangement.days {
        insert
            .execute(rusqlite::params![id, day.date, day.name, day.off])
            .context("cannot store a calendar day")?;
    }
    let (off, work) = counts(&arrangement.days);
    audit::record(
        conn,
        stamp,
        "calendar.import",
        "calendar",
        Some(&year.to_string()),
        &json!({
            "year": year, "source": arrangement.source, "file": file_name, "sha256": sha256,
            "days_off": off, "workdays": work, "replaces_import": replaced,
        }),
    )?;
    Ok(())
}

/// The days off and the make-up working days among `days`.
fn counts(days: &[Day]) -> (usize, usize) {
    let off = days.iter().filter(|d| d.off).count();
    (off, days.len() - off)
}

/// `calendar years`: every official year and the provisional years of `also` (this year and
/// the next, the years open clocks reach), in year order; sources in `lang`.
pub fn years(
    conn: &Connection,
    calendar: &Calendar,
    also: &[i32],
    lang: Lang,
) -> Result<Vec<YearRow>> {
    let mut years: Vec<i32> = calendar.official_years();
    years.extend(also.iter().filter(|y| (1..=9999).contains(*y)));
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let listed = calendar.year(year);
            let import = current_import(conn, year)?;
            let origin = match (listed.standing, &import) {
                (Standing::Provisional, _) => Origin::Statutory,
                (Standing::Official, Some(_)) => Origin::Imported,
                (Standing::Official, None) => Origin::Builtin,
            };
            let (days_off, workdays) = counts(&listed.days);
            Ok(YearRow {
                year,
                standing: listed.standing.into(),
                origin,
                days_off,
                workdays,
                source: listed.source.get(lang).to_string(),
                imported_at: import
                    .as_ref()
                    .map(|i| time::stored_to_local(i.imported_at.clone())),
                actor: import.map(|i| i.actor),
            })
        })
        .collect()
}

fn current_import(conn: &Connection, year: i32) -> Result<Option<Import>> {
    Ok(conn
        .prepare_cached(
            "SELECT imported_at, actor FROM calendar_years WHERE year = ?1 AND replaced_at IS NULL",
        )?
        .query_row([year], |r| {
            Ok(Import {
                imported_at: r.get(0)?,
                actor: r.get(1)?,
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    fn stamp() -> Stamp {
        Stamp {
            actor: "tester".into(),
            at: time::from_db("2026-12-01T01:00:00Z").unwrap(),
        }
    }

    #[test]
    fn a_later_import_closes_the_earlier_and_is_the_one_loaded() {
        let mut conn = Connection::open_in_memory().unwrap();
        db::migrate(&mut conn).unwrap();
        let first =
            r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#;
        let second =
            r#"{"year": 2027, "days": [{"name": "春节", "date": "2027-02-06", "isOffDay": true}]}"#;
        for text in [first, second] {
            let arrangement = Arrangement::parse("2027.json", text).unwrap();
            store(&conn, &stamp(), &arrangement, "2027.json", "00").unwrap();
        }
        let loaded = imported(&conn).unwrap();
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded[0].days[0].name, "春节");
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM calendar_years", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 2);
        let mut calendar = Calendar::builtin();
        calendar.set_official(loaded[0].clone());
        let rows = years(&conn, &calendar, &[2027, 2028], Lang::En).unwrap();
        let standing: Vec<(i32, Origin)> = rows.iter().map(|r| (r.year, r.origin)).collect();
        assert_eq!(
            standing,
            [
                (2025, Origin::Builtin),
                (2026, Origin::Builtin),
                (2027, Origin::Imported),
                (2028, Origin::Statutory)
            ]
        );
    }
}
