//! A year's official arrangement of days off and make-up working days (调休), as the State
//! Council's notice gives it, and the two files it is read from: baton's TOML (the format of
//! `assets/holidays/cn-YYYY.toml`) and the open JSON of the holiday-cn project
//! (`{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`).
//! A file that breaks a rule is refused naming `file:line`.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::bad_input;
use crate::error::Failure;
use crate::i18n::Text;

/// The years an arrangement may be given for.
const YEARS: Range<i32> = 1..10000;

/// One year's official arrangement.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrangement {
    pub year: i32,
    /// The notice (or the file) the dates come from.
    pub source: String,
    /// Every listed day, in date order.
    pub days: Vec<Day>,
}

/// A listed day: off (a holiday, with the weekend days inside it) or a make-up working day.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    /// The holiday it belongs to, as the notice names it (`春节`).
    pub name: String,
    pub off: bool,
}

impl Day {
    /// Whether the day is a working day.
    pub fn is_working(&self) -> bool {
        !self.off
    }
}

/// A listed day and the line of the file it was read from.
struct Listed {
    day: Day,
    line: usize,
}

impl Arrangement {
    /// Reads a TOML or holiday-cn JSON file (told apart by the first character: `{` is
    /// JSON); `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Arrangement, Failure> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') {
            Arrangement::from_json(file, text)
        } else {
            Arrangement::from_toml(file, text)
        }
    }

    /// baton's TOML format (see `assets/holidays/cn-2026.toml`).
    pub fn from_toml(file: &str, text: &str) -> Result<Arrangement, Failure> {
        let parsed: TomlFile = toml::from_str(text).map_err(|err| {
            let line = err.span().map_or(1, |span| line_at(text, span.start));
            let message = err.message().to_string();
            bad_input!("{file}:{line}: {message}", "{file}:{line}:{message}").hint(toml_hint())
        })?;
        let year_line = line_at(text, parsed.year.span().start);
        let mut listed = Vec::new();
        for holiday in &parsed.holiday {
            let (from, to) = (holiday.from.get_ref().0, holiday.to.get_ref().0);
            let line = line_at(text, holiday.from.span().start);
            if to < from {
                let name = &holiday.name;
                return Err(bad_input!(
                    "{file}:{line}: holiday {name} ends on {to}, before it starts on {from}",
                    "{file}:{line}：假期 {name} 的结束日 {to} 早于开始日 {from}"
                )
                .hint(toml_hint()));
            }
            for date in from.iter_days().take_while(|d| *d <= to) {
                listed.push(Listed {
                    day: Day {
                        date,
                        name: holiday.name.clone(),
                        off: true,
                    },
                    line,
                });
            }
            for workday in &holiday.workdays {
                listed.push(Listed {
                    day: Day {
                        date: workday.get_ref().0,
                        name: holiday.name.clone(),
                        off: false,
                    },
                    line: line_at(text, workday.span().start),
                });
            }
        }
        let source = parsed.source.unwrap_or_else(|| file.to_string());
        Arrangement::checked(file, (*parsed.year.get_ref(), year_line), source, listed)
    }

    /// The holiday-cn JSON format.
    pub fn from_json(file: &str, text: &str) -> Result<Arrangement, Failure> {
        let parsed: JsonFile = serde_json::from_str(text).map_err(|err| {
            let line = err.line().max(1);
            bad_input!("{file}:{line}: {err}", "{file}:{line}:{err}").hint(json_hint())
        })?;
        let year_line = key_lines(text, "year").first().copied().unwrap_or(1);
        let date_lines = key_lines(text, "date");
        let mut listed = Vec::new();
        for (n, day) in parsed.days.into_iter().enumerate() {
            let line = date_lines.get(n).copied().unwrap_or(year_line);
            let date = NaiveDate::parse_from_str(&day.date, "%Y-%m-%d")
                .ok()
                .filter(|_| day.date.len() == 10)
                .ok_or_else(|| {
                    let value = &day.date;
                    bad_input!(
                        "{file}:{line}: {value:?} is not a date like 2027-01-01",
                        "{file}:{line}：{value:?} 不是形如 2027-01-01 的日期"
                    )
                    .hint(json_hint())
                })?;
            listed.push(Listed {
                day: Day {
                    date,
                    name: day.name,
                    off: day.is_off_day,
                },
                line,
            });
        }
        let source = match parsed.papers.as_slice() {
            [] => file.to_string(),
            papers => papers.join(" "),
        };
        Arrangement::checked(file, (parsed.year, year_line), source, listed)
    }

    /// The arrangement of `listed`, once every day is checked: in the year (or in December
    /// of the year before, which a notice may move, as holiday-cn's files do), listed once,
    /// a make-up working day on a weekend; and at least one day.
    fn checked(
        file: &str,
        (year, year_line): (i32, usize),
        source: String,
        listed: Vec<Listed>,
    ) -> Result<Arrangement, Failure> {
        if !YEARS.contains(&year) {
            return Err(bad_input!(
                "{file}:{year_line}: year {year} is not between 1 and 9999",
                "{file}:{year_line}：年份 {year} 不在 1 到 9999 之间"
            ));
        }
        if listed.is_empty() {
            return Err(bad_input!(
                "{file}:{year_line}: the arrangement of {year} lists no day",
                "{file}:{year_line}：{year} 年的安排未列出任何日期"
            ));
        }
        let mut days: BTreeMap<NaiveDate, Day> = BTreeMap::new();
        for Listed { day, line } in listed {
            let date = day.date;
            let in_year = date.year() == year || (date.year() == year - 1 && date.month() == 12);
            if !in_year {
                return Err(bad_input!(
                    "{file}:{line}: {date} is not in {year}",
                    "{file}:{line}：{date} 不在 {year} 年内"
                )
                .hint(Text::new(
                    "one file gives one year's arrangement (and may move days of the December before)",
                    "一个文件只含一年的安排（可含上一年 12 月被调整的日期）",
                )));
            }
            let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            if day.is_working() && !weekend {
                return Err(bad_input!(
                    "{file}:{line}: make-up working day {date} is a weekday already",
                    "{file}:{line}：调休上班日 {date} 本就是工作日"
                )
                .hint(Text::new(
                    "a make-up working day (isOffDay false, or `workdays`) is a Saturday or Sunday",
                    "调休上班日（isOffDay 为 false，或 `workdays`）应是周六或周日",
                )));
            }
            if days.contains_key(&date) {
                return Err(bad_input!(
                    "{file}:{line}: {date} is listed twice",
                    "{file}:{line}：{date} 重复列出"
                )
                .hint(Text::new(
                    "list each day once, as a day off or as a make-up working day",
                    "每个日期只列一次：或放假，或调休上班",
                )));
            }
            days.insert(date, day);
        }
        Ok(Arrangement {
            year,
            source,
            days: days.into_values().collect(),
        })
    }
}

