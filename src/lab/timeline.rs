//! `--timeline`: one row per worker showing, over time, when it held the
//! lock, ran, waited for the lock or on a condition, and each wake-up.  Workers record state changes with a monotonic
//! clock (the same in every process), and the chart is drawn after the
//! join.  Draws only; records nothing itself.

/// What a worker was doing from one event to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum State {
    /// Waiting: for the lock, for a condition, for input.
    Wait = 0,
    /// Holding the lock (for `--nolock`: inside the unprotected
    /// read-modify-write).
    Lock = 1,
    /// Running outside the lock.
    Run = 2,
    /// Finished.
    Done = 3,
    /// Waiting on a condition variable (not for the lock).
    CondWait = 4,
    /// A moment, not a span: woken by a notify and found an item …
    Woken = 5,
    /// … or found nothing (a wasted wake-up).
    Wasted = 6,
    /// Sleeping: the chore outside the lock.
    Sleep = 7,
}

impl State {
    pub fn from_u64(v: u64) -> State {
        match v {
            0 => State::Wait,
            1 => State::Lock,
            2 => State::Run,
            4 => State::CondWait,
            5 => State::Woken,
            6 => State::Wasted,
            7 => State::Sleep,
            _ => State::Done,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub at_ns: u64,
    pub state: State,
}

pub use crate::os::process::now_ns;

/// Colour only for a terminal, and never with NO_COLOR set.
pub fn colors_on_stderr() -> bool {
    crate::os::process::colors_on(2)
}

const WIDTH: usize = 64;

/// Draw the chart.
/// What the states of a run mean, for the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `#` held the lock.
    Locked,
    /// `#` is the unprotected read-write of `--nolock`; a column where two
    /// or more workers are in it at once is marked `!` in each of them.
    Unlocked,
    /// Processes fed through a pipe: no lock; `.` waits for a ticket.
    Pipe,
    /// Several may be inside at once by design (readers, a semaphore's
    /// K, philosophers at a table): `#` is what the text says.
    Section(&'static str),
}

/// The chart of `rows`.
/// What each mark of a chart means: the marks `rows` use, in the words
/// of `kind`; `None` is the `!` of two inside at once.
pub fn legend(rows: &[Vec<Event>], kind: Kind) -> Vec<(Option<State>, &'static str)> {
    let used = |s: State| rows.iter().flatten().any(|e| e.state == s);
    let mut l: Vec<(Option<State>, &'static str)> = match kind {
        Kind::Unlocked => vec![
            (Some(State::Lock), "inside the unprotected read-write"),
            (None, "two or more inside at once"),
            (Some(State::Run), "ran"),
        ],
        Kind::Pipe => vec![
            (Some(State::Run), "had a ticket (sold it)"),
            (Some(State::Wait), "waited for one on the pipe"),
        ],
        Kind::Section(text) => [
            (State::Lock, text),
            (State::Run, "ran"),
            (State::Wait, "waited"),
        ]
        .into_iter()
        .filter(|(s, _)| used(*s))
        .map(|(s, t)| (Some(s), t))
        .collect(),
        Kind::Locked => vec![
            (Some(State::Lock), "held the lock"),
            (Some(State::Run), "ran"),
            (Some(State::Wait), "waited"),
        ],
    };
    for (s, text) in [
        (State::CondWait, "waited on the condition"),
        (State::Woken, "woken, took an item"),
        (State::Wasted, "woken for nothing"),
        (State::Sleep, "slept (the chore)"),
    ] {
        if used(s) {
            l.push((Some(s), text));
        }
    }
    l
}

/// A row's label: its name, or `thread I` / `process I`.
pub fn row_name(names: &[String], i: usize, threads: bool) -> String {
    match names.get(i) {
        Some(n) => n.clone(),
        None if threads => format!("thread {i}"),
        None => format!("process {i}"),
    }
}

pub fn render(
    rows: &[Vec<Event>],
    names: &[String],
    threads: bool,
    colors: bool,
    kind: Kind,
) -> String {
    let unlocked = kind == Kind::Unlocked;
    let t0 = rows.iter().filter_map(|r| r.first()).map(|e| e.at_ns).min();
    let t1 = rows.iter().filter_map(|r| r.last()).map(|e| e.at_ns).max();
    let (Some(t0), Some(t1)) = (t0, t1) else {
        return String::from("timeline: nothing recorded\n");
    };
    let span = (t1.saturating_sub(t0)).max(1) as f64;
    let col_ns = span / WIDTH as f64;
    let label = if threads { "thread" } else { "process" };
    let legend: Vec<String> = legend(rows, kind)
        .into_iter()
        .map(|(m, text)| {
            let mark = match m {
                Some(st) => paint(st, colors),
                None => clash(colors),
            };
            format!("{mark} {text}")
        })
        .collect();
    let legend = legend.join("  ");
    let mut out = format!(
        "timeline: {:.3} ms, one column = {:.1} µs   {legend}\n",
        span / 1e6,
        col_ns / 1e3,
    );
    // Spans: index in `acc` of each state that lasts.
    let slot_of = |s: State| match s {
        State::Wait => Some(0),
        State::Lock => Some(1),
        State::Run => Some(2),
        State::CondWait => Some(3),
        State::Sleep => Some(4),
        _ => None,
    };
    let states = [
        State::Wait,
        State::Lock,
        State::Run,
        State::CondWait,
        State::Sleep,
    ];
    // The dominant state of each row in each column; a wake-up in a
    // column shows instead.
    let mut grid: Vec<Vec<Option<State>>> = Vec::with_capacity(rows.len());
    // Time holding the lock, per row and column (to give a column to one
    // holder: with a lock only one holds it at any instant).
    let mut held: Vec<Vec<f64>> = Vec::with_capacity(rows.len());
    for row in rows {
        let mut points: Vec<Option<State>> = vec![None; WIDTH];
        for e in row
            .iter()
            .filter(|e| matches!(e.state, State::Woken | State::Wasted))
        {
            let c = (((e.at_ns - t0) as f64 / col_ns) as usize).min(WIDTH - 1);
            if points[c] != Some(State::Wasted) {
                points[c] = Some(e.state);
            }
        }
        let spans: Vec<Event> = row
            .iter()
            .copied()
            .filter(|e| !matches!(e.state, State::Woken | State::Wasted))
            .collect();
        // Time spent in each state within each column.
        let mut acc = vec![[0f64; 5]; WIDTH];
        for w in spans.windows(2) {
            let (a, b) = (w[0], w[1]);
            let Some(s) = slot_of(a.state) else {
                continue;
            };
            let (from, to) = ((a.at_ns - t0) as f64, (b.at_ns.max(a.at_ns) - t0) as f64);
            let first = ((from / col_ns) as usize).min(WIDTH - 1);
            let last = ((to / col_ns) as usize).min(WIDTH - 1);
            for (c, slot) in acc.iter_mut().enumerate().take(last + 1).skip(first) {
                let lo = from.max(c as f64 * col_ns);
                let hi = to.min((c + 1) as f64 * col_ns);
                if hi > lo {
                    slot[s] += hi - lo;
                }
            }
        }
        held.push(acc.iter().map(|slot| slot[1]).collect());
        grid.push(
            acc.iter()
                .zip(points)
                .map(|(slot, point)| {
                    let best = (0..5)
                        .max_by(|&x, &y| slot[x].total_cmp(&slot[y]))
                        .unwrap_or(0);
                    point.or((slot[best] > 0.0).then_some(states[best]))
                })
                .collect(),
        );
    }
    // With a lock, a column where two rows end and begin a hold goes to
    // the one that held it longer; the other shows that it waited (it did,
    // for the rest of the column).  Without one, both stay, marked `!`.
    if kind == Kind::Locked {
        for c in 0..WIDTH {
            let holders: Vec<usize> = (0..grid.len())
                .filter(|&r| grid[r][c] == Some(State::Lock))
                .collect();
            if holders.len() > 1 {
                let keep = holders
                    .iter()
                    .copied()
                    .max_by(|&a, &b| held[a][c].total_cmp(&held[b][c]))
                    .unwrap_or(holders[0]);
                for r in holders.into_iter().filter(|&r| r != keep) {
                    grid[r][c] = Some(State::Wait);
                }
            }
        }
    }
    let inside = |c: usize| grid.iter().filter(|r| r[c] == Some(State::Lock)).count();
    for (i, cells) in grid.iter().enumerate() {
        match names.get(i) {
            Some(name) => out.push_str(&format!("{name:>11} |")),
            None => out.push_str(&format!("{label:>7} {i:<4}|")),
        }
        for (c, cell) in cells.iter().enumerate() {
            match cell {
                Some(State::Lock) if unlocked && inside(c) > 1 => out.push_str(&clash(colors)),
                Some(s) => out.push_str(&paint(*s, colors)),
                None => out.push(' '),
            }
        }
        out.push_str("|\n");
    }
    out
}

/// Two workers inside the unprotected section in the same column.
fn clash(colors: bool) -> String {
    if colors {
        nu_ansi_term::Color::Red.bold().paint("!").to_string()
    } else {
        "!".into()
    }
}

fn paint(s: State, colors: bool) -> String {
    use nu_ansi_term::Color;
    match (s, colors) {
        (State::Lock, true) => Color::Red.paint("█").to_string(),
        (State::Run, true) => Color::Green.paint("▒").to_string(),
        (State::Wait, true) => Color::DarkGray.paint("·").to_string(),
        (State::CondWait, true) => Color::Blue.paint("~").to_string(),
        (State::Woken, true) => Color::Green.bold().paint("^").to_string(),
        (State::Wasted, true) => Color::Yellow.bold().paint("x").to_string(),
        (State::Lock, false) => "#".into(),
        (State::Run, false) => "=".into(),
        (State::Wait, false) => ".".into(),
        (State::CondWait, false) => "~".into(),
        (State::Sleep, true) => Color::DarkGray.paint("z").to_string(),
        (State::Sleep, false) => "z".into(),
        (State::Woken, false) => "^".into(),
        (State::Wasted, false) => "x".into(),
        (State::Done, _) => " ".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_show_the_dominant_state_per_column() {
        let ev = |t: u64, s: State| Event { at_ns: t, state: s };
        let rows = vec![
            vec![
                ev(0, State::Lock),
                ev(500, State::Run),
                ev(1000, State::Done),
            ],
            vec![
                ev(0, State::Wait),
                ev(500, State::Lock),
                ev(1000, State::Done),
            ],
        ];
        let chart = render(&rows, &[], true, false, Kind::Locked);
        let lines: Vec<&str> = chart.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[1].starts_with(" thread 0   |################################"),
            "{chart}"
        );
        assert!(
            lines[1].ends_with("================================|"),
            "{chart}"
        );
        assert!(
            lines[2].contains("|................................################################|"),
            "{chart}"
        );
        assert!(!chart.contains('\x1b'));
        assert_eq!(
            render(&[], &[], true, false, Kind::Locked),
            "timeline: nothing recorded\n"
        );
        // Unlocked: two rows inside at once are marked `!`.
        let both = vec![
            vec![ev(0, State::Lock), ev(1000, State::Done)],
            vec![ev(0, State::Lock), ev(1000, State::Done)],
        ];
        let chart = render(&both, &[], true, false, Kind::Unlocked);
        assert!(chart.contains("two or more inside at once"), "{chart}");
        assert!(
            chart
                .lines()
                .nth(1)
                .is_some_and(|l| l.contains("!!!!") && !l.contains('#')),
            "{chart}"
        );
    }
}
