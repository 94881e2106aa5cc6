//! `checklist`: the self-check.

use std::path::PathBuf;

use clap::Subcommand;

/// The subcommands of `checklist`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton checklist show\n  baton checklist run --answers answers.toml --fail-under 60\n  baton checklist run --skip D6,R5            (asks the rest on a terminal)\n  baton checklist report --explain\n  baton checklist diff 1 2"
)]
pub enum ChecklistCmd {
    /// The templates on offer: built in, and the files in `checklists/` next to the config file
    #[command(after_help = "Example:\n  baton checklist templates")]
    Templates,
    /// The items of a template, with the probe that answers each from the data
    #[command(
        after_help = "Examples:\n  baton checklist show\n  baton checklist show --template examples/checklist-template.toml --lang zh"
    )]
    Show {
        /// Template id, or the path of a template file [default: core-departure]
        #[arg(long, value_name = "ID|FILE")]
        template: Option<String>,
    },
    /// Answer the self-check and store the run (probes answer what the data can tell)
    #[command(
        after_help = "An answers file holds `ITEM = \"yes\"` (yes, partial, no, n/a) or\n`ITEM = { answer = \"no\", note = \"...\" }`. Without --answers the run asks item by item\nwhen stdin is a terminal: y(es), p(artial), n(o), - (n/a), ? (advice); a note may follow\nthe key, e.g. `n not in the contracts yet`. Each answer is kept as it is given: a run stopped\npart-way (Ctrl-C, a closed terminal) continues with `baton checklist run --resume`.\n\nExamples:\n  baton checklist run --answers examples/checklist-answers.toml\n  baton checklist run --resume"
    )]
    Run {
        /// Template id, or the path of a template file [default: core-departure]
        #[arg(long, value_name = "ID|FILE")]
        template: Option<String>,
        /// TOML file of manual answers
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// Items to leave out of the score
        #[arg(long, value_delimiter = ',', value_name = "ITEM,...")]
        skip: Vec<String>,
        /// Exit 3 when the overall score is below SCORE (the run is stored all the same)
        #[arg(long, value_name = "SCORE")]
        fail_under: Option<f64>,
        /// Continue the unfinished self-check (its answers were kept as they were given)
        #[arg(long, conflicts_with_all = ["answers", "restart"])]
        resume: bool,
        /// Set the unfinished self-check aside and start over
        #[arg(long, conflicts_with = "answers")]
        restart: bool,
    },
    /// Score per dimension and the remediation plan: the gaps, largest loss first
    #[command(
        after_help = "Examples:\n  baton checklist report\n  baton checklist report 3 --explain --lang zh\n  baton checklist report -f html -o report.html   (to print: radar chart, history, plan)"
    )]
    Report {
        /// Run id [default: the company's latest run]
        run: Option<i64>,
        /// Every item with the points it could earn and did earn
        #[arg(long)]
        explain: bool,
    },
    /// The company's runs with score and risk
    #[command(after_help = "Example:\n  baton checklist history")]
    History,
    /// Items that improved or slipped from run A to run B
    #[command(after_help = "Example:\n  baton checklist diff 1 2")]
    Diff {
        /// The earlier run
        a: i64,
        /// The later run
        b: i64,
    },
}
