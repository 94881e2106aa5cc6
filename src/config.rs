//! The TOML config file: every key optional, unknown keys refused.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::time::SlaDuration;
use crate::{bad_input, text};

/// The commented default that `baton config init` writes (also `examples/config.toml`).
pub const DEFAULT_FILE: &str = include_str!("../examples/config.toml");

/// The whole config file; a missing key takes its default.
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

/// Service-level clocks of complaints. A `preset` gives the durations it names; a duration
/// written as its own key wins over the preset's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "SlaKeys")]
pub struct Sla {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<SlaPreset>,
    pub accept: SlaDuration,
    pub feedback: SlaDuration,
    pub resolve: SlaDuration,
}

impl Default for Sla {
    fn default() -> Self {
        Sla::from(SlaKeys::default())
    }
}

impl Sla {
    /// The clocks of `preset`, no key overriding them.
    pub fn of_preset(preset: SlaPreset) -> Sla {
        Sla::from(SlaKeys {
            preset: Some(preset),
            ..SlaKeys::default()
        })
    }

    /// Whether the resolve clock starts at acceptance (the rules, art. 21(5)) rather than at
    /// receipt (the company's own clocks).
    pub fn resolve_from_acceptance(&self) -> bool {
        self.preset == Some(SlaPreset::Samr)
    }
}

/// Named sets of complaint clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlaPreset {
    /// A company's own green channel: accept within 24 hours, feedback within 48 hours,
    /// resolve within 45 working days of receipt (`seed`, its first name, is still read).
    #[serde(alias = "seed")]
    Company,
    /// The market-regulation complaint rules (《市场监督管理投诉举报处理暂行办法》): accept within
    /// 7 working days of receipt (art. 14), resolve within 45 working days of acceptance
    /// (art. 21(5)); feedback as configured.
    Samr,
}

/// `[sla]` as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct SlaKeys {
    preset: Option<SlaPreset>,
    accept: Option<SlaDuration>,
    feedback: Option<SlaDuration>,
    resolve: Option<SlaDuration>,
}

impl From<SlaKeys> for Sla {
    fn from(keys: SlaKeys) -> Sla {
        let (accept, resolve) = match keys.preset {
            Some(SlaPreset::Samr) => (SlaDuration::WorkingDays(7), SlaDuration::WorkingDays(45)),
            Some(SlaPreset::Company) | None => {
                (SlaDuration::Hours(24), SlaDuration::WorkingDays(45))
            }
        };
        Sla {
            preset: keys.preset,
            accept: keys.accept.unwrap_or(accept),
            feedback: keys.feedback.unwrap_or(SlaDuration::Hours(48)),
            resolve: keys.resolve.unwrap_or(resolve),
        }
    }
}

/// `[notify]`: when customers must be told of a departure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Notify {
    /// Days before the departure by which each customer must have been told.
    pub lead_days: u32,
    /// `notify list --due` shows notices whose send-by date falls within this many days.
    pub due_window_days: u32,
    /// `notify roster` lists contact changes effective this many days back (and all planned).
    pub roster_days: u32,
    /// The company's hotline printed in every letter, where a customer checks who speaks for
    /// the company; absent, the letters carry no hotline line.
    pub hotline: Option<String>,
}

impl Default for Notify {
    fn default() -> Self {
        Notify {
            lead_days: 3,
            due_window_days: 7,
            roster_days: 30,
            hotline: None,
        }
    }
}

/// `[handover]`: what a new handover lists and when its items fall due.
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

/// `[credit]`: scores, bands, lists and repair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Credit {
    /// Score of a subject with no active record.
    pub base: i64,
    /// Active major internal records that put a subject on the internal attention list
    /// (read under its old name `dishonest_major_count` too).
    #[serde(alias = "dishonest_major_count")]
    pub attention_major_count: u32,
    /// Years after an event's date before it may be repaired.
    pub repair_after_years: u32,
    /// A score below this puts a subject on the watch list.
    pub watch_below: i64,
    /// A catalogue file whose entries replace built-in ones of the same code or add to them;
    /// a relative path is read from the config file's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<PathBuf>,
    /// Score bands from the top: a score gets the first band whose `min` it reaches.
    pub bands: Vec<Band>,
    /// The band of a score below every `min`.
    pub lowest_band: String,
}

/// A score band: `{ band = "A", min = 90 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub band: String,
    pub min: i64,
}

