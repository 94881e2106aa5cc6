//! Printable documents (`-f html`): each, in English and Chinese, is one self-contained A4
//! page with the texts expected, and hostile values in it are shown, never run.

use crate::util::{mode_of, TestEnv};

/// What a customer name, a contact and a complaint carry here.
const HOSTILE: &str = "<script>alert(1)</script>";
const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

/// The registry; E001 (owner of C001, C002 and a hostile C005) leaves on 2026-03-20, E002
/// takes over and may be published; the notices are planned.
fn departure() -> TestEnv {
    let env = TestEnv::new().with_registry();
    env.ok("employee update E002 --phone 13912340002 --publish-consent 2026-01-10");
    env.run("customer add --id C005 --tier key --owner E001 --name")
        .arg(format!("{HOSTILE}食品"))
        .ok();
    env.run("customer update C001 --contact")
        .arg("陈经理<img src=x onerror=alert(2)>")
        .ok();
    env.open_handover(Some("E002"));
    env.ok("notify plan 1");
    env
}

/// `html` is one whole page in `lang`: A4 print CSS inline, nothing fetched, no script, no
/// raw tag from the data, and the tags it opens closed.
fn one_page(html: &str, lang: &str) {
    assert!(
        html.starts_with(&format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">"
        )),
        "{html}"
    );
    assert!(html.ends_with("</body>\n</html>\n"), "{html}");
    assert_eq!(html.matches("<html").count(), 1, "{html}");
    assert_eq!(html.matches("<body>").count(), 1, "{html}");
    assert!(html.contains("@page { size: A4;"), "{html}");
    assert!(html.contains("\"Noto Serif CJK SC\""), "{html}");
    for absent in [
        "http", "<script", "<img", "<link", "<iframe", "url(", "@import",
    ] {
        assert!(!html.contains(absent), "{absent} in {html}");
    }
    for tag in ["table", "section", "svg", "ul", "ol", "p", "blockquote"] {
        let opened =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closed = html.matches(&format!("</{tag}>")).count();
        assert_eq!(opened, closed, "<{tag}> in {html}");
    }
}

#[test]
fn a_letter_prints_with_its_seal_area_and_its_slip_in_both_languages() {
    let env = departure();
    let zh = env.ok("notify render 1 3 -f html --lang zh");
    one_page(&zh, "zh-CN");
    assert!(zh.contains("<title>客户告知函</title>"), "{zh}");
    assert!(zh.contains("<span class=\"seal\">盖章处</span>"), "{zh}");
    assert_eq!(zh.matches("<section class=\"slip\">").count(), 2, "{zh}");
    assert_eq!(zh.matches("class=\"page-break\"").count(), 1, "{zh}");
    assert!(zh.contains("回执") && zh.contains("13912340002"), "{zh}");
    assert!(zh.contains(&format!("致：{ESCAPED}食品")), "{zh}");
    assert!(
        zh.contains("陈经理&lt;img src=x onerror=alert(2)&gt;"),
        "{zh}"
    );
    let (letter, slip) = zh.split_once("<section class=\"slip\">").unwrap();
    assert!(
        letter.contains("联系人") && !letter.contains("回执"),
        "{letter}"
    );
    assert!(
        slip.starts_with("\n<p>（沿此线剪下，签章后寄回）</p>"),
        "{slip}"
    );

    let en = env.ok("notify render 1 -f html --lang en");
    one_page(&en, "en");
    assert!(
        en.contains("<h1>Notice of a change of contact</h1>"),
        "{en}"
    );
    assert!(
        en.contains("<span class=\"seal\">company seal</span>"),
        "{en}"
    );
    assert!(en.contains("ACKNOWLEDGEMENT OF RECEIPT"), "{en}");
}

#[test]
fn letters_go_one_page_per_file_and_all_takes_every_planned_notice() {
    let env = departure();
    let dir = env.path("letters");
    let shown = dir.display();
    env.ok(&format!(
        "notify render --handover 1 --out {shown} -f html --lang zh"
    ));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "notice-1-C001.html",
            "notice-2-C002.html",
            "notice-3-C005.html"
        ]
    );
    let first = dir.join("notice-1-C001.html");
    one_page(&std::fs::read_to_string(&first).unwrap(), "zh-CN");
    #[cfg(unix)]
    assert_eq!(mode_of(&first), 0o600);

    env.ok("notify sent 2 --channel letter");
    let all = env.path("all");
    env.ok(&format!(
        "notify render --all --out {} -f html",
        all.display()
    ));
    let count = std::fs::read_dir(&all).unwrap().count();
    assert_eq!(count, 2, "notice 2 is sent, not planned");
    let err = env.fails("notify render --all", 2);
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn a_template_without_a_cut_line_or_a_seal_marker_prints_as_it_is() {
    let env = departure();
    let template = env.file(
        "ours.md",
        "# 通知\n\n{customer}：自{effective_on}起由{new_contact}对接。\n\n<script>x</script>\n\n---\n\n[官网](https://example.com)\n",
    );
    let html = env.ok(&format!(
        "notify render 1 --template {template} -f html --lang zh"
    ));
    one_page(&html, "zh-CN");
    assert!(
        html.contains("<title>通知</title>") && html.contains("<hr />"),
        "{html}"
    );
    assert!(
        !html.contains("slip") || !html.contains("<section"),
        "{html}"
    );
    assert!(!html.contains("class=\"seal\""), "{html}");
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && html.contains("官网"));
}

