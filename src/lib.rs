//! baton: keep customers served when a core employee leaves a small business.
//!
//! The binary is a thin shell over this library: `cli` parses, `cmd` runs a command group,
//! `domain` holds the rules and the SQL, `db`, `audit`, `output`, `time`, `ids`, `config`
//! and `i18n` are the leaves they stand on.
//!
//! No `unsafe` code, but in `import::staged` (which allows it, and says why it is sound).
#![deny(unsafe_code)]

pub mod app;
pub mod audit;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod limits;
pub mod outfile;
pub mod output;
pub mod time;
