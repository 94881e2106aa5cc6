//! The audit log's anchor (removing the last events, or all of them, is found), the sealed
//! rows (a deadline, points or a status changed behind baton's back is found, with its
//! column), `--expect-head`, and the log's pages and filters.

use crate::util::TestEnv;

/// The head `log --verify` prints (`anchor: N events, head HASH`).
fn head(env: &TestEnv) -> String {
    let stderr = env.run("log --verify").ok_stderr();
    let line = stderr
        .lines()
        .find(|l| l.starts_with("anchor:"))
        .unwrap_or_else(|| panic!("no anchor in {stderr}"));
    line.rsplit(' ').next().unwrap().to_string()
}

/// `sql` on the database through a connection without baton's functions (as the `sqlite3`
/// shell has none); returns its error, if any.
fn behind_baton(env: &TestEnv, sql: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(sql).err().map(|e| e.to_string())
}

#[test]
fn an_intact_log_prints_its_anchor() {
    let env = TestEnv::new().with_registry();
    let stderr = env.run("log --verify").ok_stderr();
    let hash: String = env.sql("SELECT hash FROM events WHERE id = 8");
    assert!(
        stderr.contains(&format!("anchor: 8 events, head {hash}")),
        "{stderr}"
    );
    assert!(stderr.contains("intact: 8 events verified"), "{stderr}");
}

#[test]
fn removing_the_last_event_is_detected() {
    let env = TestEnv::new().with_registry();
    let refused = behind_baton(&env, "DELETE FROM events WHERE id = 8").unwrap();
    assert!(refused.contains("append-only"), "{refused}");
    env.exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 8");
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains(
            "the anchor counts 8 events but the log ends at event 7: the last 1 were removed"
        ),
        "{err}"
    );
    assert!(
        err.contains("trigger events_no_delete was dropped"),
        "{err}"
    );
}

#[test]
fn removing_the_last_events_or_all_is_detected() {
    let env = TestEnv::new().with_registry();
    env.exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 5");
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains("ends at event 5: the last 3 were removed"),
        "{err}"
    );

    env.exec("DELETE FROM events");
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains("ends at event 0: the last 8 were removed"),
        "{err}"
    );
}

#[test]
fn a_write_after_a_removal_does_not_hide_it() {
    let env = TestEnv::new().with_registry();
    env.exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 6");
    env.ok("customer update C004 --contact 赵");
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains("broken after event 6: events up to 9 were removed"),
        "{err}"
    );
}

#[test]
fn without_its_anchor_the_log_fails_and_takes_no_more_events() {
    let env = TestEnv::new().with_registry();
    env.exec("DELETE FROM audit_anchor");
    let err = env.fails("log --verify", 1);
    assert!(err.contains("the audit anchor is missing"), "{err}");
    let err = env.fails("customer update C004 --contact 赵", 3);
    assert!(err.contains("audit anchor is missing"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM events"), 8);
}

#[test]
fn an_edited_complaint_deadline_is_named_with_its_column() {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --customer C001 --summary 新对接人不了解定制配方");
    env.ok("complaint accept 1");
    env.ok("log --verify");

    let refused = behind_baton(
        &env,
        "UPDATE complaints SET resolve_due = '2027-01-01T00:00:00Z'",
    );
    assert!(refused.unwrap().contains("baton_seal"));
    env.exec(
        "DROP TRIGGER seal_complaints_update;
         UPDATE complaints SET resolve_due = '2027-01-01T00:00:00Z', status = 'received',
             accepted_at = NULL",
    );
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains("complaints row 1: status, resolve_due, accepted_at changed outside baton"),
        "{err}"
    );
    assert!(
        err.contains("trigger seal_complaints_update was dropped"),
        "{err}"
    );
    let err = env.fails("log --verify --lang zh", 1);
    assert!(err.contains("complaints 第 1 行"), "{err}");
}

#[test]
fn edited_credit_points_and_a_deleted_record_are_detected() {
    let env = TestEnv::new().with_registry();
    env.ok("credit record --employee E002 --code purchase-list-leaked --date 2026-03-01");
    env.ok("log --verify");
    env.exec(
        "DROP TRIGGER seal_credit_events_update; UPDATE credit_events SET points = 0 WHERE id = 1",
    );
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains("credit_events row 1: points changed outside baton"),
        "{err}"
    );
    env.exec("DELETE FROM credit_events WHERE id = 1");
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains("credit_events row 1: deleted outside baton"),
        "{err}"
    );
}

