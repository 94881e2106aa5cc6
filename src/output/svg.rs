//! Charts drawn as inline SVG for the printable pages: a radar of scores per dimension, a
//! line of scores over time, and a timeline of deadlines (a complaint's clocks). Pure functions from numbers and labels to markup: no fonts,
//! images or scripts fetched, every label escaped.

use std::fmt::Write as _;

use super::html::escape;

/// One axis of a radar chart: its label and its score (0-100), `None` when nothing on it
/// was scored.
#[derive(Debug, Clone, Copy)]
pub struct Axis<'a> {
    pub label: &'a str,
    pub score: Option<f64>,
}

/// One point of a line chart: the label under it (a date) and its score (0-100).
#[derive(Debug, Clone, Copy)]
pub struct Point<'a> {
    pub label: &'a str,
    pub score: f64,
}

/// How a bar of a timeline is marked (its result is also in its words, for a grey printer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
}

/// Where a bar's mark stands, as a part (0-1) of the timeline's span: where its action was
/// done (a filled dot) or, while it is not, where things stand now (a hollow one).
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub at: f64,
    pub done: bool,
}

/// One row of a timeline: its label, the end of its bar (its deadline, as a part of the
/// span; `None` while its clock has not started), its mark, its tone and its words.
#[derive(Debug, Clone, Copy)]
pub struct Bar<'a> {
    pub label: &'a str,
    pub due: Option<f64>,
    pub mark: Option<Mark>,
    pub tone: Tone,
    pub words: &'a str,
}

/// The size of the radar's drawing and where its centre is.
const RADAR_WIDTH: f64 = 560.0;
const RADAR_HEIGHT: f64 = 420.0;
const RADAR_CX: f64 = 280.0;
const RADAR_CY: f64 = 215.0;
const RADAR_R: f64 = 140.0;

/// The grid rings of a radar, in points of 100.
const RINGS: [f64; 5] = [20.0, 40.0, 60.0, 80.0, 100.0];

/// A label line is wrapped after this many characters (at a space), so that a long English
/// dimension stays inside the drawing.
const LABEL_LINE: usize = 18;

