//! `credit`: official records (agency decisions) and internal risk records, scores and lists.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::domain::credit::catalog::Sector;
use crate::domain::credit::Basis;

/// The subcommands of `credit`.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  baton credit catalog
  baton credit record --employee E002 --code purchase-list-leaked --note 采购清单外泄
  baton credit record --person 陈某 --id-number 11010519491231002X --code trade-secret-leaked
  baton credit record --company-subject 91320500MA1MXX0Q17 --code penalty --sector food \\
      --decision-no 苏市监罚〔2026〕12号 --authority 苏州市市场监督管理局 \\
      --decided-on 2026-01-20
  baton credit score company:91320500MA1MXX0Q17
  baton credit list --official --format csv --bom -o official.csv
  baton credit history person:11010519491231002X --reveal
  baton credit repair 12 --reason 罚款已缴 --duties-fulfilled --harm-removed --no-new-penalty \\
      --commitment 信用承诺书.pdf
  baton credit basis person:11010519491231002X --basis consent --note 书面单独同意

Official records (经营异常名录, 严重违法失信名单, published penalties) are what an agency
decided: recorded with --decision-no, --authority and --decided-on, counted from the decision
date. Everything else is an internal risk record (内部风险记录), never an official list.
Subjects: company:USCC, employee:E001 (in the company context), person:NAME, person:ID-NUMBER.
A person's records are matched across companies by ID number only where each company has
recorded a legal basis (baton credit basis).")]
pub enum CreditCmd {
    /// The catalogue of official and internal entries (built in, plus config `[credit] catalog`)
    #[command(after_help = "Example:\n  baton credit catalog --lang zh")]
    Catalog,
    /// Record an agency decision or an internal risk record from the catalogue
    #[command(
        override_usage = "baton credit record --employee CODE --code CODE [OPTIONS]\n       baton credit record --company-subject USCC --code CODE [OPTIONS]\n       baton credit record --person NAME [--id-number N] --code CODE [OPTIONS]"
    )]
    #[command(
        after_help = "Example:\n  baton credit record --employee E002 --code purchase-list-leaked --note 采购清单外泄"
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
        /// When it happened [default: the decision date, else today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        #[command(flatten)]
        decision: Box<DecisionArgs>,
        /// What happened, in a few words
        #[arg(long)]
        note: Option<String>,
        /// A file that proves it, kept inside the database (like complaint evidence)
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
    },
    /// A subject's score, band and lists; without SUBJECT every subject with a record
    #[command(
        after_help = "Examples:\n  baton credit score company:91320500MA1MXX0Q17\n  baton credit score"
    )]
    Score {
        /// company:USCC, employee:E001, person:NAME or person:ID-NUMBER
        subject: Option<String>,
    },
    /// Subjects on an official list, the attention, watch or honoured list (all without a flag)
    #[command(
        after_help = "Examples:\n  baton credit list --official\n  baton credit list --attention --format csv --bom -o 关注名单.csv"
    )]
    List {
        /// On an agency's list by a recorded decision (经营异常名录, 严重违法失信名单)
        #[arg(long, alias = "dishonest")]
        official: bool,
        /// The company's own attention list (关注): an active severe internal risk record, or
        /// `credit.attention_major_count` major ones; no official list
        #[arg(long)]
        attention: bool,
        /// Score below `credit.watch_below`
        #[arg(long)]
        watch: bool,
        /// An active incentive and no active violation
        #[arg(long)]
        honoured: bool,
    },
    /// Every record of a subject, whatever its status
    #[command(
        after_help = "Examples:\n  baton credit history employee:E002\n  baton credit history person:11010519491231002X --reveal"
    )]
    History {
        /// company:USCC, employee:E001, person:NAME or person:ID-NUMBER
        subject: String,
    },
    /// Record a repair (信用修复) once its rules allow it: an official record from its
    /// decision date (abnormal list: once the duty is met; serious list: 1 year; penalty: 6
    /// months, 1 year for food, drugs, special equipment), an internal one
    /// `credit.repair_after_years` after its date
    #[command(
        after_help = "Example:\n  baton credit repair 12 --reason \"罚款已缴，整改完成\" --duties-fulfilled --harm-removed \\\n      --no-new-penalty --commitment 信用承诺书.pdf"
    )]
    Repair {
        /// The event's number (see `credit history`)
        event: i64,
        /// What was put right
        #[arg(long)]
        reason: String,
        /// The duties of the decision are fulfilled (for a listing: the duty to publish)
        #[arg(long)]
        duties_fulfilled: bool,
        /// The harm and its ill effects are removed
        #[arg(long)]
        harm_removed: bool,
        /// No new penalty of the same kind since
        #[arg(long)]
        no_new_penalty: bool,
        /// The signed credit commitment (信用承诺书), kept as evidence of the event
        #[arg(long, value_name = "FILE")]
        commitment: Option<PathBuf>,
    },
    /// Record the legal basis on which this company's records of a person are matched with
    /// other companies' records by ID number (个人信息保护法 arts. 13, 23)
    #[command(
        after_help = "Example:\n  baton credit basis person:11010519491231002X --basis consent --note \"2026-01-05 书面单独同意\""
    )]
    Basis {
        /// person:ID-NUMBER
        subject: String,
        /// consent (separate consent), legal-duty or contract
        #[arg(long)]
        basis: Basis,
        /// Where the consent or duty is written down
        #[arg(long)]
        note: Option<String>,
    },
    /// Mark a record made in error revoked (any time)
    #[command(after_help = "Example:\n  baton credit revoke 12 --reason \"登记错了员工\"")]
    Revoke {
        /// The event's number (see `credit history`)
        event: i64,
        /// What the error was
        #[arg(long)]
        reason: String,
    },
}

/// The agency decision behind an official record.
#[derive(Debug, Clone, Args)]
pub struct DecisionArgs {
    /// The decision's number (决定书文号); official entries are recorded only with one
    #[arg(long, value_name = "NO", requires_all = ["authority", "decided_on"])]
    pub decision_no: Option<String>,
    /// The agency that decided
    #[arg(long, value_name = "NAME", requires = "decision_no")]
    pub authority: Option<String>,
    /// The decision (publication) date: every period counts from it
    #[arg(
        long,
        value_name = "DATE",
        requires = "decision_no",
        allow_hyphen_values = true
    )]
    pub decided_on: Option<String>,
    /// The administrative penalty decision behind a serious-list entry
    #[arg(long, value_name = "NO", requires = "decision_no")]
    pub penalty_no: Option<String>,
    /// The penalty's field: food, drugs and special equipment wait a year for repair
    #[arg(long, requires = "decision_no")]
    pub sector: Option<Sector>,
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
