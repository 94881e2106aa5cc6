//! The TOML config file: every key optional, unknown keys refused.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Failure;
use crate::i18n::Lang;
use crate::time::SlaDuration;

/// The commented default that `baton config init` writes (also `examples/config.toml`).
pub const DEFAULT_FILE: &str = include_str!("../examples/config.toml");

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Language of built-in texts and table headers: `en` or `zh`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    /// Who is acting, for the audit log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The company context (USCC) when the database holds several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The database file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db: Option<PathBuf>,
    pub sla: Sla,
    pub notify: Notify,
    pub handover: Handover,
    pub credit: Credit,
    pub calendar: Calendar,
    pub evidence: Evidence,
}

/// Service-level clocks of complaints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sla {
    pub accept: SlaDuration,
    pub feedback: SlaDuration,
    pub resolve: SlaDuration,
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            accept: SlaDuration::Hours(24),
            feedback: SlaDuration::Hours(48),
            resolve: SlaDuration::WorkingDays(45),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Notify {
    /// Days before the departure by which each customer must have been told.
    pub lead_days: u32,
    /// `notify list --due` shows notices whose send-by date falls within this many days.
    pub due_window_days: u32,
    /// `notify roster` lists contact changes effective this many days back (and all planned).
    pub roster_days: u32,
}

impl Default for Notify {
    fn default() -> Self {
        Notify {
            lead_days: 3,
            due_window_days: 7,
            roster_days: 30,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Handover {
    /// Customer items fall due this many days before the leaving date.
    pub lead_days: u32,
    /// Document items every handover gets; absent = the built-in list in the current language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<String>>,
}

impl Default for Handover {
    fn default() -> Self {
        Handover {
            lead_days: 3,
            documents: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Credit {
    /// Score of a subject with no active record.
    pub base: i64,
    /// Active major violations that put a subject on the dishonest list.
    pub dishonest_major_count: u32,
    /// Years after an event's date before it may be repaired.
    pub repair_after_years: u32,
    /// A score below this puts a subject on the watch list.
    pub watch_below: i64,
}

impl Default for Credit {
    fn default() -> Self {
        Credit {
            base: 100,
            dishonest_major_count: 2,
            repair_after_years: 1,
            watch_below: 60,
        }
    }
}

/// Additions to the built-in working-day calendar (mainland China).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Calendar {
    /// Extra days off, `YYYY-MM-DD`.
    pub holidays: Vec<NaiveDate>,
    /// Extra working days (make-up days, 调休), `YYYY-MM-DD`.
    pub workdays: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Evidence {
    /// Largest evidence file kept in the database.
    pub max_bytes: u64,
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            max_bytes: 50 * 1024 * 1024,
        }
    }
}

impl Config {
    /// Reads `path`; a missing file is the defaults unless `required` (named by the user).
    pub fn load(path: &Path, required: bool) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default())
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read the config {}", path.display()))
            }
        };
        Config::parse(&text).map_err(|e| {
            let message = format!("config {}: {}", path.display(), e.message);
            Failure { message, ..e }.into()
        })
    }

    pub fn parse(text: &str) -> Result<Config, Failure> {
        let config: Config = toml::from_str(text).map_err(|e| {
            Failure::bad_input(e.to_string().trim_end().to_string())
                .hint("`baton config init` writes a commented default to start from")
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Range checks serde cannot express.
    fn validate(&self) -> Result<(), Failure> {
        let limits: [(&str, i64, i64, i64); 7] = [
            ("notify.lead_days", self.notify.lead_days.into(), 0, 365),
            (
                "notify.due_window_days",
                self.notify.due_window_days.into(),
                0,
                365,
            ),
            (
                "notify.roster_days",
                self.notify.roster_days.into(),
                0,
                3650,
            ),
            ("handover.lead_days", self.handover.lead_days.into(), 0, 365),
            (
                "credit.dishonest_major_count",
                self.credit.dishonest_major_count.into(),
                1,
                100,
            ),
            (
                "credit.repair_after_years",
                self.credit.repair_after_years.into(),
                0,
                100,
            ),
            ("credit.base", self.credit.base, 0, 10_000),
        ];
        for (key, value, min, max) in limits {
            if !(min..=max).contains(&value) {
                return Err(Failure::bad_input(format!(
                    "key `{key}`: value {value} is out of range {min}..={max}"
                )));
            }
        }
        if self.evidence.max_bytes == 0 {
            return Err(Failure::bad_input(
                "key `evidence.max_bytes`: value 0 must be positive",
            ));
        }
        if let Some(actor) = self.actor.as_deref().filter(|a| a.trim().is_empty()) {
            return Err(Failure::bad_input(format!(
                "key `actor`: value {actor:?} is empty"
            )));
        }
        Ok(())
    }

    /// The effective config as TOML.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).context("cannot write the config as TOML")
    }
}

/// Default locations (XDG on Linux).
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "baton")
}

pub fn default_config_path() -> PathBuf {
    project_dirs()
        .map(|d| d.config_dir().join("config.toml"))
        .unwrap_or_else(|| PathBuf::from("baton.toml"))
}

pub fn default_db_path() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().join("baton.db"))
        .unwrap_or_else(|| PathBuf::from("baton.db"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commented_default_file_is_the_default() {
        assert_eq!(Config::parse(DEFAULT_FILE).unwrap(), Config::default());
    }

    #[test]
    fn empty_file_is_all_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn keys_are_read() {
        let config = Config::parse(
            "lang = \"zh\"\n[sla]\naccept = \"7wd\"\n[calendar]\nholidays = [\"2027-01-01\"]\n",
        )
        .unwrap();
        assert_eq!(config.lang, Some(Lang::Zh));
        assert_eq!(config.sla.accept, SlaDuration::WorkingDays(7));
        assert_eq!(config.sla.feedback, SlaDuration::Hours(48));
        assert_eq!(config.calendar.holidays.len(), 1);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key_and_value() {
        let err = Config::parse("[notify]\nlead_dayz = 3\n").unwrap_err();
        assert!(err.message.contains("lead_dayz"), "{}", err.message);
        let err = Config::parse("[sla]\naccept = \"3w\"\n").unwrap_err();
        assert!(err.message.contains("3w"), "{}", err.message);
        let err = Config::parse("[notify]\nlead_days = 999\n").unwrap_err();
        assert!(err.message.contains("notify.lead_days") && err.message.contains("999"));
    }

    #[test]
    fn effective_config_round_trips() {
        let config = Config {
            lang: Some(Lang::Zh),
            actor: Some("clerk".into()),
            ..Config::default()
        };
        assert_eq!(Config::parse(&config.to_toml().unwrap()).unwrap(), config);
    }
}
