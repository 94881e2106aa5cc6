//! The printable documents as people see them: each page written by baton (`-f html`) is
//! printed to PDF by headless Chromium (Debian's `/usr/bin/chromium`, no network), then read
//! back with poppler (`pdfinfo`, `pdftotext`): the number of pages, the text, every page A4
//! and every word inside its page's printable area.
//!
//! Where Chromium or poppler is missing the test says so and passes, except in CI (`CI`
//! set), where a missing tool fails it.

use std::path::Path;
use std::process::Command;

use crate::tour::demo;
use crate::util::TestEnv;

const CHROMIUM: &str = "/usr/bin/chromium";

/// A4 in PostScript points, and how far a printed size may differ from it.
const A4: (f64, f64) = (595.28, 841.89);
const A4_SLACK: f64 = 1.5;

/// The smallest margin any page has (10 mm): a word closer to the left edge started off
/// its text box.
const MARGIN: f64 = 28.3;

/// How far past the right margin a word may end (rounding of the boxes).
const MARGIN_SLACK: f64 = 1.0;

/// Chromium sets a full-width punctuation mark that ends a line in half its width (CSS
/// `text-spacing-trim`), where poppler counts the whole: a word ending in one may end half
/// an em further, up to a heading's (18 pt).
const TRIMMED: f64 = 9.0;

/// Full-width punctuation whose blank half Chromium trims at the end of a line.
const TRIMMABLE: &str = "）」』】》〉，。、；：！？";

/// A word of the PDF and its box, in points from the page's top left corner.
#[derive(Debug)]
pub struct Word {
    pub text: String,
    pub page: usize,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
}

/// A printed document.
#[derive(Debug)]
pub struct Pdf {
    pub pages: usize,
    /// Every page's width and height, in points.
    pub sizes: Vec<(f64, f64)>,
    /// The text as laid out (`pdftotext -layout`).
    pub text: String,
    pub words: Vec<Word>,
}

impl Pdf {
    /// Pages that are not A4 and words not inside their page's printable area, as lines
    /// to show; none when the document fits. Chromium clips what runs off the right of the
    /// text box (a table too wide, a long word), so a page's margins are taken as equal: the
    /// leftmost word's start is the left margin, and no word may end further right than
    /// the width less that margin.
    pub fn overflows(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (n, (w, h)) in self.sizes.iter().enumerate() {
            if (w - A4.0).abs() > A4_SLACK || (h - A4.1).abs() > A4_SLACK {
                found.push(format!("page {}: {w} x {h} pt is not A4", n + 1));
            }
        }
        let left = self
            .words
            .iter()
            .map(|w| w.x_min)
            .fold(f64::INFINITY, f64::min);
        for word in &self.words {
            let Some((w, h)) = self.sizes.get(word.page) else {
                continue;
            };
            let trimmed = word.text.ends_with(|c| TRIMMABLE.contains(c));
            let slack = MARGIN_SLACK + if trimmed { TRIMMED } else { 0.0 };
            if word.x_min < MARGIN
                || word.y_min < 0.0
                || word.x_max > w - left + slack
                || word.y_max > *h
            {
                let (text, page) = (&word.text, word.page + 1);
                let (x, y) = ((word.x_min, word.x_max), (word.y_min, word.y_max));
                found.push(format!(
                    "page {page}: {text:?} at x {x:?}, y {y:?} is outside the printable area"
                ));
            }
        }
        found
    }

