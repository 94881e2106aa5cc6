//! `credit`: violations and incentives, scores and lists.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// The subcommands of `credit`.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  baton credit catalog
  baton credit record --employee E002 --code purchase-list-leaked --date 2026-01-12 --note \"采购清单发给竞争对手\"
  baton credit record --company-subject 91320500MA1MXX0Q17 --code purchase-list-leaked --date 2026-01-12
  baton credit record --person 陈某 --id-number 11010519491231002X --code trade-secret-leaked --date 2025-11-03 --evidence 判决书.pdf
  baton credit score company:91320500MA1MXX0Q17
  baton credit list --dishonest --format csv --bom -o dishonest.csv
  baton credit history person:11010519491231002X --reveal
  baton credit repair 12 --reason \"整改完成, 客户书面确认\"

Subjects: company:USCC, employee:E001 (in the company context), person:NAME, person:ID-NUMBER.
A person recorded with an ID number is one subject across every company.")]
pub enum CreditCmd {
    /// The catalogue of violations and incentives (built in, plus config `[credit] catalog`)
    Catalog,
    /// Record a violation or an incentive from the catalogue
    #[command(
        override_usage = "baton credit record --employee CODE --code CODE [OPTIONS]\n       baton credit record --company-subject USCC --code CODE [OPTIONS]\n       baton credit record --person NAME [--id-number N] --code CODE [OPTIONS]"
    )]
    Record {
        #[command(flatten)]
        subject: CreditSubject,
        /// The person's resident ID number (GB 11643); masked in output unless --reveal
        #[arg(long, value_name = "N", requires = "person")]
        id_number: Option<String>,
        /// Catalogue code (see `baton credit catalog`)
        #[arg(long)]
        code: String,
        /// When it happened [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// What happened, in a few words
        #[arg(long)]
        note: Option<String>,
        /// A file that proves it, kept inside the database (like complaint evidence)
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
    },
    /// A subject's score, band and lists; without SUBJECT every subject with a record
    Score {
        /// company:USCC, employee:E001, person:NAME or person:ID-NUMBER
        subject: Option<String>,
    },
    /// Subjects on the dishonest, watch or honoured list (all three without a flag)
    List {
        /// An active severe violation, or `credit.dishonest_major_count` active major ones
        #[arg(long)]
        dishonest: bool,
        /// Score below `credit.watch_below`
        #[arg(long)]
        watch: bool,
        /// An active incentive and no active violation
        #[arg(long)]
        honoured: bool,
    },
    /// Every record of a subject, whatever its status
    History {
        /// company:USCC, employee:E001, person:NAME or person:ID-NUMBER
        subject: String,
    },
    /// Mark a violation repaired (from `credit.repair_after_years` after its date on)
    Repair {
        /// The event's number (see `credit history`)
        event: i64,
        /// What was put right
        #[arg(long)]
        reason: String,
    },
    /// Mark a record made in error revoked (any time)
    Revoke {
        /// The event's number (see `credit history`)
        event: i64,
        /// What the error was
        #[arg(long)]
        reason: String,
    },
}

/// Whom a record is about: exactly one of these.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct CreditSubject {
    /// A company in the database, by its USCC
    #[arg(long, value_name = "USCC")]
    pub company_subject: Option<String>,
    /// An employee of the company in context
    #[arg(long, value_name = "CODE")]
    pub employee: Option<String>,
    /// A person by name (with --id-number: one subject across every company)
    #[arg(long, value_name = "NAME")]
    pub person: Option<String>,
}