fn toml_hint() -> Text {
    Text::new(
        "the TOML format: year = 2027, source = \"…\", then [[holiday]] tables with name, from, to and workdays (see `baton calendar --help`)",
        "TOML 格式：year = 2027、source = \"…\"，再接 [[holiday]] 表，含 name、from、to 和 workdays（见 `baton calendar --help`）",
    )
}

fn json_hint() -> Text {
    Text::new(
        "the holiday-cn format: {\"year\": 2027, \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}]}",
        "holiday-cn 格式：{\"year\": 2027, \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}]}",
    )
}

/// The 1-based line of the byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The lines where the JSON key `"key":` occurs, in order.
fn key_lines(text: &str, key: &str) -> Vec<usize> {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted)
        .filter(|(at, _)| text[at + quoted.len()..].trim_start().starts_with(':'))
        .map(|(at, _)| line_at(text, at))
        .collect()
}

/// A baton TOML calendar file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    year: Spanned<i32>,
    source: Option<String>,
    #[serde(default)]
    holiday: Vec<TomlHoliday>,
}

/// One holiday period of a notice, with its make-up working days.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlHoliday {
    name: String,
    from: Spanned<TomlDate>,
    to: Spanned<TomlDate>,
    #[serde(default)]
    workdays: Vec<Spanned<TomlDate>>,
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

