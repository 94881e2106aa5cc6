//! The housekeeping commands: `config`, `log`, `backup`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// The subcommands of `config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the effective config (file, environment and flags applied) as TOML
    #[command(
        after_help = "Examples:\n  baton config show\n  baton --config ./baton.toml config show"
    )]
    Show,
    /// Write a commented default config file
    #[command(
        after_help = "Examples:\n  baton config init\n  baton --config ./baton.toml config init --force"
    )]
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
}

/// The filters and the page of `log`, or `--verify`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only events about this kind of record (company, employee, customer, ...)
    #[arg(long, value_name = "KIND")]
    pub entity: Option<String>,
    /// Only events about this record (its code or number)
    #[arg(long)]
    pub id: Option<String>,
    /// Only events at or after this date or time
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Only events before this date or time (a date: up to the end of that day)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Only events by this actor
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Show the latest N events [default: 50]
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub limit: Option<u64>,
    /// Show every event that matches
    #[arg(long)]
    pub all: bool,
    /// Check the hash chain, its anchor and the sealed rows instead of listing; exit 1 on
    /// anything out of place
    #[arg(long, conflicts_with_all = ["entity", "id", "since", "until", "actor", "limit", "all"])]
    pub verify: bool,
    /// With --verify: fail unless the log still holds the event with this hash (the head
    /// printed by an earlier --verify; 12 hex digits or more)
    #[arg(long, value_name = "HASH", requires = "verify")]
    pub expect_head: Option<String>,
}

/// Where `backup` writes the copy.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy
    pub file: PathBuf,
    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,
}
