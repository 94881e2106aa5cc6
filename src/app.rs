//! The context a command runs in: settings resolved once (flag > env > config > default),
//! the open database, the clock and the output.

use std::path::PathBuf;

use anyhow::Result;
use rusqlite::{Connection, Transaction};
use serde_json::json;

use crate::audit::{self, Stamp};
use crate::cli::Global;
use crate::config::{self, Config};
use crate::domain::company::{self, CompanyRef};
use crate::i18n::Lang;
use crate::output::Output;
use crate::time::{Calendar, Clock};
use crate::{db, tr};

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
            .unwrap_or_else(|| "unknown".to_string());
        let db_path = global
            .db
            .clone()
            .or_else(|| config.db.clone())
            .unwrap_or_else(config::default_db_path);
        let calendar = Calendar::with_extra(&config.calendar.holidays, &config.calendar.workdays);
        Ok(Settings {
            company: global.company.clone().or_else(|| config.company.clone()),
            config_path,
            db_path,
            clock: Clock::from_env()?,
            calendar,
            out: Output {
                format: global.format,
                lang,
                reveal: global.reveal,
                bom: global.bom,
                quiet: global.quiet,
                path: global.output.clone(),
            },
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

    pub fn lang(&self) -> Lang {
        self.out.lang
    }

    pub fn stamp(&self) -> Stamp {
        Stamp {
            actor: self.actor.clone(),
            at: self.clock.now(),
        }
    }

    /// Warns once for each year the working-day calendar was asked about but does not cover.
    pub fn warn_uncovered_years(&self) {
        for year in self.calendar.uncovered_years_used() {
            self.out.warn(&tr!(
                self.lang(),
                "the holiday calendar does not cover {year}; counting weekends only (add [calendar] entries to the config)",
                "节假日日历未覆盖 {year} 年,仅按周末计算(可在配置 [calendar] 中补充)"
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
    pub fn open(settings: Settings, command: &str) -> Result<Context> {
        let conn = db::open(&settings.db_path)?;
        let ctx = Context { settings, conn };
        if ctx.out().reveal {
            audit::record(
                &ctx.conn,
                &ctx.stamp(),
                "privacy.reveal",
                "privacy",
                None,
                &json!({ "command": command }),
            )?;
        }
        Ok(ctx)
    }

    pub fn out(&self) -> &Output {
        &self.settings.out
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang()
    }

    pub fn stamp(&self) -> Stamp {
        self.settings.stamp()
    }

    /// The company the command works in.
    pub fn company(&self) -> Result<CompanyRef> {
        company::resolve(&self.conn, self.settings.company.as_deref())
    }

    /// Starts the one transaction of a command that writes.
    pub fn write(&mut self) -> Result<Transaction<'_>> {
        db::write(&mut self.conn)
    }
}