/// A holiday-cn JSON file (its other keys, such as `$schema`, are ignored).
#[derive(Debug, Deserialize)]
struct JsonFile {
    year: i32,
    #[serde(default)]
    papers: Vec<String>,
    days: Vec<JsonDay>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDay {
    name: String,
    date: String,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

#[cfg(test)]
mod tests {
    use super::super::testing::date;
    use super::*;
    use proptest::prelude::*;

    const JSON_2027: &str = r#"{
  "year": 2027,
  "papers": ["https://example.org/notice-2027"],
  "days": [
    { "name": "元旦", "date": "2027-01-01", "isOffDay": true },
    { "name": "春节", "date": "2027-02-14", "isOffDay": false },
    { "name": "春节", "date": "2027-02-05", "isOffDay": true }
  ]
}"#;

    fn error(file: &str, text: &str) -> String {
        Arrangement::parse(file, text).unwrap_err().message.en
    }

    #[test]
    fn holiday_cn_json_is_read_in_date_order() {
        let arrangement = Arrangement::parse("2027.json", JSON_2027).unwrap();
        assert_eq!(arrangement.year, 2027);
        assert_eq!(arrangement.source, "https://example.org/notice-2027");
        let dates: Vec<(NaiveDate, bool)> =
            arrangement.days.iter().map(|d| (d.date, d.off)).collect();
        assert_eq!(
            dates,
            [
                (date("2027-01-01"), true),
                (date("2027-02-05"), true),
                (date("2027-02-14"), false)
            ]
        );
    }

    #[test]
    fn bad_json_names_the_line() {
        let moved = JSON_2027.replace("2027-02-05", "2028-02-05");
        assert_eq!(
            error("a.json", &moved),
            "a.json:7: 2028-02-05 is not in 2027"
        );
        let weekday = JSON_2027.replace("2027-02-14", "2027-02-15");
        assert_eq!(
            error("a.json", &weekday),
            "a.json:6: make-up working day 2027-02-15 is a weekday already"
        );
        let twice = JSON_2027.replace("2027-02-05", "2027-01-01");
        assert_eq!(
            error("a.json", &twice),
            "a.json:7: 2027-01-01 is listed twice"
        );
        let not_a_date = JSON_2027.replace("2027-02-05", "2027-2-5");
        assert!(error("a.json", &not_a_date).starts_with("a.json:7: \"2027-2-5\""));
        let broken = JSON_2027.replace("\"isOffDay\": false", "\"isOffDay\": \"no\"");
        assert!(error("a.json", &broken).starts_with("a.json:6: "));
        assert_eq!(
            error("a.json", r#"{"year": 2027, "days": []}"#),
            "a.json:1: the arrangement of 2027 lists no day"
        );
    }

    #[test]
    fn december_of_the_year_before_may_be_moved() {
        let text =
            r#"{"year": 2027, "days": [{"name": "元旦", "date": "2026-12-31", "isOffDay": true}]}"#;
        assert_eq!(Arrangement::parse("a.json", text).unwrap().days.len(), 1);
    }

    #[test]
    fn toml_is_read_and_bad_toml_names_the_line() {
        let text = "year = 2027\nsource = \"notice\"\n\n[[holiday]]\nname = \"元旦\"\nfrom = 2027-01-01\nto = 2027-01-03\nworkdays = [2027-01-09]\n";
        let arrangement = Arrangement::parse("cn-2027.toml", text).unwrap();
        assert_eq!(arrangement.days.len(), 4);
        assert_eq!(arrangement.source, "notice");
        let backwards = text.replace("to = 2027-01-03", "to = 2026-12-03");
        assert_eq!(
            error("c.toml", &backwards),
            "c.toml:6: holiday 元旦 ends on 2026-12-03, before it starts on 2027-01-01"
        );
        let weekday = text.replace("2027-01-09", "2027-01-08");
        assert_eq!(
            error("c.toml", &weekday),
            "c.toml:8: make-up working day 2027-01-08 is a weekday already"
        );
        let time = text.replace("from = 2027-01-01", "from = 2027-01-01T00:00:00");
        assert!(error("c.toml", &time).starts_with("c.toml:6: "));
        let unknown = text.replace("name =", "title =");
        assert!(error("c.toml", &unknown).starts_with("c.toml:5: "));
        assert!(error(
            "c.toml",
            "year = 0\n[[holiday]]\nname = \"x\"\nfrom = 2027-01-01\nto = 2027-01-01\n"
        )
        .starts_with("c.toml:1: year 0"));
    }

    proptest! {
        #[test]
        fn no_input_panics(text in "\\PC{0,200}") {
            let _ = Arrangement::parse("p", &text);
            let _ = Arrangement::parse("p", &format!("{{{text}"));
        }
    }
}
