//! Hostile input (#20): bytes that do not decode, files mixing encodings, and the audit
//! event of `--reveal`, which must not copy the personal data of the command line.

use crate::util::TestEnv;

/// The header of a customer import.
const HEADER: &str = "id,name,tier,owner";

/// Imports `bytes` as `name` with `flags`: exit 4, naming `name:line`, nothing imported,
/// no replacement character anywhere.
fn refused(bytes: &[u8], name: &str, flags: &str, line: u64) -> String {
    let env = TestEnv::new().with_registry();
    let file = env.file(name, bytes);
    let err = env.fails(&format!("import customers {file} {flags}"), 4);
    assert!(err.contains(&format!("{name}:{line}:")), "{err}");
    assert!(!err.contains('\u{FFFD}'), "{err}");
    let count: i64 = env.sql("SELECT count(*) FROM customers");
    assert_eq!(count, 4, "nothing imported");
    err
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_line() {
    let mut csv = format!("{HEADER}\nC005,A,normal,E001\nC006,").into_bytes();
    csv.extend_from_slice(b"\xFF\xFEx,normal,E001\n");
    let err = refused(&csv, "bad.csv", "--encoding utf-8", 3);
    assert!(err.contains("\\xFF"), "{err}");
    refused(&csv, "bad.csv", "", 3);
    let mut jsonl = br#"{"id":"C005","name":"A","tier":"normal","owner":"E001"}"#.to_vec();
    jsonl.extend_from_slice(
        b"\n{\"id\":\"C006\",\"name\":\"\xC3\x28\",\"tier\":\"normal\",\"owner\":\"E001\"}\n",
    );
    refused(&jsonl, "bad.jsonl", "", 2);
    let json = [b"[".as_slice(), &jsonl[..jsonl.len() - 1]].concat();
    let json = String::from_utf8_lossy(&json)
        .replace('\n', ",\n")
        .into_bytes();
    let mut json_bad = json.clone();
    let at = json_bad
        .windows(3)
        .position(|w| w == "\u{FFFD}".as_bytes())
        .unwrap();
    json_bad.splice(at..at + 3, *b"\xC3");
    json_bad.extend_from_slice(b"]\n");
    refused(&json_bad, "bad.json", "", 2);
}

#[test]
fn a_utf8_file_with_a_gbk_row_after_the_first_64_kib_is_refused() {
    let mut csv = format!("{HEADER}\n").into_bytes();
    let rows = 2000;
    for i in 0..rows {
        csv.extend_from_slice(
            format!("X{i:04},华丰食品有限公司第{i}分公司,normal,E001\n").as_bytes(),
        );
    }
    assert!(csv.len() > 64 * 1024);
    let (gbk, _, _) = encoding_rs::GBK.encode("Y0001,华丰食品,normal,E001\n");
    csv.extend_from_slice(&gbk);
    refused(&csv, "late.csv", "", rows + 2);
}

#[test]
fn a_gbk_file_with_a_utf8_row_is_refused() {
    let text = format!("{HEADER}\nC005,华丰食品,normal,E001\n");
    let mut csv = encoding_rs::GBK.encode(&text).0.into_owned();
    csv.extend_from_slice("C006,康源乳业,normal,E001\n".as_bytes());
    let err = refused(&csv, "mixed.csv", "", 3);
    assert!(err.contains("mixes encodings"), "{err}");
}

#[test]
fn bytes_that_are_not_gb18030_are_refused_with_their_line() {
    let text = format!("{HEADER}\nC005,华丰食品,normal,E001\n");
    let mut csv = encoding_rs::GBK.encode(&text).0.into_owned();
    csv.extend_from_slice(b"C006,\x81\x20,normal,E001\n");
    refused(&csv, "bad-gbk.csv", "--encoding gbk", 3);
    refused(&csv, "bad-gbk.csv", "", 3);
}

#[test]
fn the_reveal_event_names_the_command_but_not_the_data() {
    let env = TestEnv::new().with_registry();
    let out = env.ok("customer show C001 --reveal");
    assert!(out.contains("13912345678"), "{out}");
    let log = env.ok("log --format json");
    assert!(log.contains("privacy.reveal"), "{log}");
    assert!(log.contains("customer show"), "{log}");
    assert!(log.contains("--reveal"), "{log}");
    assert!(!log.contains("C001 --reveal"), "{log}");
    for secret in ["13912345678", "912345678"] {
        assert!(!log.contains(secret), "{secret} in {log}");
    }
}

#[test]
fn json_numbers_that_cannot_be_kept_exactly_and_nul_characters_are_refused() {
    let huge = br#"{"id":"C005","name":"A","tier":"normal","owner":"E001"}
{"id":123456789012345678901234567,"name":"B","tier":"normal","owner":"E001"}
"#;
    let err = refused(huge, "huge.jsonl", "", 2);
    assert!(err.contains("\"id\"") && err.contains("quotes"), "{err}");
    let nul = br#"{"id":"C005","name":"A\u0000B","tier":"normal","owner":"E001"}
"#;
    let err = refused(nul, "nul.jsonl", "", 1);
    assert!(err.contains("NUL"), "{err}");
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "ok.jsonl",
        br#"{"id":12345,"name":"C","tier":"normal","owner":"E001"}
"#,
    );
    env.ok(&format!("import customers {file}"));
    let name: String = env.sql("SELECT name FROM customers WHERE code = '12345'");
    assert_eq!(name, "C");
}
