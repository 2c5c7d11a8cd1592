//! `tour [zh|en] [--text]` and `psh --tour`: the course, one stop at a
//! time — the Python, what to watch for, a question to predict (asked on
//! a terminal), the psh line run in psh's own process (so `$$` and the
//! threads' pid are psh's), then what happened; Enter goes on.  Not on a
//! terminal it runs straight through; `--text` prints the stops without
//! running anything.  The texts are in `tour_text.rs`; this file shows
//! them and hands each line to the evaluator, nothing more.

use super::tour_text::{Stop, Text, END, GUESS, HAPPENED, INTRO, KEYS, STOPS, WATCH, YOU_SAID};
use crate::exec::shell::Shell;
use crate::exec::source::run_text;
use crate::os::{process, signals, sys};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

fn say(t: &Text, l: Lang) -> &'static str {
    match l {
        Lang::Zh => t.zh,
        Lang::En => t.en,
    }
}

/// The language a locale name asks for: Chinese for `zh…`, else English.
pub fn lang_of(locale: Option<&str>) -> Lang {
    match locale {
        Some(v) if v.starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

const USAGE: &str = "usage: tour [zh|en] [--text]";

/// The builtin (and `psh --tour ARGS`); the status.
pub fn builtin(sh: &mut Shell, args: &[String]) -> i32 {
    let mut lang = None;
    let mut text_only = false;
    for a in args {
        match a.as_str() {
            "zh" => lang = Some(Lang::Zh),
            "en" => lang = Some(Lang::En),
            "--text" => text_only = true,
            other => {
                sys::err(&format!("psh: tour: unknown argument `{other}`\n{USAGE}\n"));
                return 2;
            }
        }
    }
    // The first locale variable that is set decides, as for messages.
    let lang = lang.unwrap_or_else(|| {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| sh.var(v).filter(|s| !s.is_empty()));
        lang_of(locale)
    });
    let asking = !text_only && process::isatty(0) && process::isatty(1);
    let total = STOPS.len();
    if show(&format!("{}\n", say(&INTRO, lang))).is_err() {
        return 1;
    }
    for (i, stop) in STOPS.iter().enumerate() {
        match one_stop(sh, stop, i + 1, total, lang, text_only, asking) {
            Ok(true) => {}
            Ok(false) => return 0,
            Err(st) => return st,
        }
    }
    match show(&format!("\n{}\n", say(&END, lang))) {
        Ok(()) => 0,
        Err(()) => 1,
    }
}

fn show(s: &str) -> Result<(), ()> {
    sys::out(s).map_err(|e| {
        sys::err(&format!("psh: tour: write error: {}\n", e.desc()));
    })
}

/// Ask, and read the answer (None: end of input, or Ctrl-C).
fn ask(prompt: &str) -> Option<String> {
    let _ = sys::out(prompt);
    crate::os::input::answer()
}

/// Show (and run) one stop; Ok(false): the user left; Err(status): stop
/// the tour.
fn one_stop(
    sh: &mut Shell,
    stop: &Stop,
    k: usize,
    total: usize,
    lang: Lang,
    text_only: bool,
    asking: bool,
) -> Result<bool, i32> {
    let mut head = format!(
        "\n── {k}/{total} · {} ──\nPython:\n",
        say(&stop.title, lang)
    );
    for l in stop.python.lines() {
        head.push_str(&format!("    {l}\n"));
    }
    head.push_str(&format!(
        "{}{}\n",
        say(&WATCH, lang),
        say(&stop.watch, lang)
    ));
    if let Some(q) = &stop.predict {
        head.push_str(&format!("? {}\n", say(q, lang)));
    }
    show(&head).map_err(|()| 1)?;
    let mut guess = None;
    if asking && stop.predict.is_some() {
        match ask(say(&GUESS, lang)) {
            Some(g) if !g.is_empty() => guess = Some(g),
            Some(_) => {}
            None => return Ok(false),
        }
    }
    show(&format!("psh> {}\n", stop.line)).map_err(|()| 1)?;
    if !text_only {
        run_text(sh, stop.line.to_string(), "tour");
        if signals::interrupted() {
            return Err(signals::interrupt_status());
        }
    }
    let mut tail = String::new();
    if let Some(g) = guess {
        tail.push_str(&format!("{}{g}\n", say(&YOU_SAID, lang)));
    }
    tail.push_str(&format!(
        "{}{}\n",
        say(&HAPPENED, lang),
        say(&stop.after, lang)
    ));
    show(&tail).map_err(|()| 1)?;
    if asking && k < total {
        match ask(&format!("[{}] ", say(&KEYS, lang))) {
            Some(a) if a == "q" => return Ok(false),
            Some(_) => {}
            None => return Ok(false),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_picks_the_language() {
        assert_eq!(lang_of(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(lang_of(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(lang_of(Some("C")), Lang::En);
        assert_eq!(lang_of(None), Lang::En);
    }

    #[test]
    fn every_stop_has_both_languages_and_a_line() {
        for s in STOPS {
            for t in [&s.title, &s.watch, &s.after] {
                assert!(!t.zh.is_empty() && !t.en.is_empty(), "{}", s.line);
            }
            assert!(!s.python.is_empty() && !s.line.is_empty());
            // Every line parses.
            assert!(
                crate::lang::parser::parse(s.line, "tour").is_ok(),
                "{}",
                s.line
            );
        }
    }
}