    /// The text with every run of white space made one space, for phrases that a layout
    /// may break across lines or columns.
    pub fn flat(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Asserts the document fits A4, has between `pages.0` and `pages.1` pages and
    /// contains every phrase of `phrases` (white space ignored).
    pub fn check(&self, what: &str, pages: (usize, usize), phrases: &[&str]) {
        let overflows = self.overflows();
        assert!(
            overflows.is_empty(),
            "{what}: {}\n{}",
            overflows.join("\n"),
            self.text
        );
        assert!(
            (pages.0..=pages.1).contains(&self.pages),
            "{what}: {} pages, expected {pages:?}\n{}",
            self.pages,
            self.text
        );
        let squeezed: String = self.text.split_whitespace().collect();
        for phrase in phrases {
            let wanted: String = phrase.split_whitespace().collect();
            assert!(
                squeezed.contains(&wanted),
                "{what}: {phrase:?} not in the PDF's text:\n{}",
                self.text
            );
        }
    }
}

/// Whether `program` runs (`program -v`).
fn runs(program: &str) -> bool {
    Command::new(program).arg("-v").output().is_ok()
}

/// `html` printed to PDF by headless Chromium and read back; `None`, after saying so,
/// where Chromium or poppler is missing (a failure in CI).
pub fn print_to_pdf(html: &Path) -> Option<Pdf> {
    let missing: Vec<&str> = [
        (CHROMIUM, Path::new(CHROMIUM).exists()),
        ("pdfinfo", runs("pdfinfo")),
        ("pdftotext", runs("pdftotext")),
    ]
    .into_iter()
    .filter(|(_, there)| !there)
    .map(|(tool, _)| tool)
    .collect();
    if !missing.is_empty() {
        let missing = missing.join(", ");
        assert!(
            std::env::var_os("CI").is_none(),
            "{missing} missing: CI must print the documents (apt-get install chromium poppler-utils)"
        );
        eprintln!("skipped: {missing} missing, {} not printed", html.display());
        return None;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let pdf = work.path().join("out.pdf");
    let html = std::fs::canonicalize(html).expect("the page exists");
    let output = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .output()
        .expect("run chromium");
    assert!(
        output.status.success() && pdf.exists(),
        "chromium did not print {}: {}",
        html.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let info = poppler("pdfinfo", &pdf, &[]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"));
    let text = poppler("pdftotext", &pdf, &["-layout"]);
    let (sizes, words) = boxes(&poppler("pdftotext", &pdf, &["-bbox"]));
    assert_eq!(sizes.len(), pages, "pdfinfo and pdftotext -bbox agree");
    Some(Pdf {
        pages,
        sizes,
        text,
        words,
    })
}

/// `program OPTIONS PDF -` (the text to stdout; `pdfinfo` takes no `-`).
fn poppler(program: &str, pdf: &Path, options: &[&str]) -> String {
    let mut command = Command::new(program);
    command.args(options).arg(pdf);
    if program != "pdfinfo" {
        command.arg("-");
    }
    let output = command.output().expect(program);
    assert!(
        output.status.success(),
        "{program} {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 from poppler")
}

/// The value of `name="…"` in a line of `pdftotext -bbox`.
fn attribute(line: &str, name: &str) -> Option<f64> {
    let key = format!("{name}=\"");
    let from = line.find(&key)? + key.len();
    line[from..from + line[from..].find('"')?].parse().ok()
}

/// The pages' sizes and the words' boxes of `pdftotext -bbox`'s output.
fn boxes(bbox: &str) -> (Vec<(f64, f64)>, Vec<Word>) {
    let (mut sizes, mut words) = (Vec::new(), Vec::new());
    for line in bbox.lines().map(str::trim) {
        if line.starts_with("<page ") {
            let size = (attribute(line, "width"), attribute(line, "height"));
            sizes.push((size.0.expect(line), size.1.expect(line)));
        } else if line.starts_with("<word ") {
            let text = line
                .split_once('>')
                .and_then(|(_, rest)| rest.strip_suffix("</word>"))
                .unwrap_or_default();
            words.push(Word {
                text: text.to_string(),
                page: sizes.len().saturating_sub(1),
                x_min: attribute(line, "xMin").expect(line),
                y_min: attribute(line, "yMin").expect(line),
                x_max: attribute(line, "xMax").expect(line),
                y_max: attribute(line, "yMax").expect(line),
            });
        }
    }
    (sizes, words)
}

#[test]
fn the_harness_sees_pages_text_and_a_table_wider_than_a4() {
    let env = TestEnv::new();
    let cells = "<td>核心客户名单与备份对接人</td>".repeat(12);
    let page = env.file(
        "wide.html",
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>@page {{ size: A4; margin: 20mm; }} td {{ white-space: nowrap; }}</style></head>\
             <body><h1>宽表 wide</h1><table><tr>{cells}</tr></table>\
             <div style=\"break-before: page\">second page</div></body></html>"
        ),
    );
    let Some(pdf) = print_to_pdf(Path::new(&page)) else {
        return;
    };
    assert_eq!(pdf.pages, 2, "{}", pdf.text);
    assert!(pdf.flat().contains("宽表 wide"), "{}", pdf.text);
    assert!(pdf.text.contains("second page"), "{}", pdf.text);
    let overflows = pdf.overflows();
    assert!(
        overflows.iter().any(|o| o.contains("核心客户")),
        "the wide table runs off the page: {overflows:?}"
    );
    assert!(
        !overflows.iter().any(|o| o.contains("not A4")),
        "{overflows:?}"
    );
}
/// `baton LINE -f html -o NAME` in `env`, printed.
fn printed(env: &TestEnv, line: &str, name: &str) -> Option<Pdf> {
    let path = env.path(name);
    env.ok(&format!("{line} -f html -o {}", path.display()));
    let html = std::fs::read_to_string(&path).expect("the page is written");
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && !html.contains("http://")
            && !html.contains("https://"),
        "a self-contained page: {html}"
    );
    print_to_pdf(&path)
}

#[test]
fn the_self_check_report_prints_on_a4_in_english_and_chinese() {
    let env = demo();
    let report = env.json("checklist report 2");
    let score = format!("{:.1}", report["score"].as_f64().expect("a score"));
    let first_gap = report["gaps"][0]["item"]
        .as_str()
        .expect("a gap")
        .to_string();
    let Some(en) = printed(&env, "checklist report 2", "report-en.html") else {
        return;
    };
    en.check(
        "self-check report (en)",
        (3, 6),
        &[
            "Self-check report",
            "Scores by dimension",
            "Score history",
            "Remediation plan",
            &score,
            &first_gap,
        ],
    );
    let zh = printed(&env, "checklist report 2 --lang zh", "report-zh.html").expect("printed");
    zh.check(
        "self-check report (zh)",
        (3, 6),
        &[
            "自查报告",
            "各维度得分",
            "得分变化",
            "整改计划",
            &score,
            &first_gap,
        ],
    );
}

#[test]
fn the_notice_letter_prints_with_its_seal_area_and_slip() {
    let env = demo();
    let Some(en) = printed(&env, "notify render 2", "letter-en.html") else {
        return;
    };
    en.check(
        "letter (en)",
        (1, 2),
        &[
            "Notice of a change of contact",
            "company seal",
            "ACKNOWLEDGEMENT OF RECEIPT",
        ],
    );
    let zh = printed(&env, "notify render 2 --lang zh", "letter-zh.html").expect("printed");
    zh.check("letter (zh)", (1, 2), &["客户告知函", "盖章处", "回执"]);
}

#[test]
fn the_contact_roster_prints_on_one_sheet() {
    let env = demo();
    let roster = "notify roster -c 91110108MA01GLXX35";
    let Some(en) = printed(&env, roster, "roster-en.html") else {
        return;
    };
    en.check(
        "roster (en)",
        (1, 1),
        &["customer contacts", "Changes of contact"],
    );
    let zh = printed(&env, &format!("{roster} --lang zh"), "roster-zh.html").expect("printed");
    zh.check("roster (zh)", (1, 1), &["客户对接人公示", "对接人变更"]);
}

#[test]
fn the_handover_statement_and_a_customer_confirmation_print_on_a4() {
    let env = demo();
    let Some(en) = printed(&env, "handover show 1", "statement-en.html") else {
        return;
    };
    en.check(
        "handover statement (en)",
        (1, 4),
        &["HANDOVER STATEMENT No. 1", "Customers", "Documents", "C003"],
    );
    let zh = printed(&env, "handover show 1 --lang zh", "statement-zh.html").expect("printed");
    zh.check(
        "handover statement (zh)",
        (1, 4),
        &["工作交接说明（第 1 号）", "内部文件", "C003"],
    );
    let customer = "handover show 1 --customer C001";
    let en = printed(&env, customer, "confirmation-en.html").expect("printed");
    en.check(
        "handover confirmation (en)",
        (1, 1),
        &["HANDOVER CONFIRMATION", "Received by", "company seal"],
    );
    let zh = printed(
        &env,
        &format!("{customer} --lang zh"),
        "confirmation-zh.html",
    )
    .expect("printed");
    zh.check(
        "handover confirmation (zh)",
        (1, 1),
        &["客户交接确认书", "接收人（签字）", "盖章处"],
    );
}

#[test]
fn the_mediation_paper_prints_on_one_sheet() {
    let env = demo();
    let Some(en) = printed(&env, "complaint show 2 --paper", "paper-en.html") else {
        return;
    };
    en.check(
        "mediation paper (en)",
        (1, 1),
        &[
            "MEDIATION AGREEMENT",
            "Agreed terms",
            "Mediator (signature)",
        ],
    );
    let zh = printed(&env, "complaint show 2 --paper --lang zh", "paper-zh.html").expect("printed");
    zh.check(
        "mediation paper (zh)",
        (1, 1),
        &["调解书", "调解经过", "调解结果"],
    );
}

#[test]
fn a_complaint_prints_with_the_timeline_of_its_clocks() {
    let env = demo();
    let Some(en) = printed(&env, "complaint show 2", "complaint-en.html") else {
        return;
    };
    en.check(
        "complaint (en)",
        (1, 3),
        &["complaint 2", "Clocks", "met: due 2026-02-19 10:00"],
    );
    let zh = printed(&env, "complaint show 2 --lang zh", "complaint-zh.html").expect("printed");
    zh.check(
        "complaint (zh)",
        (1, 3),
        &["会计离职交接不清", "2026-02-19 10:00"],
    );
}
