//! `notify`: notices to customers and the public contact roster.

use std::path::PathBuf;

use clap::Subcommand;

use crate::domain::notify::{self, NoticeStatus};

/// The subcommands of `notify`.
#[derive(Debug, Subcommand)]
pub enum NotifyCmd {
    /// Plan one notice per customer of a handover (again: brings planned notices up to date)
    #[command(
        after_help = "Each notice goes from the leaver to the customer's new contact, effective on the leaving date,\nto be sent `notify.lead_days` (3) days before it.\n\nExample:\n  baton notify plan 1"
    )]
    Plan {
        /// The handover
        handover: i64,
    },
    /// List notices of the company, by send-by date
    #[command(
        after_help = "Examples:\n  baton notify list --due\n  baton notify list --handover 1 --late"
    )]
    List {
        /// Only the notices of this handover (no company context needed)
        #[arg(long, value_name = "ID")]
        handover: Option<i64>,
        /// Only notices in this state
        #[arg(long, value_enum)]
        status: Option<NoticeStatus>,
        /// Planned notices to send within `notify.due_window_days`, or already past their date
        #[arg(long)]
        due: bool,
        /// Notices unsent after their send-by date, or sent after it
        #[arg(long)]
        late: bool,
    },
    /// Write the letters (客户告知函); contact details in them are unmasked
    #[command(
        group(clap::ArgGroup::new("which").required(true).args(["notices", "handover", "all"])),
        after_help = "Placeholders: {company} {customer} {customer_contact} {old_contact} {new_contact}\n{new_contact_phone} {new_contact_email} {effective_on} {date}; {{ and }} are braces.\n\nExamples:\n  baton notify render 3\n  baton notify render --handover 1 --lang zh --out letters/\n  baton notify render --handover 1 --template our-letter.md\n  baton notify render --all --out letters/ -f html"
    )]
    Render {
        /// The notices
        notices: Vec<i64>,
        /// Every notice of this handover that is not cancelled
        #[arg(long, value_name = "ID", conflicts_with = "notices")]
        handover: Option<i64>,
        /// The company's own template [default: the built-in letter in the current language]
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Every planned notice of the company, each into its file (with --out)
        #[arg(long, requires = "out")]
        all: bool,
        /// Write one file per notice into DIR instead of stdout (Markdown, HTML with -f html)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Record that notices went out
    #[command(after_help = "Example:\n  baton notify sent 1 2 3 --channel letter --at 2026-03-12")]
    Sent {
        /// The notices' numbers
        #[arg(required = true, value_name = "NOTICE")]
        notices: Vec<i64>,
        /// How they went out
        #[arg(long, value_enum)]
        channel: notify::Channel,
        /// When they went out [default: now]
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        at: Option<String>,
    },
    /// Record that the customer confirmed a sent notice
    #[command(after_help = "Example:\n  baton notify ack 1 --at 2026-03-13")]
    Ack {
        /// The notice's number
        notice: i64,
        /// When the customer confirmed [default: now]
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        at: Option<String>,
    },
    /// Cancel a planned notice
    #[command(after_help = "Example:\n  baton notify cancel 2 --reason \"客户已终止合作\"")]
    Cancel {
        /// The notice's number
        notice: i64,
        /// Why it is cancelled
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// The public list (公示) of customer-facing contacts and of recent and planned changes
    #[command(
        after_help = "Never shows customer names or confidential notes. With --format md: a page for the company's website,\nwith the contacts' work phones and e-mail unmasked.\n\nExample:\n  baton notify roster --format md --lang zh -o 对接人公示.md"
    )]
    Roster,
}
