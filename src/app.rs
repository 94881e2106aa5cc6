//! The context a command runs in: settings resolved once (flag > env > config > default),
//! the open database, the clock and the output; and the one way a command writes,
//! [`Context::transact`].

use std::ops::Deref;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rusqlite::{Connection, Transaction};
use serde_json::json;

use crate::audit::{self, Stamp};
use crate::cli::Global;
use crate::config::{self, Config};
use crate::domain::calendar;
use crate::domain::company::{self, CompanyRef};
use crate::i18n::Lang;
use crate::output::Output;
use crate::time::{Calendar, Clock};
use crate::{db, tr};

/// The actor of the audit events when no flag, variable, config key or `$USER` names one.
const UNKNOWN_ACTOR: &str = "unknown";

/// Everything a command needs that is not the database.
pub struct Settings {
    pub config: Config,
    pub config_path: PathBuf,
    pub db_path: PathBuf,
    pub clock: Clock,
    pub calendar: Calendar,
    pub out: Output,
    pub actor: String,
    company: Option<String>,
}

impl Settings {
    /// Resolves every setting once, each from its flag, else the environment, else the
    /// config file, else the default.
    pub fn resolve(global: &Global) -> Result<Settings> {
        let (config_path, required) = match &global.config {
            Some(path) => (path.clone(), true),
            None => (config::default_config_path(), false),
        };
        let config = Config::load(&config_path, required)?;
        let lang = global
            .lang
            .or(config.lang)
            .or_else(Lang::from_env)
            .unwrap_or_default();
        let actor = global
            .actor
            .clone()
            .or_else(|| config.actor.clone())
            .or_else(|| std::env::var("USER").ok())
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| UNKNOWN_ACTOR.to_string());
        let db_path = global
            .db
            .clone()
            .or_else(|| config.db.clone())
            .unwrap_or_else(config::default_db_path);
        let calendar = Calendar::with_extra(&config.calendar.holidays, &config.calendar.workdays);
        let out = Output {
            format: global.format,
            lang,
            reveal: global.reveal,
            bom: global.bom,
            quiet: global.quiet,
            wide: global.wide,
            path: global.output.clone(),
        };
        out.check()?;
        Ok(Settings {
            company: global.company.clone().or_else(|| config.company.clone()),
            config_path,
            db_path,
            clock: Clock::from_env()?,
            calendar,
            out,
            actor,
            config,
        })
    }

    /// The config with every resolved setting written in, for `config show`.
    pub fn effective_config(&self) -> Config {
        Config {
            lang: Some(self.out.lang),
            actor: Some(self.actor.clone()),
            company: self.company.clone(),
            db: Some(self.db_path.clone()),
            ..self.config.clone()
        }
    }

    /// The language of messages and tables.
    pub fn lang(&self) -> Lang {
        self.out.lang
    }

    /// Who acts, and now: the stamp of an audit event.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            actor: self.actor.clone(),
            at: self.clock.now(),
        }
    }

    /// `--db PATH ` to put in a command line printed as a hint when the database in use is
    /// not the one a command without `--db` opens (the config's `db`, else the default
    /// path); empty when it is.
    pub fn db_unless_default(&self) -> String {
        let default = self
            .config
            .db
            .clone()
            .unwrap_or_else(config::default_db_path);
        if self.db_path == default {
            String::new()
        } else {
            format!("--db {} ", shell_word(&self.db_path))
        }
    }

    /// Warns once for each year a computation counted on its provisional arrangement.
    pub fn warn_provisional_years(&self) {
        for year in self.calendar.provisional_years_used() {
            self.out.warn(&tr!(
                self.lang(),
                "{year} has no official holiday arrangement yet: deadlines in it are provisional (statutory holidays only, no make-up working days); once the State Council publishes it: baton calendar import FILE",
                "{year} 年尚无官方放假安排：其中的时限为暂定（仅按法定节假日，不含调休）；国务院公布后请运行：baton calendar import FILE"
            ));
        }
    }
}

/// Settings plus the open, migrated database.
pub struct Context {
    pub settings: Settings,
    pub conn: Connection,
}

impl Context {
    /// Opens and migrates the database and loads the imported calendar years into the
    /// settings' calendar; when it reveals personal data, logs the command's subcommand path
    /// and option names ([`reveal_record`]), never their values.
    pub fn open(mut settings: Settings, command: &str) -> Result<Context> {
        let mut conn = db::open(&settings.db_path)?;
        for arrangement in calendar::imported(&conn)? {
            settings.calendar.set_official(arrangement);
        }
        if settings.out.reveal {
            // In a transaction of its own: the event and the anchor are written together.
            let tx = db::write(&mut conn)?;
            audit::record(
                &tx,
                &settings.stamp(),
                "privacy.reveal",
                "privacy",
                None,
                &reveal_record(command),
            )?;
            tx.commit()?;
        }
        Ok(Context { settings, conn })
    }

    /// Where and how the command writes what it produces.
    pub fn out(&self) -> &Output {
        &self.settings.out
    }

    /// The language of messages and tables.
    pub fn lang(&self) -> Lang {
        self.settings.lang()
    }