impl Default for Credit {
    fn default() -> Self {
        let band = |band: &str, min| Band {
            band: band.into(),
            min,
        };
        Credit {
            base: 100,
            attention_major_count: 2,
            repair_after_years: 1,
            watch_below: 60,
            catalog: None,
            bands: vec![band("A", 90), band("B", 75), band("C", 60)],
            lowest_band: "D".into(),
        }
    }
}

impl Credit {
    /// The band of a score.
    pub fn band(&self, score: i64) -> &str {
        self.bands
            .iter()
            .find(|b| score >= b.min)
            .map_or(self.lowest_band.as_str(), |b| b.band.as_str())
    }

    /// Bands named, unique, with falling minimums.
    fn validate_bands(&self) -> Result<(), Failure> {
        let mut names = vec![self.lowest_band.trim()];
        for (i, band) in self.bands.iter().enumerate() {
            if let Some(above) = i.checked_sub(1).map(|j| &self.bands[j]) {
                if band.min >= above.min {
                    let (name, min) = (&band.band, band.min);
                    let (above_name, above_min) = (&above.band, above.min);
                    return Err(invalid(text!(
                        "key `credit.bands`: band {name:?} (min {min}) must have a lower min than band {above_name:?} (min {above_min})",
                        "配置项 `credit.bands`：等级 {name:?}（最低 {min}）的最低分须低于等级 {above_name:?}（最低 {above_min}）"
                    )));
                }
            }
            names.push(band.band.trim());
        }
        if names.iter().any(|n| n.is_empty()) {
            return Err(invalid(text!(
                "key `credit.bands`: every band and `credit.lowest_band` needs a name",
                "配置项 `credit.bands`：每个等级和 `credit.lowest_band` 都需要名称"
            )));
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != names.len() {
            let (got, got_zh) = (names.join(", "), names.join("、"));
            return Err(invalid(text!(
                "key `credit.bands`: band names must differ, got {got}",
                "配置项 `credit.bands`：等级名称不能重复，现为 {got_zh}"
            )));
        }
        Ok(())
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

/// `[evidence]`: files kept inside the database.
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

/// A config value that breaks a rule, with the hint that sends the user to every key, its
/// default and its range.
fn invalid(message: Text) -> Failure {
    Failure::bad_input(message).hint(Text::new(
        "every key, its default and its range: examples/config.toml or `baton config init`",
        "各配置项及其默认值与范围见 examples/config.toml 或 `baton config init`",
    ))
}

impl Config {
    /// Reads `path`; a missing file is the defaults unless `required` (named by the user).
    pub fn load(path: &Path, required: bool) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default())
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                let path = path.display();
                return Err(bad_input!(
                    "the config {path} is not UTF-8 text",
                    "配置文件 {path} 不是 UTF-8 文本"
                )
                .hint(text!(
                    "save it as UTF-8 (TOML files are UTF-8)",
                    "请以 UTF-8 编码保存（TOML 文件须为 UTF-8）"
                ))
                .into());
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read the config {}", path.display()))
            }
        };
        Config::parse(&text).map_err(|e| {
            let path = path.display();
            e.within(text!("config {path}", "配置文件 {path}")).into()
        })
    }

    /// Reads the text of a config file: TOML with known keys only, then the range checks.
    pub fn parse(text: &str) -> Result<Config, Failure> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let detail = e.to_string();
            let detail = detail.trim_end();
            bad_input!("{detail}", "内容有误：{detail}").hint(Text::new(
                "`baton config init` writes a commented default to start from",
                "`baton config init` 会写出一份带注释的默认配置作为起点",
            ))
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Range checks serde cannot express.
    fn validate(&self) -> Result<(), Failure> {
        let limits: [(&str, i64, i64, i64); 8] = [
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
                "credit.attention_major_count",
                self.credit.attention_major_count.into(),
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
            (
                "credit.watch_below",
                self.credit.watch_below,
                -10_000,
                10_000,
            ),
        ];
        for (key, value, min, max) in limits {
            if !(min..=max).contains(&value) {
                return Err(invalid(text!(
                    "key `{key}`: value {value} is out of range {min}..={max}",
                    "配置项 `{key}`：值 {value} 超出范围 {min}..={max}"
                )));
            }
        }
        self.credit.validate_bands()?;
        if self.evidence.max_bytes == 0 {
            return Err(invalid(text!(
                "key `evidence.max_bytes`: value 0 must be positive",
                "配置项 `evidence.max_bytes`：值 0 无效，须为正数"
            )));
        }
        if let Some(actor) = self.actor.as_deref().filter(|a| a.trim().is_empty()) {
            return Err(invalid(text!(
                "key `actor`: value {actor:?} is empty",
                "配置项 `actor`：值 {actor:?} 为空"
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

/// `$XDG_CONFIG_HOME/baton/config.toml`, or `./baton.toml` without a home directory.
pub fn default_config_path() -> PathBuf {
    project_dirs()
        .map(|d| d.config_dir().join("config.toml"))
        .unwrap_or_else(|| PathBuf::from("baton.toml"))
}

/// `$XDG_DATA_HOME/baton/baton.db`, or `./baton.db` without a home directory.
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
    fn sla_presets_give_their_durations_and_explicit_keys_win() {
        let seed = Config::parse("[sla]\npreset = \"seed\"\n").unwrap().sla;
        assert_eq!(
            (seed.accept, seed.feedback, seed.resolve),
            (
                SlaDuration::Hours(24),
                SlaDuration::Hours(48),
                SlaDuration::WorkingDays(45)
            )
        );
        let samr = Config::parse("[sla]\npreset = \"samr\"\nfeedback = \"3wd\"\n")
            .unwrap()
            .sla;
        assert_eq!(samr.preset, Some(SlaPreset::Samr));
        assert_eq!(
            (samr.accept, samr.feedback, samr.resolve),
            (
                SlaDuration::WorkingDays(7),
                SlaDuration::WorkingDays(3),
                SlaDuration::WorkingDays(45)
            )
        );
        let tuned = Config::parse("[sla]\npreset = \"samr\"\naccept = \"2wd\"\n")
            .unwrap()
            .sla;
        assert_eq!(tuned.accept, SlaDuration::WorkingDays(2));
        let err = Config::parse("[sla]\npreset = \"fast\"\n").unwrap_err();
        assert!(err.message.en.contains("fast"), "{}", err.message.en);
        let err = Config::parse("[sla]\nacept = \"1h\"\n").unwrap_err();
        assert!(err.message.en.contains("acept"), "{}", err.message.en);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key_and_value() {
        let err = Config::parse("[notify]\nlead_dayz = 3\n").unwrap_err();
        assert!(err.message.en.contains("lead_dayz"), "{}", err.message.en);
        let err = Config::parse("[sla]\naccept = \"3w\"\n").unwrap_err();
        assert!(err.message.en.contains("3w"), "{}", err.message.en);
        let err = Config::parse("[notify]\nlead_days = 999\n").unwrap_err();
        assert!(err.message.en.contains("notify.lead_days") && err.message.en.contains("999"));
    }

    #[test]
    fn credit_bands_are_configurable_and_checked() {
        let config = Config::parse(
            "[credit]\nbands = [{ band = \"AAA\", min = 95 }, { band = \"BBB\", min = 50 }]\nlowest_band = \"CCC\"\n",
        )
        .unwrap();
        assert_eq!(config.credit.band(95), "AAA");
        assert_eq!(config.credit.band(94), "BBB");
        assert_eq!(config.credit.band(49), "CCC");
        let defaults = Credit::default();
        let bands: Vec<&str> = [100, 90, 89, 75, 74, 60, 59, -20]
            .iter()
            .map(|&s| defaults.band(s))
            .collect();
        assert_eq!(bands, ["A", "A", "B", "B", "C", "C", "D", "D"]);
        let err = Config::parse(
            "[credit]\nbands = [{ band = \"A\", min = 50 }, { band = \"B\", min = 60 }]\n",
        )
        .unwrap_err();
        assert!(
            err.message.en.contains("credit.bands"),
            "{}",
            err.message.en
        );
        let err = Config::parse("[credit]\nlowest_band = \"A\"\n").unwrap_err();
        assert!(err.message.en.contains("must differ"), "{}", err.message.en);
    }

    #[test]
    fn effective_config_round_trips() {
        let config = Config {
            lang: Some(Lang::Zh),
            actor: Some("clerk".into()),
            sla: Config::parse("[sla]\npreset = \"samr\"\nfeedback = \"3wd\"\n")
                .unwrap()
                .sla,
            ..Config::default()
        };
        assert_eq!(Config::parse(&config.to_toml().unwrap()).unwrap(), config);
    }
}
