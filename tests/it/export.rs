//! CSV exports written straight from the rows keep the bytes the JSON path wrote: the
//! files under `export/` are the exports of the demo database as the JSON path wrote them
//! (re-made when the demo's own data changes, e.g. full-width punctuation in its names).

use crate::util::TestEnv;

#[test]
fn csv_exports_of_the_demo_database_keep_their_bytes() {
    let env = TestEnv::new();
    env.ok("demo");
    for (line, expected) in [
        ("customer list", include_str!("export/customers.csv")),
        (
            "customer list --reveal --bom",
            include_str!("export/customers-revealed.csv"),
        ),
        (
            "customer list --at-risk -c 91320500MA1MXX0Q17",
            include_str!("export/at-risk.csv"),
        ),
        ("employee list", include_str!("export/employees.csv")),
        ("credit list", include_str!("export/credit.csv")),
        ("company list", include_str!("export/companies.csv")),
    ] {
        assert_eq!(env.ok(&format!("-f csv {line}")), expected, "{line}");
    }
}

#[test]
fn formula_text_is_neutralised_and_personal_fields_masked_in_a_csv_export() {
    let env = TestEnv::new().with_registry();
    env.ok("customer add --id C9 --name =HYPERLINK(1) --tier key --owner E001 --phone 13812345678 --contact @x");
    let csv = env.ok("-f csv customer list");
    let row = csv.lines().find(|l| l.starts_with("C9,")).unwrap();
    assert_eq!(row, "C9,'=HYPERLINK(1),key,E001,,'@x,138****5678,,,active");
    let json = env.json("-f json customer list");
    let c9 = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "C9")
        .unwrap();
    assert_eq!(
        (&c9["name"], &c9["phone"]),
        (&"=HYPERLINK(1)".into(), &"138****5678".into())
    );
    let revealed = env.ok("-f csv customer list --reveal");
    assert!(
        revealed.contains("C9,'=HYPERLINK(1),key,E001,,'@x,13812345678,,,active"),
        "{revealed}"
    );
}