#[test]
fn the_handover_statement_and_a_customer_confirmation_print_with_tables_and_signature_lines() {
    let env = departure();
    for (lang, attr, title, internal) in [
        ("en", "en", "HANDOVER STATEMENT No. 1", "INTERNAL"),
        ("zh", "zh-CN", "工作交接说明（第 1 号）", "内部文件"),
    ] {
        let statement = env.ok(&format!("handover show 1 -f html --lang {lang}"));
        one_page(&statement, attr);
        assert!(
            statement.contains(&format!("<h1>{title}</h1>")),
            "{statement}"
        );
        assert!(statement.contains(&format!("<blockquote>\n<p>{internal}")));
        assert!(
            statement.contains("<table><thead>"),
            "a real table: {statement}"
        );
        assert!(
            statement.contains(&format!("C005 {ESCAPED}食品")),
            "{statement}"
        );
        assert!(!statement.contains('┆'), "no text table: {statement}");

        let paper = env.ok(&format!(
            "handover show 1 --customer C005 -f html --lang {lang}"
        ));
        one_page(&paper, attr);
        let (body, signatures) = paper.split_once("<section class=\"signatures\">").unwrap();
        assert!(body.contains(ESCAPED), "{body}");
        assert!(!body.contains("C001") && !body.contains("C002"), "{body}");
        assert_eq!(signatures.matches("<p>").count(), 5, "{signatures}");
        assert!(signatures.contains("<span class=\"blank\""), "{signatures}");
        assert!(signatures.contains("<span class=\"seal\">"), "{signatures}");
        assert!(!signatures.contains("____"), "{signatures}");
    }
    let title = env.ok("handover show 1 --customer C001 -f html --lang zh");
    assert!(title.contains("<title>客户交接确认书</title>"), "{title}");
    let file = env.path("statement.html");
    env.ok(&format!("handover show 1 -f html -o {}", file.display()));
    one_page(&std::fs::read_to_string(file).unwrap(), "en");
}

#[test]
fn a_mediation_paper_and_the_clocks_of_a_complaint_print() {
    let env = TestEnv::new().with_registry();
    env.run("complaint file --customer C001 --received-at '2026-02-24 09:00' --summary")
        .arg(format!("{HOSTILE}墙面开裂"))
        .ok();
    env.ok("complaint accept 1 --at '2026-02-24 10:00'");
    env.ok("complaint resolve 1 --outcome agreement --paper 调解书 --terms 返工 --at '2026-02-25 10:00'");
    for (lang, attr, title, met) in [
        ("en", "en", "MEDIATION AGREEMENT (调解书)", "met: due"),
        ("zh", "zh-CN", "调解书", "达标：时限"),
    ] {
        let paper = env.ok(&format!("complaint show 1 --paper -f html --lang {lang}"));
        one_page(&paper, attr);
        assert!(paper.contains(&format!("<h1>{title}</h1>")), "{paper}");
        assert!(paper.contains(ESCAPED), "{paper}");
        let (_, signatures) = paper.split_once("<section class=\"signatures\">").unwrap();
        let blanks = if lang == "zh" { 10 } else { 6 };
        assert_eq!(
            signatures.matches("<span class=\"blank\"").count(),
            blanks,
            "{signatures}"
        );

        let shown = env.ok(&format!("complaint show 1 -f html --lang {lang}"));
        one_page(&shown, attr);
        assert!(shown.contains("<svg class=\"chart\""), "{shown}");
        assert!(shown.contains(met), "{shown}");
        assert!(shown.contains(ESCAPED), "{shown}");
        assert!(shown.contains("<table>"), "the record: {shown}");
    }
}

#[test]
fn the_roster_and_any_list_print_as_a_page_masked_as_elsewhere() {
    let env = departure();
    let roster = env.ok("notify roster -f html --lang zh");
    one_page(&roster, "zh-CN");
    assert!(roster.contains("客户对接人公示</title>"), "{roster}");
    assert!(roster.contains("<td>李娜</td>") && roster.contains("13912340002"));
    let roster = env.ok("notify roster -f html --lang en");
    one_page(&roster, "en");
    assert!(roster.contains("<th>Work phone</th>"), "{roster}");

    let list = env.ok("customer list -f html");
    one_page(&list, "en");
    assert!(
        list.contains("139****5678") && !list.contains("13912345678"),
        "{list}"
    );
    assert!(list.contains(ESCAPED), "{list}");
    let revealed = env.ok("customer list -f html --reveal");
    assert!(revealed.contains("13912345678"), "{revealed}");
    let record = env.ok("customer show C001 -f html --lang zh");
    one_page(&record, "zh-CN");
    assert!(record.contains("139****5678"), "{record}");
}
