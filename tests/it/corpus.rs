//! A corpus of broken files, each fed to the command that reads such files: every one is
//! refused with a clear error (exit 2 or 4, never a panic) and changes nothing.

use crate::util::TestEnv;

const FOOD_LAB: &str = "91320500MA1MXX0Q17";

/// (what it is, file name, content, command reading it; `{}` stands for the file's path)
const CORPUS: &[(&str, &str, &[u8], &str)] = &[
    ("ragged CSV row", "ragged.csv", b"id,name,tier,owner\nC900,x,core\n", "import customers {}"),
    ("unterminated quote", "quote.csv", b"id,name,tier,owner\nC900,\"x,core,E001\n", "import customers {}"),
    ("binary bytes", "noise.csv", b"\x00\x9f\xff\xfe\x01PK\x03\x04\xc3\x28", "import customers {}"),
    ("header only, unknown column", "unknown.csv", b"id,name,tier,boss\n", "import customers {}"),
    ("truncated JSON", "cut.json", b"[{\"id\": \"C900\", \"name\": \"x\"", "import customers {}"),
    ("JSON object, not an array", "object.json", b"{\"id\": \"C900\"}", "import customers {}"),
    ("JSON Lines with a broken line", "lines.jsonl", b"{\"id\":\"C900\",\"name\":\"x\",\"tier\":\"core\",\"owner\":\"E001\"}\n{oops\n", "import customers {}"),
    ("JSON with wrong types", "types.json", b"[{\"id\": 5, \"name\": [1], \"tier\": true, \"owner\": null}]", "import customers {}"),
    ("broken TOML config", "config.toml", b"[sla\naccept = ", "status --config {}"),
    ("config value of the wrong type", "typed.toml", b"[notify]\nlead_days = \"three\"\n", "status --config {}"),
    ("broken answers file", "answers.toml", b"P1 = yes please\n", "checklist run --answers {}"),
    ("answers of the wrong shape", "shape.toml", b"P1 = { answer = 3 }\n", "checklist run --answers {}"),
    ("broken checklist template", "template.toml", b"id = \"t\"\n[[items]\n", "checklist show --template {}"),
    ("template item without weight", "noweight.toml", b"id = \"t\"\nversion = 1\ntitle = { zh = \"t\", en = \"t\" }\n[[dimensions]]\nid = \"d\"\ntitle = { zh = \"d\", en = \"d\" }\n[[items]]\nid = \"P1\"\ndimension = \"d\"\nquestion = { zh = \"q\", en = \"q\" }\nadvice = { zh = \"a\", en = \"a\" }\n", "checklist show --template {}"),
    ("letter template with an unknown placeholder", "letter.md", b"Dear {customer}, {salary}", "notify render 2 --template {}"),
];

#[test]
fn every_broken_file_is_refused_clearly_and_changes_nothing() {
    let env = TestEnv::new();
    env.ok("demo");
    let events: i64 = env.sql("SELECT count(*) FROM events");
    for (what, name, content, command) in CORPUS {
        let path = env.file(name, content);
        let line = format!("{} -c {FOOD_LAB}", command.replace("{}", &path));
        let out = env.run(&line).output();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(2 | 4)),
            "{what}: {line} exited {:?}\n{stderr}",
            out.status.code()
        );
        assert!(stderr.starts_with("error: "), "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    }
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM events"),
        events,
        "nothing was written"
    );
    env.ok("log --verify");
}
