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

/// The filters of `log`, or `--verify`.
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
    /// Only events by this actor
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Check the hash chain instead of listing; exit 1 at the first broken link
    #[arg(long)]
    pub verify: bool,
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
