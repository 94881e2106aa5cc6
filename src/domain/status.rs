//! `baton status`: one row per company with what needs attention.

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use super::customer;

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusRow {
    pub company: String,
    pub name: String,
    pub employees: i64,
    pub leaving: i64,
    pub customers: i64,
    pub at_risk_customers: i64,
}

const ROWS: &str = "SELECT co.id, co.code, coalesce(co.short_name, co.name),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status != 'left'),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status = 'leaving'),
            (SELECT count(*) FROM customers c WHERE c.company_id = co.id AND c.status = 'active')
         FROM companies co ORDER BY co.code";

pub fn rows(conn: &Connection) -> Result<Vec<StatusRow>> {
    let mut stmt = conn.prepare_cached(ROWS)?;
    let companies = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                StatusRow {
                    company: r.get(1)?,
                    name: r.get(2)?,
                    employees: r.get(3)?,
                    leaving: r.get(4)?,
                    customers: r.get(5)?,
                    at_risk_customers: 0,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    companies
        .into_iter()
        .map(|(id, mut row)| {
            row.at_risk_customers = customer::count_at_risk(conn, id)?;
            Ok(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    #[test]
    fn the_status_query_uses_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        crate::domain::customer::tests::assert_indexed(&conn, super::ROWS);
    }
}
