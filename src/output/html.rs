//! Printable pages (`-f html`): one self-contained HTML document, A4 print CSS inline,
//! Chinese fonts by family name with fallbacks, and nothing fetched (no font, script, image
//! or link). A page is built from Markdown sections, which carry user data and so have any
//! raw HTML in them escaped and their links reduced to their text, and from fragments baton
//! builds itself (a chart), which are trusted as they are.
//!
//! In a Markdown section a line of the source is a line on paper, a run of four or more
//! `_` is a blank to write on (a signature line) and the seal marker `（盖章处）` or
//! `(company seal)` is the area where the company stamps.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::i18n::Lang;

/// The style of every page: A4, margins for a printer, CJK serif fonts installed on the
/// reader's machine, tables that wrap long values instead of running off the page.
const STYLE: &str = r#"@page { size: A4; margin: 20mm 18mm 20mm 18mm; }
html { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "STSong", serif; font-size: 11pt; line-height: 1.6; color: #000; background: #fff; }
body { margin: 0 auto; max-width: 174mm; overflow-wrap: anywhere; }
@media screen { body { padding: 12mm 0; } }
h1 { font-size: 17pt; text-align: center; margin: 0 0 1em; }
h2 { font-size: 13pt; margin: 1.2em 0 0.4em; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1em 0 0.3em; break-after: avoid; page-break-after: avoid; }
p, li { orphans: 2; widows: 2; }
table { width: 100%; max-width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0.5em 0; font-size: 9.5pt; line-height: 1.4; }
th, td { border: 0.5pt solid #444; padding: 2pt 4pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
pre, code { font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote { margin: 0 0 1em; padding: 0.3em 0.8em; border: 1pt solid #000; font-weight: bold; }
svg { max-width: 100%; height: auto; }
.page-break { break-after: page; page-break-after: always; height: 0; }
.keep, .slip, .signatures { break-inside: avoid; page-break-inside: avoid; }
.slip { border-top: 1pt dashed #000; margin-top: 1.5em; padding-top: 0.3em; }
.slip > p:first-child { text-align: center; font-size: 9pt; margin-top: 0; }
.signatures p { margin: 1.4em 0; }
.blank { display: inline-block; border-bottom: 0.75pt solid #000; height: 1.2em; vertical-align: bottom; }
.seal { display: inline-block; width: 40mm; height: 40mm; line-height: 40mm; border: 1pt dashed #888; border-radius: 50%; text-align: center; color: #888; font-size: 9pt; margin: -7mm 0 -7mm 6mm; vertical-align: middle; }
"#;

/// The seal markers of the documents and their templates, and what the area says.
const SEALS: [(&str, &str); 2] = [("（盖章处）", "盖章处"), ("(company seal)", "company seal")];

/// How many `_` in a row make a blank to write on.
const BLANK_RUN: usize = 4;

/// A part of a page that has its own print rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Kept on one page.
    Keep,
    /// A slip cut off and returned (回执): a dashed cut line above, its first paragraph
    /// (the "cut here" line) small and centred, kept on one page.
    Slip,
    /// Lines people sign on, well spaced, kept on one page.
    Signatures,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Keep => "keep",
            Class::Slip => "slip",
            Class::Signatures => "signatures",
        }
    }
}

/// One printable HTML document being built.
#[derive(Debug, Clone)]
pub struct Page {
    title: String,
    lang: Lang,
    body: String,
}

impl Page {
    /// An empty page titled `title` (the browser's tab, the PDF's title), in `lang`.
    pub fn new(title: &str, lang: Lang) -> Page {
        Page {
            title: title.to_string(),
            lang,
            body: String::new(),
        }
    }

    /// A page of one Markdown text, titled by its first heading (else `baton`).
    pub fn of_markdown(markdown: &str, lang: Lang) -> Page {
        let mut page = Page::new(title_of(markdown).unwrap_or("baton"), lang);
        page.markdown(markdown);
        page
    }

    /// Adds Markdown (user data in it included): raw HTML is escaped, links and images
    /// become their text.
    pub fn markdown(&mut self, markdown: &str) -> &mut Page {
        self.body.push_str(&render(markdown));
        self
    }

    /// Adds Markdown in a part with its own print rules ([`Class`]).
    pub fn section(&mut self, class: Class, markdown: &str) -> &mut Page {
        let _ = write!(
            self.body,
            "<section class=\"{}\">\n{}</section>\n",
            class.name(),
            render(markdown)
        );
        self
    }

    /// Adds HTML that baton built itself (an SVG chart), as it is; any text from the user
    /// in it must have gone through [`escape`].
    pub fn trusted(&mut self, html: &str) -> &mut Page {
        self.body.push_str(html);
        self.body.push('\n');
        self
    }

    /// What follows starts on a new sheet.
    pub fn page_break(&mut self) -> &mut Page {
        self.body.push_str("<div class=\"page-break\"></div>\n");
        self
    }

    /// The whole document.
    pub fn finish(&self) -> String {
        let lang = match self.lang {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
            escape(&self.title),
            self.body
        )
    }
}

/// Text made safe to put in HTML, in an element or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of the first `# ` heading of a Markdown text.
pub fn title_of(markdown: &str) -> Option<&str> {
    markdown
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(str::trim)
        .filter(|title| !title.is_empty())
}

/// Markdown as HTML: raw HTML escaped, links and images as their text, a line break where
/// the source has one, blanks and seal areas drawn.
fn render(markdown: &str) -> String {
    let source = escape_blanks(markdown);
    let mut events: Vec<Event> = Vec::new();
    let mut text = String::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(&source, options) {
        match event {
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => text.push_str(&t),
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::HtmlBlock)
            | Event::End(TagEnd::Link | TagEnd::Image | TagEnd::HtmlBlock) => {}
            other => {
                if !text.is_empty() {
                    events.push(Event::Html(decorate(&std::mem::take(&mut text)).into()));
                }
                events.push(match other {
                    Event::SoftBreak => Event::HardBreak,
                    other => other,
                });
            }
        }
    }
    if !text.is_empty() {
        events.push(Event::Html(decorate(&text).into()));
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Runs of [`BLANK_RUN`] or more `_` escaped, so that Markdown reads them as text, not
/// as emphasis.
fn escape_blanks(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut run = 0;
    let flush = |out: &mut String, run: usize| {
        let piece = if run >= BLANK_RUN { "\\_" } else { "_" };
        (0..run).for_each(|_| out.push_str(piece));
    };
    for c in markdown.chars() {
        if c == '_' {
            run += 1;
            continue;
        }
        flush(&mut out, run);
        run = 0;
        out.push(c);
    }
    flush(&mut out, run);
    out
}

/// Text as HTML: escaped, its runs of `_` drawn as blanks as long, its seal marker as the
/// seal area, its runs of spaces kept (the gap between a signature and its date).
fn decorate(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let blank = rest
            .find("_".repeat(BLANK_RUN).as_str())
            .map(|at| (at, "_"));
        let seal = SEALS
            .iter()
            .filter_map(|(marker, _)| rest.find(marker).map(|at| (at, *marker)))
            .min();
        let Some((at, found)) = [blank, seal].into_iter().flatten().min() else {
            out.push_str(&spaced(rest));
            break;
        };
        out.push_str(&spaced(&rest[..at]));
        if found == "_" {
            let run = rest[at..].len() - rest[at..].trim_start_matches('_').len();
            let _ = write!(
                out,
                "<span class=\"blank\" style=\"width: {:.1}em\"></span>",
                run as f32 / 2.0
            );
            rest = &rest[at + run..];
        } else {
            let says = SEALS
                .iter()
                .find(|(marker, _)| *marker == found)
                .map_or("", |(_, says)| *says);
            let _ = write!(out, "<span class=\"seal\">{says}</span>");
            rest = &rest[at + found.len()..];
        }
    }
    out
}

/// Text escaped, with two spaces in a row kept as no-break spaces (HTML would make one).
fn spaced(text: &str) -> String {
    escape(text).replace("  ", "\u{a0}\u{a0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_one_self_contained_a4_document() {
        let mut page = Page::new("告知函 <1>", Lang::Zh);
        page.markdown("# 标题\n\n正文")
            .page_break()
            .trusted("<svg viewBox=\"0 0 10 10\"></svg>");
        let html = page.finish();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
            "{html}"
        );
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<title>告知函 &lt;1&gt;</title>"));
        assert!(html.contains("@page { size: A4;"));
        assert!(html.contains("\"Noto Serif CJK SC\""));
        assert!(html.contains("table-layout: fixed"));
        assert!(html.contains("<h1>标题</h1>"));
        assert!(html.contains("class=\"page-break\""));
        assert!(html.contains("<svg viewBox"));
        assert!(html.trim_end().ends_with("</html>"));
        assert!(!html.contains("http"), "nothing fetched: {html}");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<link"));
        assert!(Page::new("x", Lang::En)
            .finish()
            .contains("<html lang=\"en\">"));
    }

    #[test]
    fn raw_html_and_links_in_markdown_are_not_passed_through() {
        let hostile = "# <script>alert(1)</script>\n\n<script>alert(2)</script>\n\n客户 <img src=x onerror=alert(3)> [点此](https://evil.example/) ![x](http://evil.example/a.png) <https://evil.example/>\n\n| a | b |\n|---|---|\n| <b onclick=x> | `<i>` |\n";
        let html = Page::of_markdown(hostile, Lang::Zh).finish();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("<i>"), "{html}");
        assert!(!html.contains("href"), "{html}");
        assert!(!html.contains("=\"http"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
        assert!(html.contains("点此"), "a link keeps its text: {html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn lines_blanks_and_seal_areas() {
        let html = render("甲方（盖章处）\n日期：____年__月\n签字：________________ 完 a_b");
        assert!(
            html.contains("甲方<span class=\"seal\">盖章处</span><br />"),
            "{html}"
        );
        assert!(
            html.contains("日期：<span class=\"blank\" style=\"width: 2.0em\"></span>年__月"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"blank\" style=\"width: 8.0em\"></span> 完 a_b"),
            "{html}"
        );
        assert!(render("a    b").contains("a\u{a0}\u{a0}\u{a0}\u{a0}b"));
        assert!(
            render("Acme (company seal)").contains("Acme <span class=\"seal\">company seal</span>")
        );
        let slip = {
            let mut page = Page::new("x", Lang::En);
            page.section(Class::Slip, "cut here\n\nRECEIPT");
            page.finish()
        };
        assert!(
            slip.contains("<section class=\"slip\">\n<p>cut here</p>"),
            "{slip}"
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(title_of("text\n# 告知函 \n# b"), Some("告知函"));
        assert_eq!(title_of("no heading"), None);
    }

    proptest::proptest! {
        #[test]
        fn no_markdown_gives_a_tag_it_did_not_write(text in "\\PC*") {
            let html = render(&text);
            proptest::prop_assert!(!html.contains("<script"));
            proptest::prop_assert!(!html.contains("<a "));
        }
    }
}
