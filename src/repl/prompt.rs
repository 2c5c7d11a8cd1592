//! The prompt: the directory (home as `~`), the last status when
//! non-zero, the number of jobs; coloured only for a terminal without
//! NO_COLOR.  Reads the shell, changes nothing.

use nu_ansi_term::{Color, Style};

use crate::exec::shell::Shell;

/// Colour only on a terminal, and never under NO_COLOR.
pub fn colors_wanted() -> bool {
    crate::os::process::colors_on(1)
}

/// The prompt: the directory (home as ~), the last status when non-zero,
/// the number of jobs.  (plain, coloured)
pub fn prompt(sh: &Shell, colors: bool) -> (String, String) {
    let pwd = sh.var("PWD").unwrap_or("?").to_string();
    let dir = match sh.var("HOME") {
        Some(h) if !h.is_empty() && h != "/" && (pwd == h || pwd.starts_with(&format!("{h}/"))) => {
            format!("~{}", &pwd[h.len()..])
        }
        _ => pwd,
    };
    let status = if sh.status != 0 {
        format!(" [{}]", sh.status)
    } else {
        String::new()
    };
    let n = sh.jobs.jobs.len();
    let jobs = match n {
        0 => String::new(),
        1 => " (1 job)".into(),
        n => format!(" ({n} jobs)"),
    };
    let plain = format!("{dir}{status}{jobs} $ ");
    if !colors {
        return (plain.clone(), plain);
    }
    let styled = format!(
        "{}{}{} $ ",
        Style::new().bold().fg(Color::Blue).paint(&dir),
        Color::Red.paint(&status),
        Color::Yellow.paint(&jobs)
    );
    (plain, styled)
}
