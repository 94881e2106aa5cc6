//! `baton report`: statistics across every company, or one with `-c`.

use clap::{Args, Subcommand};

use crate::domain::{complaint, credit, handover};

/// The subcommands of `report`.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  baton report complaints --since 2026-01-01 --until 2026-03-31
  baton report complaints --since 2026-01-01 --by month -c 914403001922038216
  baton report handovers --by month --format csv --bom -o handovers.csv
  baton report credit --since 2026-01-01 --by kind --format json

Every company unless -c; one row per group, in the order of its key.
《市场监督管理投诉举报处理暂行办法》 art. 34 asks market regulators to publish periodic
statistics of complaints; these are the same figures for the companies an agency serves.")]
pub enum ReportCmd {
    /// Complaints received in a period: counts, clocks met rates, median times; reports counted
    #[command(
        after_help = "A met rate counts the stages met against those met or breached (open stages not yet due,\nclocks not started, are left out): accept, feedback, resolve, and inform (the parties told\nafter mediation). Median times run from receipt to the stage's action: hours for the accept\nand feedback clocks, days for the resolve clock. Reports (举报) are only counted.\n\nExample:\n  baton report complaints --since 2026-01-01 --until 2026-03-31 --by category"
    )]
    Complaints {
        #[command(flatten)]
        period: Period,
        /// One row per company, category, channel, complainant kind or month received
        #[arg(long, value_enum, default_value_t, value_name = "KEY")]
        by: complaint::ReportBy,
    },
    /// Handovers opened and closed in a period, and the items still open or past due today of those opened in it
    #[command(after_help = "Example:\n  baton report handovers --since 2026-01-01 --by month")]
    Handovers {
        #[command(flatten)]
        period: Period,
        /// One row per company or month
        #[arg(long, value_enum, default_value_t, value_name = "KEY")]
        by: handover::ReportBy,
    },
    /// Credit records that occurred in a period (revoked ones left out) and their points
    #[command(after_help = "Example:\n  baton report credit --since 2026-01-01 --by kind")]
    Credit {
        #[command(flatten)]
        period: Period,
        /// One row per company, kind (violation or incentive) or month
        #[arg(long, value_enum, default_value_t, value_name = "KEY")]
        by: credit::ReportBy,
    },
}

/// The period a report covers.
#[derive(Debug, Clone, Args)]
pub struct Period {
    /// First day of the period [default: from the first record]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Last day of the period, inclusive [default: to the last record]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
}