#[test]
fn an_edited_handover_item_and_an_unsealed_complaint_are_detected() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    env.ok("log --verify");
    env.exec(
        "DROP TRIGGER seal_handover_items_update;
         UPDATE handover_items SET status = 'done', done_at = '2026-03-02T02:00:00Z' WHERE id = 1",
    );
    env.exec(
        "DROP TRIGGER seal_complaints_insert;
         INSERT INTO complaints (company_id, complainant, category, channel, summary,
             received_at, accept_due, feedback_due, resolve_due, accept_clock)
         VALUES (1, '刘', 'other', 'phone', 's', '2026-03-02T01:00:00Z', '2026-03-03T01:00:00Z',
             '2026-03-04T01:00:00Z', '2026-05-01T01:00:00Z', '24h')",
    );
    let err = env.fails("log --verify", 1);
    assert!(
        err.contains("handover_items row 1: status, done_at changed outside baton"),
        "{err}"
    );
    assert!(
        err.contains("complaints row 1: written outside baton (it has no seal)"),
        "{err}"
    );
}

#[test]
fn rewritten_seals_show_in_the_digest() {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --customer C001 --summary 新对接人不了解定制配方");
    env.exec("DROP TRIGGER row_seals_update; UPDATE row_seals SET seal = 'forged'");
    let err = env.fails("log --verify", 1);
    assert!(err.contains("complaints row 1:"), "{err}");
    assert!(err.contains("is not the anchor's"), "{err}");
}

#[test]
fn an_expected_head_proves_the_log_was_not_cut_back() {
    let env = TestEnv::new().with_registry();
    let written_down = head(&env);
    assert_eq!(written_down.len(), 64);
    env.ok("customer update C004 --contact 赵");
    let stderr = env
        .run(&format!(
            "log --verify --expect-head {}",
            &written_down[..16]
        ))
        .ok_stderr();
    assert!(
        stderr.contains("is event 8; 1 events were added since"),
        "{stderr}"
    );

    // Cut back to event 5 and the anchor rewritten to match: only the head written down
    // shows it.
    env.exec(
        "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 5;
         UPDATE audit_anchor SET events = 5, head = (SELECT hash FROM events WHERE id = 5);
         CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
             SELECT RAISE(ABORT, 'the audit log is append-only');
         END;",
    );
    env.ok("log --verify");
    let err = env.fails(&format!("log --verify --expect-head {written_down}"), 1);
    assert!(err.contains("is not in the log"), "{err}");

    env.fails("log --verify --expect-head 12ab", 4);
    env.fails("log --verify --expect-head zzzzzzzzzzzzzzzz", 4);
    env.fails(&format!("log --expect-head {written_down}"), 2);
}

#[test]
fn the_log_shows_the_latest_50_oldest_first() {
    let env = TestEnv::new().with_registry();
    for n in 0..45 {
        env.ok(&format!("customer update C004 --contact 联系人{n}"));
    }
    let out = env.run("log --format json").output();
    assert!(out.status.success());
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<i64> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, (4..=53).collect::<Vec<_>>());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("showing 50 of 53; --all for everything"),
        "{stderr}"
    );

    let all = env.run("log --all --format json").output();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&all.stdout).unwrap()[0]["id"],
        1
    );
    assert!(!String::from_utf8_lossy(&all.stderr).contains("showing"));
    let last = env.json("log --limit 2");
    assert_eq!(last[0]["id"], 52);
    assert_eq!(last[1]["id"], 53);
    env.fails("log --limit 2 --all", 2);
    env.fails("log --verify --actor x", 2);
}

#[test]
fn the_log_filters_by_period_actor_kind_and_record() {
    let env = TestEnv::new().with_registry();
    for (now, actor, contact) in [
        ("2026-03-04T09:00:00+08:00", "clerk", "甲"),
        ("2026-03-04T23:30:00+08:00", "clerk", "乙"),
        ("2026-03-05T08:00:00+08:00", "boss", "丙"),
    ] {
        env.run(&format!("customer update C003 --contact {contact}"))
            .env("BATON_NOW", now)
            .env("BATON_ACTOR", actor)
            .ok();
    }
    let count = |line: &str| env.json(line).as_array().unwrap().len();
    assert_eq!(count("log --since 2026-03-04 --until 2026-03-04"), 2);
    assert_eq!(count("log --until 2026-03-04"), 10);
    assert_eq!(count("log --until '2026-03-04 12:00'"), 9);
    assert_eq!(count("log --actor clerk"), 2);
    assert_eq!(count("log --actor clerk --since '2026-03-04 12:00'"), 1);
    assert_eq!(count("log --entity customer"), 7);
    assert_eq!(
        count("log --entity customer --id C003 --since 2026-03-03"),
        3
    );
    assert_eq!(count("log --id C003"), 4);
    let limited = env.run("log --entity customer --limit 2").output();
    assert!(String::from_utf8_lossy(&limited.stderr).contains("showing 2 of 7"));
    env.fails("log --until soon", 4);
}
