//! The statutory holidays of a year (《全国年节及纪念日放假办法》 art. 2), for the years the
//! State Council's arrangement is not known yet. The lunar dates and 清明 come from the
//! `tyme4rs` calendar (寿星天文历), not from arithmetic of our own.
//!
//! Art. 2 as amended on 2024-11-10 (in force from 2025): 元旦 1 day (1-1), 春节 4 days (除夕
//! to 正月初三), 清明 1, 劳动节 2 (5-1, 5-2), 端午 1, 中秋 1, 国庆 3 (10-1 to 10-3): 13 days.
//! The 2013 text (2014 to 2024): 春节 3 days (初一 to 初三) and 劳动节 1 day: 11 days.
//! Art. 6 (a holiday on a weekend is given back on a working day) and the make-up working
//! days of art. 7 are placed by each year's notice; they are not guessed here.

use chrono::{Days, NaiveDate};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::SolarTerm;

use crate::i18n::Text;

/// The holidays of art. 2, with their names in the notices and in English.
const FESTIVALS: [(&str, &str); 7] = [
    ("元旦", "New Year's Day"),
    ("春节", "Spring Festival"),
    ("清明节", "Qingming Festival"),
    ("劳动节", "Labour Day"),
    ("端午节", "Dragon Boat Festival"),
    ("中秋节", "Mid-Autumn Festival"),
    ("国庆节", "National Day"),
];

/// The English name of a holiday named as in the notices (`春节`), when it is one of art. 2.
pub fn english_name(name: &str) -> Option<&'static str> {
    FESTIVALS
        .iter()
        .find(|(zh, _)| *zh == name || zh.strip_suffix('节') == Some(name))
        .map(|(_, en)| *en)
}

/// The text of the rules a provisional year is computed by.
pub fn rules(year: i32) -> Text {
    if year >= 2025 {
        Text::new(
            "statutory holidays of 《全国年节及纪念日放假办法》 art. 2 (2024 text), no make-up working days",
            "《全国年节及纪念日放假办法》第二条法定节假日（2024 年修订），无调休",
        )
    } else {
        Text::new(
            "statutory holidays of 《全国年节及纪念日放假办法》 art. 2 (2013 text), no make-up working days",
            "《全国年节及纪念日放假办法》第二条法定节假日（2013 年修订），无调休",
        )
    }
}

/// The statutory days off of `year`, in date order, each with its holiday's name (`春节`);
/// a day two holidays share (中秋 on 国庆's 10-03 in 2028) is listed once, under 中秋. Empty
/// outside the years 1 to 9999.
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    if !(1..=9999).contains(&year) {
        return Vec::new();
    }
    let solar = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let amended = year >= 2025;
    let new_year = lunar(year, 1, 1);
    let spring: Vec<NaiveDate> = match new_year {
        Some(first) if amended => (0..4)
            .filter_map(|n| {
                first
                    .checked_sub_days(Days::new(1))?
                    .checked_add_days(Days::new(n))
            })
            .collect(),
        Some(first) => (0..3)
            .filter_map(|n| first.checked_add_days(Days::new(n)))
            .collect(),
        None => Vec::new(),
    };
    let labour = if amended { 2 } else { 1 };
    let mut days: Vec<(NaiveDate, &'static str)> = Vec::new();
    let mut add = |date: Option<NaiveDate>, name: &'static str| {
        if let Some(date) = date.filter(|d| !days.iter().any(|(day, _)| day == d)) {
            days.push((date, name));
        }
    };
    add(solar(1, 1), FESTIVALS[0].0);
    for day in spring {
        add(Some(day), FESTIVALS[1].0);
    }
    add(qingming(year), FESTIVALS[2].0);
    for day in 1..=labour {
        add(solar(5, day), FESTIVALS[3].0);
    }
    add(lunar(year, 5, 5), FESTIVALS[4].0);
    add(lunar(year, 8, 15), FESTIVALS[5].0);
    for day in 1..=3 {
        add(solar(10, day), FESTIVALS[6].0);
    }
    days.sort();
    days
}

/// The solar date of a day of the lunar calendar (a month of the lunar year `year`, not a
/// leap month).
fn lunar(year: i32, month: isize, day: usize) -> Option<NaiveDate> {
    let solar = LunarDay::new(year as isize, month, day)
        .ok()?
        .get_solar_day();
    date_of(solar.get_year(), solar.get_month(), solar.get_day())
}

