//! `import`: loading records from CSV, JSON and workbooks.

use std::path::PathBuf;

use clap::Args;

use crate::import::{Encoding, InputFormat, OnError};

/// What an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportEntity {
    Companies,
    Employees,
    Customers,
    /// Opens each handover as `handover open` does
    Handovers,
    /// Files each complaint as `complaint file` does
    Complaints,
    /// Records each event as `credit record` does
    Credit,
}

/// The file of `import` and how to read it.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds
    #[arg(value_enum)]
    pub entity: ImportEntity,
    /// CSV, JSON array, JSON Lines or workbook (.xlsx, .xls, .ods) file; `-` reads standard
    /// input (CSV or JSON)
    pub file: PathBuf,
    /// Check every row, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Text encoding of the file
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
    /// What a bad row does
    #[arg(long, value_enum, default_value_t = OnError::Abort, value_name = "MODE")]
    pub on_error: OnError,
    /// Write bad rows here (CSV: their columns plus `error`)
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Format of the file [default: from its extension: .csv, .json, .jsonl, .xlsx, .xls, .ods]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Sheet of a workbook to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}