    /// Who acts, and now.
    pub fn stamp(&self) -> Stamp {
        self.settings.stamp()
    }

    /// The company the command works in.
    pub fn company(&self) -> Result<CompanyRef> {
        company::resolve(&self.conn, self.settings.company.as_deref())
    }

    /// The company a list is scoped to: `None` when none was asked for and the database
    /// holds several, and the list spans them all.
    pub fn company_scope(&self) -> Result<Option<CompanyRef>> {
        if self.settings.company.is_none() && company::several(&self.conn)? {
            return Ok(None);
        }
        self.company().map(Some)
    }

    /// The company asked for (`--company`, `BATON_COMPANY` or config `company`), if any.
    pub fn company_asked(&self) -> Option<&str> {
        self.settings.company.as_deref()
    }

    /// The company a command over every company is narrowed to, when one is asked for;
    /// none for every company.
    pub fn scope(&self) -> Result<Option<CompanyRef>> {
        self.company_asked()
            .map(|code| company::resolve(&self.conn, Some(code)))
            .transpose()
    }

    /// Runs `f` as the one write of a command: an IMMEDIATE transaction that commits when
    /// `f` returns `Ok` and rolls back otherwise, every audit event in it carrying one stamp.
    pub fn transact<T>(&mut self, f: impl FnOnce(&Write<'_>) -> Result<T>) -> Result<T> {
        if self.settings.actor == UNKNOWN_ACTOR {
            self.out().warn(&tr!(
                self.lang(),
                "nobody is named as the actor: the audit log records \"{UNKNOWN_ACTOR}\" (set --actor NAME, BATON_ACTOR or config `actor`)",
                "未指定操作人：审计日志记为 \"{UNKNOWN_ACTOR}\"（请用 --actor 姓名、环境变量 BATON_ACTOR 或配置项 `actor` 指定）"
            ));
        }
        let write = Write {
            stamp: self.settings.stamp(),
            tx: db::write(&mut self.conn)?,
            settings: &self.settings,
        };
        let value = f(&write)?;
        write.tx.commit()?;
        Ok(value)
    }
}

/// The open write of a command: its transaction (which it derefs to, so domain functions
/// take `w` where they want `&Transaction` or `&Connection`), the audit stamp, and the
/// settings, which the connection's borrow would otherwise hide.
pub struct Write<'c> {
    tx: Transaction<'c>,
    stamp: Stamp,
    settings: &'c Settings,
}

impl Write<'_> {
    /// Who writes and when: the same for every audit event of the transaction.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The settings of the command.
    pub fn settings(&self) -> &Settings {
        self.settings
    }
}

impl<'c> Deref for Write<'c> {
    type Target = Transaction<'c>;

    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

/// `path` as one word of a shell command line: as it is when plain, else single-quoted.
pub fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// What the `privacy.reveal` event records of a command line: the subcommand path
/// (`customer show`) and the names of the options given (`--reveal`); no values, as
/// positionals and option values may be phone or ID numbers.
fn reveal_record(command_line: &str) -> serde_json::Value {
    use clap::CommandFactory;
    let root = crate::cli::Cli::command();
    let mut at = &root;
    let mut path = Vec::new();
    let mut options = Vec::new();
    for word in command_line.split_whitespace().skip(1) {
        if let Some(option) = word.strip_prefix('-') {
            let name = option.split('=').next().unwrap_or_default();
            let is_name = name
                .trim_start_matches('-')
                .starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if is_name {
                options.push(format!("-{name}"));
            }
        } else if let Some(sub) = at.find_subcommand(word) {
            path.push(sub.get_name().to_string());
            at = sub;
        }
    }
    json!({ "command": path.join(" "), "options": options })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn context() -> Context {
        let mut conn = Connection::open_in_memory().unwrap();
        db::migrate(&mut conn).unwrap();
        let settings = Settings {
            config: Config::default(),
            config_path: PathBuf::new(),
            db_path: PathBuf::new(),
            clock: Clock::fixed(chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()),
            calendar: Calendar::default(),
            out: Output::default(),
            actor: "tester".to_string(),
            company: None,
        };
        Context { settings, conn }
    }

    fn audit(w: &Write<'_>) -> Result<i64> {
        audit::record(w, w.stamp(), "test.write", "test", None, &json!({}))
    }

    #[test]
    fn a_write_commits_when_it_succeeds() {
        let mut ctx = context();
        ctx.transact(|w| {
            assert_eq!(w.stamp().actor, "tester");
            audit(w)
        })
        .unwrap();
        assert!(!db::is_empty(&ctx.conn, "events").unwrap());
    }

    #[test]
    fn a_write_rolls_back_when_it_fails() {
        let mut ctx = context();
        let err = ctx
            .transact(|w| -> Result<()> {
                audit(w)?;
                anyhow::bail!("refused after the write")
            })
            .unwrap_err();
        assert_eq!(err.to_string(), "refused after the write");
        assert!(db::is_empty(&ctx.conn, "events").unwrap());
        ctx.transact(audit).unwrap();
    }
}
