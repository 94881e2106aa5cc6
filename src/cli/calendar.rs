//! `calendar`: the working-day calendar of mainland China, year by year.

use std::path::PathBuf;

use clap::Subcommand;

/// The subcommands of `calendar`.
#[derive(Debug, Subcommand)]
pub enum CalendarCmd {
    /// Each day off and make-up working day of a year, its source, official or provisional
    #[command(
        after_help = "A year without an official arrangement is provisional: baton counts its statutory holidays\n(《全国年节及纪念日放假办法》 art. 2) and no make-up working days.\n\nExamples:\n  baton calendar show\n  baton calendar show 2027 --lang zh\n  baton calendar show 2026 --format json"
    )]
    Show {
        /// The year [default: this year]
        year: Option<i32>,
    },
    /// The official years (built-in or imported), this year and the next, and the years open clocks reach
    #[command(after_help = "Example:\n  baton calendar years")]
    Years,
    /// Make a year official from the State Council's notice; moves the open clocks it changes
    #[command(
        after_help = "FILE is holiday-cn JSON or baton's TOML (the format of assets/holidays/cn-2026.toml):\n  {\"year\": 2027, \"papers\": [\"…\"], \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}, …]}\n  year = 2027\n  source = \"国务院办公厅关于2027年部分节假日安排的通知\"\n  [[holiday]]\n  name = \"春节\"\n  from = 2027-02-05\n  to = 2027-02-12\n  workdays = [2027-02-13]\nA later import of a year replaces the earlier one. A bad file is refused with file:line and\nnothing changes. Every open complaint clock the new days move is listed and logged.\n\nExamples:\n  baton calendar import 2027.json\n  baton calendar import cn-2027.toml --format json"
    )]
    Import {
        /// The file (holiday-cn JSON or TOML)
        file: PathBuf,
    },
}
