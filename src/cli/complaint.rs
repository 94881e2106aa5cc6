//! `complaint`: complaints with service clocks, mediation, evidence.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::domain::complaint::{Category, Channel, ComplaintStatus, Outcome};

/// The subcommands of `complaint`.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  baton complaint file --customer C001 --summary \"新对接人不了解定制配方\" --category service-gap --handover 3
  baton complaint accept 7
  baton complaint feedback 7 --note \"已电话回复,安排技术主管上门\"
  baton complaint hold 7 --reason \"送检,等待检测报告\"
  baton complaint resume 7
  baton complaint resolve 7 --outcome agreement --terms \"按原方案施工,减免设计费 20%\"
  baton complaint evidence add 7 合同.pdf --description \"签字版合同\"
  baton complaint list --overdue
  baton complaint list --handover 3
  baton complaint stats --since 2026-01-01

Clocks start when the complaint is received: accept (default 24h), feedback (48h) and
resolve (45wd, working days of the mainland China calendar), set by [sla] in the config.
Time on hold is added to every deadline still open. --at back-fills an action.")]
pub enum ComplaintCmd {
    /// File a complaint of a customer or of anyone else; its deadlines are fixed now
    #[command(group(clap::ArgGroup::new("who").required(true).args(["customer", "complainant"])))]
    File {
        /// The customer who complains (their code, e.g. C001)
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        /// Who complains, when it is not a customer
        #[arg(long, value_name = "NAME")]
        complainant: Option<String>,
        /// What the complaint is about, in a sentence
        #[arg(long, value_name = "TEXT")]
        summary: String,
        /// Kind of complaint
        #[arg(long, value_enum, default_value_t = Category::Other)]
        category: Category,
        /// How it came in
        #[arg(long, value_enum, default_value_t = Channel::Phone)]
        channel: Channel,
        /// When the complaint came in; the clocks start here [default: now]
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        received_at: Option<String>,
        /// The handover (departure) that caused it
        #[arg(long, value_name = "ID")]
        handover: Option<i64>,
    },
    /// Accept a received complaint (meets the accept clock)
    Accept {
        id: i64,
        #[command(flatten)]
        at: At,
    },
    /// Reject a received complaint, with the reason (meets the accept clock; closes it)
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        at: At,
    },
    /// Tell the complainant where things stand (the first one meets the feedback clock)
    Feedback {
        id: i64,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        at: At,
    },
    /// Record a mediation session (the complaint is then mediating)
    Mediate {
        id: i64,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        at: At,
    },
    /// Pause the clocks, e.g. while waiting for testing or appraisal
    Hold {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        at: At,
    },
    /// Restart the clocks; the time on hold is added to every open deadline
    Resume {
        id: i64,
        #[command(flatten)]
        at: At,
    },
    /// Close with the mediation outcome and the agreed terms (meets the resolve clock)
    Resolve {
        id: i64,
        /// How mediation ended
        #[arg(long, value_enum)]
        outcome: Outcome,
        /// What was agreed (or why it failed)
        #[arg(long, value_name = "TEXT")]
        terms: String,
        #[command(flatten)]
        at: At,
    },
    /// Evidence files, kept inside the database
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// List complaints of the company in context
    List {
        /// Only complaints in this state
        #[arg(long, value_enum)]
        status: Option<ComplaintStatus>,
        /// Open complaints with a stage past its deadline
        #[arg(long)]
        overdue: bool,
        /// Complaints of this customer
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        /// Complaints linked to this handover
        #[arg(long, value_name = "ID")]
        handover: Option<i64>,
    },
    /// One complaint: each clock met or breached and by how much, its events and evidence
    Show { id: i64 },
    /// Counts, met rates and median times of the complaints received in a period
    Stats {
        /// The days received
        #[command(flatten)]
        period: super::Period,
    },
}

/// When an action happened, for back-filling.
#[derive(Debug, Clone, Args)]
pub struct At {
    /// When it happened; not before the complaint's previous event [default: now]
    #[arg(long = "at", value_name = "TIME", allow_hyphen_values = true)]
    pub time: Option<String>,
}

/// The subcommands of `complaint evidence`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton complaint evidence add 7 现场照片.jpg --description \"墙面开裂\"\n  baton complaint evidence export 7 --out ./evidence-7\n  baton complaint evidence verify"
)]
pub enum EvidenceCmd {
    /// Keep a file as evidence (the same content twice is stored once)
    Add {
        id: i64,
        file: PathBuf,
        /// What the file shows
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// The evidence of a complaint
    List { id: i64 },
    /// Write the evidence files of a complaint into a folder, byte for byte
    Export {
        id: i64,
        /// Folder to write into (created if needed; existing files are not overwritten)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Re-hash the stored files (of one complaint, or all); exit 1 naming any that changed
    Verify { id: Option<i64> },
}
