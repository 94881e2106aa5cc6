//! An unfinished self-check: each answer given at the prompt is stored as it is given, so a
//! run stopped part-way (Ctrl-C, a closed terminal, input that ended) loses nothing and
//! continues with `checklist run --resume`. A draft ends as the run it became
//! ([`finish`]) or set aside ([`discard`]); it is never deleted.

use std::collections::BTreeSet;

use anyhow::{Context as _, Result};
use rusqlite::{named_params, Connection, OptionalExtension};
use serde_json::json;

use super::template::Template;
use super::{Answers, Given};
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::{bad_input, refused, text, time};

/// What `checklist run` asks of the company's unfinished self-check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Want {
    /// A new run: refused over an unfinished one.
    New,
    /// Continue the unfinished one.
    Resume,
    /// Set the unfinished one aside and start over.
    Restart,
}

/// What becomes of the unfinished self-check.
#[derive(Debug)]
pub enum Settled {
    /// None is in the way: a new run starts.
    Fresh,
    /// This one continues.
    Continue(Draft),
    /// This one is set aside ([`discard`]), then a new run starts.
    Discard(i64),
}

/// The rules of `checklist run` over the company's unfinished self-check `found`: resuming
/// needs one, of the same template and version; a new run is refused while one is
/// unfinished.
pub fn settle(found: Option<Draft>, template: &Template, want: Want) -> Result<Settled, Failure> {
    match (found, want) {
        (None, Want::Resume) => Err(bad_input!(
            "no unfinished self-check to resume for this company",
            "本公司没有未完成的自查可以继续"
        )
        .hint(text!(
            "start one: baton checklist run",
            "开始新的自查：baton checklist run"
        ))),
        (None, _) => Ok(Settled::Fresh),
        (Some(found), Want::Resume) => {
            if found.template != template.id || found.template_version != template.version {
                let (id, version) = (&found.template, found.template_version);
                return Err(refused!(
                    "the unfinished self-check uses template {id} version {version}",
                    "未完成的自查使用的是模板 {id} 第 {version} 版"
                )
                .hint(text!(
                    "resume it with --template {id}, or start over with --restart",
                    "用 --template {id} 继续，或用 --restart 重新开始"
                )));
            }
            Ok(Settled::Continue(found))
        }
        (Some(found), Want::Restart) => Ok(Settled::Discard(found.id)),
        (Some(found), Want::New) => {
            let (n, started) = (found.answers.len(), &found.started_at);
            Err(refused!(
                "a self-check started {started} is unfinished ({n} answered)",
                "{started} 开始的自查尚未完成（已答 {n} 项）"
            )
            .hint(text!(
                "continue it with --resume, or start over with --restart",
                "用 --resume 继续，或用 --restart 重新开始"
            )))
        }
    }
}

/// A company's unfinished self-check.
#[derive(Debug)]
pub struct Draft {
    pub id: i64,
    pub template: String,
    pub template_version: u32,
    pub skip: BTreeSet<String>,
    pub answers: Answers,
    /// When it was started, local time.
    pub started_at: String,
}

/// The company's unfinished self-check, if there is one.
pub fn open(conn: &Connection, company_id: i64) -> Result<Option<Draft>> {
    let found = conn
        .prepare_cached(
            "SELECT id, template, template_version, skip, started_at FROM checklist_drafts
             WHERE company_id = ?1 AND run_id IS NULL AND discarded_at IS NULL",
        )?
        .query_row([company_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()
        .context("cannot read the unfinished self-check")?;
    let Some((id, template, template_version, skip, started_at)) = found else {
        return Ok(None);
    };
    let answers = conn
        .prepare_cached(
            "SELECT item, answer, note FROM checklist_draft_answers WHERE draft_id = ?1",
        )?
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Given {
                    answer: r.get(1)?,
                    note: r.get(2)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Answers>>()
        .context("cannot read the answers of the unfinished self-check")?;
    Ok(Some(Draft {
        id,
        template,
        template_version,
        skip: serde_json::from_str(&skip).context("the stored items left out")?,
        answers,
        started_at: time::stored_to_local(started_at),
    }))
}

/// Starts the company's unfinished self-check of `template`; returns its id.
pub fn start(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    template: &Template,
    skip: &BTreeSet<String>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checklist_drafts (company_id, template, template_version, skip, started_at, actor)
         VALUES (:company, :template, :version, :skip, :at, :actor)",
    )?
    .execute(named_params! {
        ":company": company_id, ":template": template.id, ":version": template.version,
        ":skip": serde_json::to_string(skip)?, ":at": time::to_db(stamp.at), ":actor": stamp.actor,
    })
    .context("cannot start the self-check")?;
    let id = conn.last_insert_rowid();
    audit::record(
        conn,
        stamp,
        "checklist.start",
        "checklist_draft",
        Some(&id.to_string()),
        &json!({ "template": template.id, "template_version": template.version, "skip": skip }),
    )?;
    Ok(id)
}

/// Keeps the answer to `item` given in draft `id`.
pub fn answer(conn: &Connection, stamp: &Stamp, id: i64, item: &str, given: &Given) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO checklist_draft_answers (draft_id, item, answer, note, at)
         VALUES (:draft, :item, :answer, :note, :at)",
    )?
    .execute(named_params! {
        ":draft": id, ":item": item, ":answer": given.answer, ":note": given.note,
        ":at": time::to_db(stamp.at),
    })
    .with_context(|| format!("cannot keep the answer to {item}"))?;
    audit::record(
        conn,
        stamp,
        "checklist.answer",
        "checklist_draft",
        Some(&id.to_string()),
        &json!({ "item": item, "answer": given.answer, "note": given.note }),
    )?;
    Ok(())
}

/// Sets draft `id` aside unfinished (`--restart`).
pub fn discard(conn: &Connection, stamp: &Stamp, id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE checklist_drafts SET discarded_at = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![id, time::to_db(stamp.at)])
        .context("cannot set the unfinished self-check aside")?;
    audit::record(
        conn,
        stamp,
        "checklist.discard",
        "checklist_draft",
        Some(&id.to_string()),
        &json!({}),
    )?;
    Ok(())
}

/// Records that draft `id` became run `run_id` (in the transaction that stores the run).
pub fn finish(conn: &Connection, stamp: &Stamp, id: i64, run_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE checklist_drafts SET run_id = ?2 WHERE id = ?1")?
        .execute([id, run_id])
        .context("cannot close the unfinished self-check")?;
    audit::record(
        conn,
        stamp,
        "checklist.finish",
        "checklist_draft",
        Some(&id.to_string()),
        &json!({ "run": run_id }),
    )?;
    Ok(())
}
