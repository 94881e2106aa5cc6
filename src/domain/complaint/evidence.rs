//! The evidence files of a complaint: kept in the content-addressed store of
//! [`crate::domain::evidence`], listed, exported and re-hashed per complaint.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rusqlite::{params, Connection, Row};
use serde::Serialize;
use serde_json::json;

use super::{add_event, get, required_instant, shown, Action};
use crate::audit::{self, Stamp};
use crate::domain::evidence as blobs;
use crate::{refused, text, time};

/// An evidence file of a complaint.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub complaint: i64,
    pub file_name: String,
    pub sha256: String,
    pub bytes: i64,
    pub description: Option<String>,
    pub added_at: String,
}

/// The evidence rows with their blob's hash and size; `evidence_row` reads them.
pub(super) const EVIDENCE: &str = "SELECT e.id, e.complaint_id, e.file_name, b.sha256, b.bytes,
    e.description, e.added_at, e.blob_id
    FROM evidence e JOIN evidence_blobs b ON b.id = e.blob_id";

/// An evidence row and the id of its blob.
fn evidence_row(r: &Row<'_>) -> rusqlite::Result<(Evidence, i64)> {
    Ok((
        Evidence {
            id: r.get(0)?,
            complaint: r.get(1)?,
            file_name: r.get(2)?,
            sha256: r.get(3)?,
            bytes: r.get(4)?,
            description: r.get(5)?,
            added_at: required_instant(r, "added_at").map(shown)?,
        },
        r.get(7)?,
    ))
}

/// The evidence of a complaint with the blob each points at.
fn evidence_with_blobs(conn: &Connection, id: i64) -> Result<Vec<(Evidence, i64)>> {
    Ok(conn
        .prepare_cached(&format!(
            "{EVIDENCE} WHERE e.complaint_id = ?1 ORDER BY e.id"
        ))?
        .query_map([id], evidence_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The evidence of complaint `id`.
pub fn evidence_of(conn: &Connection, id: i64) -> Result<Vec<Evidence>> {
    get(conn, id)?;
    Ok(evidence_with_blobs(conn, id)?
        .into_iter()
        .map(|(e, _)| e)
        .collect())
}

/// Keeps the file at `path` as evidence of complaint `id` (in any state: evidence may arrive
/// late). The second value is false when the same content was stored before.
pub fn add_evidence(
    conn: &Connection,
    stamp: &Stamp,
    id: i64,
    path: &Path,
    description: Option<&str>,
    max_bytes: u64,
) -> Result<(Evidence, bool)> {
    get(conn, id)?;
    let file_name = blobs::file_name_of(path)?;
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    let blob = blobs::store(conn, path, max_bytes)?;
    conn.prepare_cached(
        "INSERT INTO evidence (complaint_id, blob_id, file_name, description, added_at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        blob.id,
        file_name,
        description,
        time::to_db(stamp.at),
        stamp.actor
    ])
    .context("cannot add the evidence")?;
    let evidence_id = conn.last_insert_rowid();
    add_event(
        conn,
        stamp,
        id,
        Action::Evidence,
        stamp.at,
        Some(&format!("{file_name} (sha256 {})", blob.sha256)),
    )?;
    let added = evidence_with_blobs(conn, id)?
        .into_iter()
        .map(|(e, _)| e)
        .find(|e| e.id == evidence_id)
        .context("the evidence just added is missing")?;
    audit::record(
        conn,
        stamp,
        "complaint.evidence",
        "complaint",
        Some(&id.to_string()),
        &json!({ "after": added, "stored_once_before": !blob.new }),
    )?;
    Ok((added, blob.new))
}

/// Writes the evidence of complaint `id` into `dir` (created if needed) under the base names
/// of the stored file names (a repeated name gets the evidence id in front); returns where
/// each went. All or nothing: a stored name that names no file, a target that exists already
/// or two files for one target are refused before anything is written, and a failure on the
/// way removes the files this export wrote.
pub fn export_evidence(conn: &Connection, id: i64, dir: &Path) -> Result<Vec<(Evidence, PathBuf)>> {
    get(conn, id)?;
    let mut taken = Vec::new();
    let planned = evidence_with_blobs(conn, id)?
        .into_iter()
        .map(|(e, blob_id)| {
            let name = blobs::base_name(Path::new(&e.file_name)).ok_or_else(|| {
                let (evidence, stored) = (e.id, e.file_name.escape_debug());
                refused!(
                    "evidence {evidence} is stored under the name \"{stored}\", which names no file; nothing exported",
                    "证据 {evidence} 保存的文件名“{stored}”没有指明文件；未导出任何文件"
                )
            })?;
            let path = blobs::unique_path(dir, &name, e.id, &mut taken);
            Ok((e, blob_id, path))
        })
        .collect::<Result<Vec<_>>>()?;
    for (i, (_, _, path)) in planned.iter().enumerate() {
        let shown = path.display();
        if path.symlink_metadata().is_ok() {
            return Err(refused!(
                "{shown} exists already; nothing exported",
                "{shown} 已存在；未导出任何文件"
            )
            .hint(text!("export into an empty folder", "请导出到空文件夹"))
            .into());
        }
        if planned[..i].iter().any(|(_, _, earlier)| earlier == path) {
            return Err(refused!(
                "two evidence files would be written to {shown}; nothing exported",
                "两个证据文件将写入同一路径 {shown}；未导出任何文件"
            )
            .into());
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::with_capacity(planned.len());
    for (e, blob_id, path) in planned {
        if let Err(err) = blobs::export(conn, blob_id, &path) {
            for (_, done) in &written {
                let _ = std::fs::remove_file(done);
            }
            return Err(err);
        }
        written.push((e, path));
    }
    Ok(written)
}

/// A changed blob and the evidence that points at it.
#[derive(Debug, Clone)]
pub struct Changed {
    pub blob: blobs::Damaged,
    pub evidence: Vec<Evidence>,
}

/// Re-hashes the evidence of complaint `id`, or every stored blob; returns how many blobs
/// were checked and the ones that changed.
pub fn verify_evidence(conn: &Connection, id: Option<i64>) -> Result<(usize, Vec<Changed>)> {
    let (checked, damaged) = match id {
        Some(id) => {
            get(conn, id)?;
            let mut blobs: Vec<i64> = evidence_with_blobs(conn, id)?
                .into_iter()
                .map(|(_, b)| b)
                .collect();
            blobs.sort_unstable();
            blobs.dedup();
            blobs::verify(conn, Some(&blobs))?
        }
        None => blobs::verify(conn, None)?,
    };
    let mut stmt =
        conn.prepare_cached(&format!("{EVIDENCE} WHERE e.blob_id = ?1 ORDER BY e.id"))?;
    let changed = damaged
        .into_iter()
        .map(|blob| {
            let evidence = stmt
                .query_map([blob.blob_id], evidence_row)?
                .map(|r| r.map(|(e, _)| e))
                .collect::<rusqlite::Result<_>>()?;
            Ok(Changed { blob, evidence })
        })
        .collect::<Result<_>>()?;
    Ok((checked, changed))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_no_scan, db};
    use super::*;

    #[test]
    fn evidence_queries_use_indexes() {
        let conn = db();
        assert_no_scan(
            &conn,
            &format!("{EVIDENCE} WHERE e.complaint_id = 1 ORDER BY e.id"),
        );
        assert_no_scan(
            &conn,
            &format!("{EVIDENCE} WHERE e.blob_id = 1 ORDER BY e.id"),
        );
    }
}