/// The day of the solar term 清明 in `year`.
fn qingming(year: i32) -> Option<NaiveDate> {
    let day = SolarTerm::new(year as isize, "清明").ok()?.get_solar_day();
    date_of(day.get_year(), day.get_month(), day.get_day())
}

fn date_of(year: isize, month: usize, day: usize) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        year.try_into().ok()?,
        month.try_into().ok()?,
        day.try_into().ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::date;
    use super::*;

    fn listed(year: i32) -> Vec<(String, &'static str)> {
        holidays(year)
            .into_iter()
            .map(|(d, n)| (d.to_string(), n))
            .collect()
    }

    #[test]
    fn the_statutory_days_of_2027() {
        // 春节 2027-02-06 (除夕 02-05), 清明 04-05, 端午 06-09, 中秋 09-15.
        let expected = [
            ("2027-01-01", "元旦"),
            ("2027-02-05", "春节"),
            ("2027-02-06", "春节"),
            ("2027-02-07", "春节"),
            ("2027-02-08", "春节"),
            ("2027-04-05", "清明节"),
            ("2027-05-01", "劳动节"),
            ("2027-05-02", "劳动节"),
            ("2027-06-09", "端午节"),
            ("2027-09-15", "中秋节"),
            ("2027-10-01", "国庆节"),
            ("2027-10-02", "国庆节"),
            ("2027-10-03", "国庆节"),
        ];
        let expected: Vec<(String, &str)> =
            expected.iter().map(|(d, n)| (d.to_string(), *n)).collect();
        assert_eq!(listed(2027), expected);
    }

    #[test]
    fn the_statutory_days_of_2028_share_a_day() {
        // 春节 2028-01-26 (除夕 01-25), 清明 04-04, 端午 05-28, 中秋 10-03, 国庆's third day, listed once.
        let days = holidays(2028);
        assert_eq!(days.len(), 12);
        let spring: Vec<NaiveDate> = days
            .iter()
            .filter(|(_, n)| *n == "春节")
            .map(|(d, _)| *d)
            .collect();
        assert_eq!(
            spring,
            [
                date("2028-01-25"),
                date("2028-01-26"),
                date("2028-01-27"),
                date("2028-01-28")
            ]
        );
        for (day, name) in [
            ("2028-04-04", "清明节"),
            ("2028-05-28", "端午节"),
            ("2028-10-03", "中秋节"),
        ] {
            assert!(days.contains(&(date(day), name)), "{day} {name}");
        }
    }

    #[test]
    fn the_2013_text_before_2025() {
        // 2024: 春节 02-10 to 02-12 (初一 to 初三), 清明 04-04, 劳动节 05-01 alone.
        let days = holidays(2024);
        assert_eq!(days.len(), 11);
        assert!(days.contains(&(date("2024-02-10"), "春节")));
        assert!(!days.contains(&(date("2024-02-09"), "春节")));
        assert!(days.contains(&(date("2024-04-04"), "清明节")));
        assert!(!days.iter().any(|(d, _)| *d == date("2024-05-02")));
    }

    #[test]
    fn the_official_years_agree_with_the_lunar_calendar() {
        // The notices of 2025 and 2026 put 春节 on 01-28..02-04 and 02-15..02-23; 清明 04-04
        // and 04-05; 端午 05-31 and 06-19; 中秋 10-06 and 09-25.
        let y2025 = holidays(2025);
        for day in ["2025-01-28", "2025-04-04", "2025-05-31", "2025-10-06"] {
            assert!(y2025.iter().any(|(d, _)| *d == date(day)), "{day}");
        }
        let y2026 = holidays(2026);
        for day in ["2026-02-16", "2026-04-05", "2026-06-19", "2026-09-25"] {
            assert!(y2026.iter().any(|(d, _)| *d == date(day)), "{day}");
        }
        assert_eq!(y2025.len(), 13);
    }

    #[test]
    fn every_year_has_its_days_and_none_panics() {
        for year in [1, 2, 1000, 1900, 2100, 9998, 9999] {
            let days = holidays(year);
            assert!(days.len() >= 11, "{year}: {days:?}");
            assert!(days.iter().all(|(d, _)| chrono::Datelike::year(d) == year));
        }
        assert!(holidays(0).is_empty());
        assert!(holidays(10000).is_empty());
    }

    #[test]
    fn english_names() {
        assert_eq!(english_name("春节"), Some("Spring Festival"));
        assert_eq!(english_name("清明"), Some("Qingming Festival"));
        assert_eq!(english_name("元旦"), Some("New Year's Day"));
        assert_eq!(english_name("抗战胜利纪念日"), None);
    }
}