/// A number for an attribute: one decimal, no `-0.0`.
fn num(x: f64) -> String {
    let x = (x * 10.0).round() / 10.0;
    if x == 0.0 {
        "0".to_string()
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// A score clamped to 0-100 (a missing score is drawn at the centre).
fn clamp(score: Option<f64>) -> f64 {
    score
        .filter(|s| s.is_finite())
        .unwrap_or(0.0)
        .clamp(0.0, 100.0)
}

/// A score as printed next to its point: `73.5`, `100`, or `-` when there is none.
fn shown(score: Option<f64>) -> String {
    match score {
        Some(s) if s.is_finite() => num(s),
        _ => "-".to_string(),
    }
}

/// Where `score` lands on axis `i` of `n`: the first axis points up, the others follow
/// clockwise.
fn radar_point(i: usize, n: usize, score: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    let r = RADAR_R * score / 100.0;
    (RADAR_CX + r * angle.cos(), RADAR_CY + r * angle.sin())
}

/// Lines of at most [`LABEL_LINE`] characters, broken at spaces (a longer word stays whole).
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LABEL_LINE => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A `<text>` of one or more lines at (`x`, `y`), the first line's baseline at `y`.
fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, lines: &[String]) {
    let (x, y) = (num(x), num(y));
    let _ = write!(
        out,
        r#"<text x="{x}" y="{y}" text-anchor="{anchor}" class="{class}">"#
    );
    for (n, line) in lines.iter().enumerate() {
        let dy = if n == 0 { "0" } else { "1.2em" };
        let _ = write!(out, r#"<tspan x="{x}" dy="{dy}">{}</tspan>"#, escape(line));
    }
    out.push_str("</text>");
}

/// The opening tag of a chart, for a page in HTML (no namespace needed): its size as a view
/// box, scaled to the page's width, its description for screen readers, and its style, which
/// reaches only inside charts (`.chart`).
fn open(out: &mut String, width: f64, height: f64, title: &str) {
    let (w, h) = (num(width), num(height));
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px" role="img" aria-label="{title}"><title>{title}</title>"#,
        title = escape(title)
    );
    out.push_str(
        "<style>.chart .grid{fill:none;stroke:#bbb;stroke-width:1}\
         .chart .axis{stroke:#999;stroke-width:1}\
         .chart .area{fill:rgba(30,90,160,.25);stroke:#1e5aa0;stroke-width:2}\
         .chart .line{fill:none;stroke:#1e5aa0;stroke-width:2}.chart .dot{fill:#1e5aa0}\
         .chart text{font-size:13px;fill:#222}.chart .tick{font-size:11px;fill:#777}\
         .chart .value{font-size:12px;font-weight:bold;fill:#1e5aa0}\
         .chart .bar{stroke:#bbb;stroke-width:6}.chart .due{stroke:#000;stroke-width:1.5}\
         .chart .good{fill:#1a7f37;stroke:#1a7f37}.chart .bad{fill:#c62828;stroke:#c62828}\
         .chart .neutral{fill:#777;stroke:#777}.chart .now{fill:#fff;stroke-width:2}\
         .chart text.good,.chart text.bad,.chart text.neutral{stroke:none}\
         .chart .tick,.chart .value{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}</style>",
    );
}

/// A radar chart of scores (0-100) per axis: grid rings at 20, 40, 60, 80 and 100, the
/// scores as a filled polygon with each value at its point, the labels around. At least
/// three axes make a polygon; fewer are drawn as spokes all the same.
pub fn radar(title: &str, axes: &[Axis]) -> String {
    let n = axes.len().max(1);
    let mut out = String::new();
    open(&mut out, RADAR_WIDTH, RADAR_HEIGHT, title);
    let polygon = |score: &dyn Fn(usize) -> f64| {
        (0..n)
            .map(|i| {
                let (x, y) = radar_point(i, n, score(i));
                format!("{},{}", num(x), num(y))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    for ring in RINGS {
        let _ = write!(
            out,
            r#"<polygon class="grid" points="{}"/>"#,
            polygon(&|_| ring)
        );
        let (x, y) = radar_point(0, n, ring);
        text(&mut out, x - 4.0, y + 4.0, "end", "tick", &[num(ring)]);
    }
    for i in 0..n {
        let (x, y) = radar_point(i, n, 100.0);
        let _ = write!(
            out,
            r#"<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            num(RADAR_CX),
            num(RADAR_CY),
            num(x),
            num(y)
        );
    }
    let _ = write!(
        out,
        r#"<polygon class="area" points="{}"/>"#,
        polygon(&|i| clamp(axes.get(i).and_then(|a| a.score)))
    );
    for (i, axis) in axes.iter().enumerate() {
        let (x, y) = radar_point(i, n, clamp(axis.score));
        let _ = write!(
            out,
            r#"<circle class="dot" cx="{}" cy="{}" r="3.5"/>"#,
            num(x),
            num(y)
        );
        text(
            &mut out,
            x + 6.0,
            y - 6.0,
            "start",
            "value",
            &[shown(axis.score)],
        );
        let (lx, ly) = radar_point(i, n, 100.0 + 16.0 * 100.0 / RADAR_R);
        let lines = wrap(axis.label);
        let dx = lx - RADAR_CX;
        let anchor = if dx.abs() < 1.0 {
            "middle"
        } else if dx > 0.0 {
            "start"
        } else {
            "end"
        };
        let above = (lines.len().max(1) - 1) as f64 * 15.6;
        let y = if ly < RADAR_CY - 1.0 {
            ly - above
        } else if ly > RADAR_CY + 1.0 {
            ly + 12.0
        } else {
            ly + 4.0
        };
        text(&mut out, lx, y, anchor, "label", &lines);
    }
    out.push_str("</svg>");
    out
}

/// The size of the line chart and its plotting area.
const LINE_WIDTH: f64 = 560.0;
const LINE_HEIGHT: f64 = 260.0;
const PLOT_LEFT: f64 = 50.0;
const PLOT_RIGHT: f64 = 530.0;
const PLOT_TOP: f64 = 24.0;
const PLOT_BOTTOM: f64 = 210.0;

/// The first and last points stand this far inside the plotting area, clear of the axis's
/// ticks.
const PLOT_INSET: f64 = 36.0;

/// At most this many labels under the x axis; the points between go unlabelled.
const X_LABELS: usize = 8;

/// Where point `i` of `n` with `score` lands: evenly spaced from left to right inside the
/// inset (one point in the middle), 0 at the bottom, 100 at the top.
fn line_point(i: usize, n: usize, score: f64) -> (f64, f64) {
    let (left, right) = (PLOT_LEFT + PLOT_INSET, PLOT_RIGHT - PLOT_INSET);
    let x = if n <= 1 {
        (left + right) / 2.0
    } else {
        left + (right - left) * i as f64 / (n - 1) as f64
    };
    let y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * score.clamp(0.0, 100.0) / 100.0;
    (x, y)
}

/// A line chart of scores (0-100) in order, each point with its value above it and its
/// label (a date) under the axis; one point is a dot alone, none an empty frame.
pub fn line(title: &str, points: &[Point]) -> String {
    let n = points.len();
    let mut out = String::new();
    open(&mut out, LINE_WIDTH, LINE_HEIGHT, title);
    for tick in [0.0, 20.0, 40.0, 60.0, 80.0, 100.0] {
        let (_, y) = line_point(0, 1, tick);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{}" y1="{y}" x2="{}" y2="{y}"/>"#,
            num(PLOT_LEFT),
            num(PLOT_RIGHT),
            y = num(y)
        );
        text(
            &mut out,
            PLOT_LEFT - 8.0,
            y + 4.0,
            "end",
            "tick",
            &[num(tick)],
        );
    }
    let at: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| line_point(i, n, clamp(Some(p.score))))
        .collect();
    if n > 1 {
        let path = at
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(out, r#"<polyline class="line" points="{path}"/>"#);
    }
    let every = n.div_ceil(X_LABELS).max(1);
    for (i, (point, (x, y))) in points.iter().zip(&at).enumerate() {
        let _ = write!(
            out,
            r#"<circle class="dot" cx="{}" cy="{}" r="3.5"/>"#,
            num(*x),
            num(*y)
        );
        text(
            &mut out,
            *x,
            y - 9.0,
            "middle",
            "value",
            &[shown(Some(point.score))],
        );
        if i % every == 0 || i == n - 1 {
            text(
                &mut out,
                *x,
                PLOT_BOTTOM + 20.0,
                "middle",
                "tick",
                &[point.label.to_string()],
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// The size of a timeline: where its bars start and end, and the height of a row.
const TIMELINE_WIDTH: f64 = 680.0;
const BAR_LEFT: f64 = 90.0;
const BAR_RIGHT: f64 = 330.0;
const BAR_ROW: f64 = 40.0;

/// A timeline of deadlines over one span, labelled `from` and `to` under it: for each bar its
/// label, a grey bar from the start to its deadline with a tick there, its mark, and its words.
pub fn timeline(title: &str, bars: &[Bar], from: &str, to: &str) -> String {
    let x = |part: f64| BAR_LEFT + part.clamp(0.0, 1.0) * (BAR_RIGHT - BAR_LEFT);
    let height = BAR_ROW * bars.len() as f64 + 30.0;
    let mut out = String::new();
    open(&mut out, TIMELINE_WIDTH, height, title);
    for (i, bar) in bars.iter().enumerate() {
        let y = 20.0 + BAR_ROW * i as f64;
        let tone = match bar.tone {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Neutral => "neutral",
        };
        text(
            &mut out,
            0.0,
            y + 4.0,
            "start",
            "label",
            &[bar.label.to_string()],
        );
        if let Some(due) = bar.due {
            let (start, end) = (num(x(0.0)), num(x(due)));
            let (top, bottom, y) = (num(y - 8.0), num(y + 8.0), num(y));
            let _ = write!(
                out,
                r#"<line class="bar" x1="{start}" y1="{y}" x2="{end}" y2="{y}"/><line class="due" x1="{end}" y1="{top}" x2="{end}" y2="{bottom}"/>"#
            );
        }
        if let Some(mark) = bar.mark {
            let class = if mark.done {
                tone.to_string()
            } else {
                format!("{tone} now")
            };
            let _ = write!(
                out,
                r#"<circle class="{class}" cx="{}" cy="{}" r="5"/>"#,
                num(x(mark.at)),
                num(y)
            );
        }
        text(
            &mut out,
            BAR_RIGHT + 12.0,
            y + 4.0,
            "start",
            tone,
            &[bar.words.to_string()],
        );
    }
    let bottom = height - 6.0;
    text(
        &mut out,
        BAR_LEFT,
        bottom,
        "start",
        "tick",
        &[from.to_string()],
    );
    text(
        &mut out,
        BAR_RIGHT,
        bottom,
        "end",
        "tick",
        &[to.to_string()],
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny XML check: every tag closed in order, attributes quoted, no raw `<` or `&`
    /// in text. Returns the names of the elements, in order.
    fn elements(svg: &str) -> Vec<String> {
        let mut open: Vec<String> = Vec::new();
        let mut seen = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            check_text(&rest[..start]);
            let end = rest[start..].find('>').expect("a tag is closed") + start;
            let tag = &rest[start + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop().as_deref(), Some(name), "closing {name} in {svg}");
            } else {
                let closed = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let name = tag.split_whitespace().next().expect("a tag name");
                let attributes = tag[name.len()..].trim();
                assert_eq!(attributes.matches('"').count() % 2, 0, "quotes in <{tag}>");
                assert!(!attributes.contains('<'), "< in <{tag}>");
                seen.push(name.to_string());
                if !closed {
                    open.push(name.to_string());
                }
            }
            rest = &rest[end + 1..];
        }
        check_text(rest);
        assert!(open.is_empty(), "left open: {open:?}");
        seen
    }

    fn check_text(text: &str) {
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "a raw & in {text:?}"
            );
        }
    }

    fn count(names: &[String], name: &str) -> usize {
        names.iter().filter(|n| *n == name).count()
    }

    /// The value of `name="…"` in the first tag containing `marker`.
    fn attribute<'s>(svg: &'s str, marker: &str, name: &str) -> &'s str {
        let at = svg.find(marker).expect(marker);
        let tag_end = svg[at..].find('>').unwrap() + at;
        let tag_start = svg[..at].rfind('<').unwrap();
        let tag = &svg[tag_start..tag_end];
        let key = format!(" {name}=\"");
        let from = tag.find(&key).expect(&key) + key.len();
        &tag[from..from + tag[from..].find('"').unwrap()]
    }

    fn five(scores: [Option<f64>; 5]) -> Vec<Axis<'static>> {
        let labels = ["预警前置", "纠纷调解", "合规管理", "信息衔接", "信用约束"];
        labels
            .iter()
            .zip(scores)
            .map(|(label, score)| Axis { label, score })
            .collect()
    }

    #[test]
    fn a_radar_is_well_formed_with_rings_spokes_points_and_labels() {
        let svg = radar(
            "自查雷达图",
            &five([Some(100.0), Some(50.0), None, Some(0.0), Some(72.5)]),
        );
        let names = elements(&svg);
        assert_eq!(names.first().map(String::as_str), Some("svg"));
        assert_eq!(count(&names, "polygon"), 6, "5 rings and the area");
        assert_eq!(count(&names, "line"), 5);
        assert_eq!(count(&names, "circle"), 5);
        for label in [
            "预警前置",
            "信用约束",
            "72.5",
            ">100<",
            ">-<",
            ">20<",
            ">80<",
        ] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        assert!(
            !svg.contains("http") && !svg.contains("url("),
            "nothing fetched"
        );
    }

    #[test]
    fn a_full_score_on_the_first_axis_is_at_the_top_and_the_others_go_clockwise() {
        let svg = radar(
            "r",
            &five([Some(100.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0)]),
        );
        let area = attribute(&svg, r#"class="area""#, "points");
        let corners: Vec<&str> = area.split(' ').collect();
        assert_eq!(
            corners[0],
            format!("{},{}", num(RADAR_CX), num(RADAR_CY - RADAR_R))
        );
        assert!(corners[1..].iter().all(|c| *c == "280,215"), "{area}");
        let (x, y) = radar_point(1, 5, 100.0);
        assert!(x > RADAR_CX && y < RADAR_CY, "the second axis is up right");
        let (x, y) = radar_point(0, 5, 50.0);
        assert_eq!(
            (num(x), num(y)),
            ("280".into(), num(RADAR_CY - RADAR_R / 2.0))
        );
    }

    #[test]
    fn the_outer_ring_is_100_and_scores_out_of_range_stay_inside_it() {
        let svg = radar(
            "r",
            &five([Some(250.0), Some(-5.0), Some(f64::NAN), None, Some(100.0)]),
        );
        let area = attribute(&svg, r#"class="area""#, "points");
        let outer = radar_point(0, 5, 100.0);
        assert!(area.starts_with(&format!("{},{}", num(outer.0), num(outer.1))));
        elements(&svg);
    }

    #[test]
    fn a_timeline_draws_each_bar_to_its_deadline_with_its_mark_and_words() {
        let bars = [
            Bar {
                label: "受理",
                due: Some(1.0),
                mark: Some(Mark {
                    at: 0.5,
                    done: true,
                }),
                tone: Tone::Good,
                words: "达标：时限 02-17",
            },
            Bar {
                label: "R&D <x>",
                due: Some(0.25),
                mark: Some(Mark {
                    at: 2.0,
                    done: false,
                }),
                tone: Tone::Bad,
                words: "超时",
            },
            Bar {
                label: "调解",
                due: None,
                mark: None,
                tone: Tone::Neutral,
                words: "待受理后起算",
            },
        ];
        let svg = timeline("时限", &bars, "02-10 10:00", "02-20 10:00");
        let names = elements(&svg);
        assert_eq!(count(&names, "line"), 4, "two bars, each with its tick");
        assert_eq!(count(&names, "circle"), 2);
        assert_eq!(attribute(&svg, r#"class="bar""#, "x2"), num(BAR_RIGHT));
        assert_eq!(
            attribute(&svg, r#"class="good""#, "cx"),
            num((BAR_LEFT + BAR_RIGHT) / 2.0)
        );
        assert_eq!(
            attribute(&svg, r#"class="bad now""#, "cx"),
            num(BAR_RIGHT),
            "kept inside"
        );
        for text in [
            "达标：时限 02-17",
            "R&amp;D &lt;x&gt;",
            "待受理后起算",
            "02-20 10:00",
        ] {
            assert!(svg.contains(text), "{text} in {svg}");
        }
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let mut axes = five([Some(10.0); 5]);
        axes[0].label = "R&D <b>\"x\"</b>";
        let svg = radar("a <title> & 'more'", &axes);
        elements(&svg);
        assert!(
            svg.contains("R&amp;D &lt;b&gt;&quot;x&quot;&lt;/b&gt;"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"));
        let svg = line(
            "t&",
            &[Point {
                label: "<script>",
                score: 1.0,
            }],
        );
        elements(&svg);
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script"));
    }

    #[test]
    fn a_long_label_wraps_at_spaces() {
        assert_eq!(
            wrap("Early warning and prevention"),
            vec!["Early warning and", "prevention"]
        );
        assert_eq!(wrap("预警前置"), vec!["预警前置"]);
        let svg = radar(
            "r",
            &[Axis {
                label: "Early warning and prevention",
                score: Some(1.0),
            }; 5],
        );
        assert_eq!(svg.matches(">prevention</tspan>").count(), 5);
    }

    #[test]
    fn a_line_chart_puts_dates_under_and_values_over_its_points() {
        let points = [
            Point {
                label: "2026-01-05",
                score: 40.0,
            },
            Point {
                label: "2026-02-05",
                score: 62.5,
            },
            Point {
                label: "2026-03-02",
                score: 100.0,
            },
        ];
        let svg = line("history", &points);
        let names = elements(&svg);
        assert_eq!(count(&names, "polyline"), 1);
        assert_eq!(count(&names, "circle"), 3);
        for label in ["2026-01-05", "2026-03-02", ">62.5<", ">40<", ">100<"] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        let line = attribute(&svg, r#"class="line""#, "points");
        let first = line_point(0, 3, 40.0);
        let last = line_point(2, 3, 100.0);
        assert!(line.starts_with(&format!("{},{}", num(first.0), num(first.1))));
        let right = PLOT_RIGHT - PLOT_INSET;
        assert!(line.ends_with(&format!("{},{}", num(right), num(PLOT_TOP))));
        assert_eq!(last, (right, PLOT_TOP));
        assert_eq!(line_point(0, 3, 0.0), (PLOT_LEFT + PLOT_INSET, PLOT_BOTTOM));
    }

    #[test]
    fn one_point_is_a_dot_in_the_middle_and_none_an_empty_frame() {
        let svg = line(
            "h",
            &[Point {
                label: "2026-03-02",
                score: 55.0,
            }],
        );
        let names = elements(&svg);
        assert_eq!(count(&names, "polyline"), 0);
        assert_eq!(count(&names, "circle"), 1);
        let cx = attribute(&svg, r#"class="dot""#, "cx");
        assert_eq!(cx, num((PLOT_LEFT + PLOT_RIGHT) / 2.0));
        let names = elements(&line("h", &[]));
        assert_eq!(count(&names, "circle"), 0);
    }

    #[test]
    fn many_points_label_at_most_a_few_dates() {
        let labels: Vec<String> = (1..=30).map(|d| format!("2026-01-{d:02}")).collect();
        let points: Vec<Point> = labels
            .iter()
            .map(|label| Point { label, score: 50.0 })
            .collect();
        let svg = line("h", &points);
        elements(&svg);
        let dates = svg.matches(">2026-01-").count();
        assert!((2..=X_LABELS + 1).contains(&dates), "{dates} dates");
        assert!(svg.contains(">2026-01-30<"), "the last date is shown");
    }

    proptest::proptest! {
        #[test]
        fn any_labels_and_scores_make_well_formed_charts(
            labels in proptest::collection::vec("\\PC{0,30}", 0..8),
            scores in proptest::collection::vec(proptest::num::f64::ANY, 8),
        ) {
            let axes: Vec<Axis> = labels.iter().zip(&scores)
                .map(|(label, s)| Axis { label, score: Some(*s) }).collect();
            elements(&radar("r", &axes));
            let points: Vec<Point> = labels.iter().zip(&scores)
                .map(|(label, s)| Point { label, score: *s }).collect();
            elements(&line("l", &points));
        }
    }
}
