//! `--timeline=FILE.svg`: the timeline as an SVG picture — a row per
//! worker, each recorded span as a coloured bar at its exact times (no
//! columns), wake-ups as ticks, a time axis in ms, the legend and the
//! command as the title; without a lock, the moments two or more were
//! inside at once are shaded.  Draws only: the caller writes the file.

use std::fmt::Write as _;

use super::timeline::{legend, row_name, Event, Kind, State};

const LEFT: f64 = 110.0;
const CHART: f64 = 760.0;
const ROW: f64 = 22.0;
const TOP: f64 = 40.0;

fn color(s: Option<State>) -> &'static str {
    match s {
        Some(State::Lock) => "#d62728",
        Some(State::Run) => "#2ca02c",
        Some(State::Wait) => "#c7c7c7",
        Some(State::CondWait) => "#1f77b4",
        Some(State::Woken) => "#17becf",
        Some(State::Wasted) => "#ff7f0e",
        Some(State::Sleep) => "#8c8c8c",
        Some(State::Done) => "none",
        None => "#ff000040",
    }
}

/// Text for XML: `&`, `<`, `>`, `"` escaped.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The picture of `rows` titled `title`.
pub fn svg(
    rows: &[Vec<Event>],
    names: &[String],
    threads: bool,
    kind: Kind,
    title: &str,
) -> String {
    let t0 = rows
        .iter()
        .filter_map(|r| r.first())
        .map(|e| e.at_ns)
        .min()
        .unwrap_or(0);
    let t1 = rows
        .iter()
        .filter_map(|r| r.last())
        .map(|e| e.at_ns)
        .max()
        .unwrap_or(0);
    let span = t1.saturating_sub(t0).max(1) as f64;
    let x = |t: u64| LEFT + (t.saturating_sub(t0) as f64 / span) * CHART;
    let height = TOP + ROW * rows.len() as f64 + 70.0;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" font-family="monospace" font-size="12">"#,
        w = LEFT + CHART + 30.0
    );
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        o,
        r#"<text x="10" y="20" font-size="14">{}</text>"#,
        escape(title)
    );
    if kind == Kind::Unlocked {
        for (a, b) in overlaps(rows) {
            let _ = writeln!(
                o,
                r#"<rect x="{:.2}" y="{TOP}" width="{:.2}" height="{}" fill="{}"/>"#,
                x(a),
                (x(b) - x(a)).max(0.5),
                ROW * rows.len() as f64,
                color(None)
            );
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 8.0,
            y + 15.0,
            escape(&row_name(names, i, threads))
        );
        let spans: Vec<&Event> = row
            .iter()
            .filter(|e| !matches!(e.state, State::Woken | State::Wasted))
            .collect();
        for w in spans.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.state == State::Done {
                continue;
            }
            let _ = writeln!(
                o,
                r#"<rect x="{:.2}" y="{:.1}" width="{:.2}" height="{}" fill="{}"><title>{:?} {:.3}–{:.3} ms</title></rect>"#,
                x(a.at_ns),
                y + 3.0,
                (x(b.at_ns) - x(a.at_ns)).max(0.3),
                ROW - 6.0,
                color(Some(a.state)),
                a.state,
                (a.at_ns.saturating_sub(t0)) as f64 / 1e6,
                (b.at_ns.saturating_sub(t0)) as f64 / 1e6
            );
        }
        for e in row
            .iter()
            .filter(|e| matches!(e.state, State::Woken | State::Wasted))
        {
            let _ = writeln!(
                o,
                r#"<line x1="{x:.2}" x2="{x:.2}" y1="{:.1}" y2="{:.1}" stroke="{}" stroke-width="2"/>"#,
                y,
                y + ROW,
                color(Some(e.state)),
                x = x(e.at_ns)
            );
        }
    }
    // The time axis: five ticks.
    let axis = TOP + ROW * rows.len() as f64 + 4.0;
    let _ = writeln!(
        o,
        r#"<line x1="{LEFT}" x2="{}" y1="{axis}" y2="{axis}" stroke="black"/>"#,
        LEFT + CHART
    );
    for k in 0..=4 {
        let t = span * k as f64 / 4.0;
        let tx = LEFT + CHART * k as f64 / 4.0;
        let _ = writeln!(
            o,
            r#"<line x1="{tx:.1}" x2="{tx:.1}" y1="{axis}" y2="{}" stroke="black"/><text x="{tx:.1}" y="{}" text-anchor="middle">{:.3} ms</text>"#,
            axis + 5.0,
            axis + 18.0,
            t / 1e6
        );
    }
    let mut lx = 10.0;
    let ly = axis + 40.0;
    for (mark, text) in legend(rows, kind) {
        let _ = writeln!(
            o,
            r#"<rect x="{lx:.1}" y="{}" width="12" height="12" fill="{}" stroke="black" stroke-width="0.5"/><text x="{:.1}" y="{}">{}</text>"#,
            ly - 10.0,
            color(mark),
            lx + 16.0,
            ly,
            escape(text)
        );
        lx += 16.0 + 7.5 * text.chars().count() as f64 + 14.0;
    }
    o.push_str("</svg>\n");
    o
}

/// The intervals in which two or more rows were inside (State::Lock).
fn overlaps(rows: &[Vec<Event>]) -> Vec<(u64, u64)> {
    // +1 when a row enters, -1 when it leaves, in time order.
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for row in rows {
        for w in row.windows(2) {
            if w[0].state == State::Lock {
                edges.push((w[0].at_ns, 1));
                edges.push((w[1].at_ns, -1));
            }
        }
    }
    edges.sort_unstable();
    let (mut inside, mut from, mut out) = (0, 0, Vec::new());
    for (t, d) in edges {
        let before = inside;
        inside += d;
        if before < 2 && inside >= 2 {
            from = t;
        } else if before >= 2 && inside < 2 {
            out.push((from, t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_has_a_bar_per_span_and_the_overlaps() {
        let ev = |t: u64, s: State| Event { at_ns: t, state: s };
        let rows = vec![
            vec![
                ev(0, State::Lock),
                ev(600, State::Run),
                ev(1000, State::Done),
            ],
            vec![
                ev(0, State::Wait),
                ev(400, State::Lock),
                ev(1000, State::Done),
            ],
        ];
        assert_eq!(overlaps(&rows), vec![(400, 600)]);
        let s = svg(
            &rows,
            &[],
            true,
            Kind::Unlocked,
            "threads 2 booth <1> & more",
        );
        assert!(s.starts_with("<svg ") && s.ends_with("</svg>\n"));
        assert!(s.contains("threads 2 booth &lt;1&gt; &amp; more"));
        assert_eq!(s.matches("<rect x=").count(), 1 + 4 + 3, "{s}");
        assert!(s.contains("thread 1") && s.contains("0.001 ms"));
    }
}
