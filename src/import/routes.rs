//! The company of each row ([`Routes`]): the one its `company` cell names (by
//! 统一社会信用代码, or by a name no other company has), else the command's company (`-c`,
//! or the only company there is).

use anyhow::Result;
use rusqlite::Connection;

use super::Column;
use crate::domain::company::{self, CompanyRef, Directory};
use crate::error::Failure;

/// Where the rows of an entity with a `company` column go.
#[derive(Debug, Clone, Default)]
pub(super) struct Routes {
    /// The entity's `company` column; `None`: the entity has none (companies).
    column: Option<usize>,
    companies: Directory,
    /// The company of a row whose `company` cell is absent or empty.
    default: Option<CompanyRef>,
}

impl Routes {
    /// The companies rows may name and the default: the company `wanted` (an unknown one
    /// is an error), else the only company there is.
    pub(super) fn new(
        conn: &Connection,
        columns: &[Column],
        wanted: Option<&str>,
    ) -> Result<Routes> {
        let Some(column) = columns.iter().position(|c| c.name == "company") else {
            return Ok(Routes::default());
        };
        let default = match wanted {
            Some(code) => Some(company::resolve(conn, Some(code))?),
            None => company::resolve(conn, None).ok(),
        };
        Ok(Routes {
            column: Some(column),
            companies: Directory::load(conn)?,
            default,
        })
    }

    /// The company of a row with these cells.
    pub(super) fn route<'r>(
        &'r self,
        cells: &[Option<&str>],
    ) -> Result<Option<&'r CompanyRef>, Failure> {
        let named = self
            .column
            .and_then(|col| cells.get(col).copied().flatten())
            .filter(|cell| !cell.trim().is_empty());
        match named {
            Some(cell) => self
                .companies
                .find(cell)
                .map(Some)
                .map_err(|e| e.field("company")),
            None => Ok(self.default.as_ref()),
        }
    }

    /// For a file without a `company` column whose entity needs a company for every row:
    /// the error of the company context when there is no default (several companies, or
    /// none), before any row is read.
    pub(super) fn check_default(&self, conn: &Connection, in_file: bool) -> Result<()> {
        if self.column.is_some() && !in_file && self.default.is_none() {
            company::resolve(conn, None)?;
        }
        Ok(())
    }
}
