//! The shell's state: variables, functions, positional parameters,
//! options, the job table, the handler blocks, and the hooks to the layers
//! above.  Data only: behaviour lives in `eval.rs` and the other exec
//! files (running the AST), `expand/` (words → fields) and `builtins/`.

use std::rc::Rc;

use nix::sys::signal::Signal;

use crate::exec::jobs::JobTable;
use crate::exec::path::PathCache;
use crate::exec::vars::Vars;
use crate::lang::ast::{Handler, Pipeline, SrcText};

/// `set -e`, `-x`, `-u`, `-o pipefail`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options {
    pub errexit: bool,
    pub xtrace: bool,
    pub nounset: bool,
    pub pipefail: bool,
}

/// How control leaves a list early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Break(usize),
    Continue(usize),
    Return(i32),
    Exit(i32),
    /// Ctrl-C (SIGINT) or Ctrl-\ (SIGQUIT), by its signal number: the
    /// whole command line stops (a loop included) with `$?` 128+N; a
    /// non-interactive shell ends, killed by the same signal, as bash.
    Interrupted(i32),
}

/// A status, or control leaving early.
pub type Res = Result<i32, Flow>;

/// A builtin: runs in the shell itself, given its arguments (not its name).
pub type Builtin = fn(&mut Shell, &[String]) -> Res;

/// What runs in the shell but lives in the layers above exec: the
/// builtin table (`builtins/`) and `explain` (`teach/`).  Whoever creates
/// the shell supplies them (`cli::new_shell`), so exec never depends on
/// the layers that depend on it.
#[derive(Clone, Copy)]
pub struct Hooks {
    pub builtin: fn(&str) -> Option<Builtin>,
    pub explain: fn(&Shell, &Pipeline) -> i32,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hooks")
    }
}

#[derive(Debug)]
pub struct Shell {
    pub vars: Vars,
    pub funcs: crate::exec::funcs::Funcs,
    /// `$0` and `$1…`
    pub arg0: String,
    pub args: Vec<String>,
    /// `$?`
    pub status: i32,
    /// `$!`
    pub last_bg: Option<i32>,
    /// `$$`: the shell's pid (a subshell keeps its parent's, as in sh).
    pub pid: i32,
    pub jobs: JobTable,
    pub opts: Options,
    pub interactive: bool,
    /// Job control is on: each job gets its own process group.
    pub monitor: bool,
    /// The terminal, when job control is on.
    pub term: Option<crate::os::terminal::Terminal>,
    /// The text of the pipeline running in the foreground (for the job
    /// table if it is stopped).
    pub fg_text: SrcText,
    /// `exit` was refused once because of stopped jobs.
    pub exit_warned: bool,
    /// Handler blocks of `alarm` and `trap`.
    pub traps: Traps,
    /// Where the REPL keeps its history (for the `history` builtin).
    pub history_file: Option<std::path::PathBuf>,
    /// The status of the last `$(…)` of the current command (what `$?`
    /// is after `x=$(false)`).
    pub subst_status: Option<i32>,
    /// True in a forked child (subshell, pipeline stage, `$(…)`).
    pub in_child: bool,
    pub path_cache: PathCache,
    /// Depth of conditions being evaluated (`if`, `while`, `&&` left side,
    /// `!`): `set -e` does not fire there.
    pub cond_depth: usize,
    pub loop_depth: usize,
    pub fn_depth: usize,
    /// `source` nesting, bounded like functions.
    pub source_depth: usize,
    /// Lists being run inside one another (blocks, loops, calls): bounded
    /// so no input can overflow the stack.
    pub depth: usize,
    pub hooks: Hooks,
    /// A background job is being started (its children ignore SIGINT and
    /// SIGQUIT when there is no job control).
    pub launching_background: bool,
    /// The last status came from where `set -e` is ignored (a failed
    /// `&&`/`||` part, `!`): a group or loop ending with it does not exit.
    pub errexit_ignored: bool,
    /// `getopts`: the OPTIND it last set and the byte position inside
    /// that argument (for groups such as `-vx`).
    pub getopts_at: (usize, usize),
    /// One frame per function call: the variables `local` saved there
    /// (restored when the call returns; dynamic scope, as bash).
    pub locals: Vec<Vec<(String, Option<crate::exec::vars::Var>)>>,
    /// `$LINENO`: the line of the job running now.
    pub lineno: u32,
    /// `$pipestatus`: each stage's status of the last pipeline.
    pub pipestatus: Vec<i32>,
    /// `$SECONDS` counts from here.
    pub started: std::time::Instant,
    /// `$RANDOM`'s state (xorshift).
    pub random: u32,
}

/// Functions may recurse this deep before the call is refused.
pub const MAX_CALL_DEPTH: usize = 200;

/// Lists nested inside one another (each block, loop body and call adds
/// one) before the shell refuses to go deeper.
pub const MAX_EVAL_DEPTH: usize = 1000;

/// The limit for this process's stack: one list level per 8 KiB.
pub fn max_eval_depth() -> usize {
    (crate::os::sys::stack_budget() / (8 << 10)).clamp(16, MAX_EVAL_DEPTH)
}

impl Shell {
    pub fn new(arg0: String, args: Vec<String>, interactive: bool, hooks: Hooks) -> Shell {
        let mut vars = Vars::from_env();
        if !vars.is_set("PATH") {
            vars.set("PATH", "/usr/local/bin:/usr/bin:/bin".into());
        }
        if let Ok(cwd) = std::env::current_dir() {
            let cwd = crate::os::text::from_os(cwd.as_os_str());
            // Keep an inherited logical PWD if it names this directory.
            let keep = vars.get("PWD").is_some_and(|p| same_dir(p, &cwd));
            if !keep {
                vars.export("PWD", Some(cwd));
            }
        }
        Shell {
            vars,
            funcs: Default::default(),
            arg0,
            args,
            status: 0,
            last_bg: None,
            pid: std::process::id() as i32,
            jobs: JobTable::default(),
            opts: Options::default(),
            interactive,
            monitor: false,
            term: None,
            fg_text: SrcText::default(),
            exit_warned: false,
            history_file: None,
            traps: Traps::default(),
            subst_status: None,
            in_child: false,
            path_cache: PathCache::default(),
            cond_depth: 0,
            loop_depth: 0,
            fn_depth: 0,
            source_depth: 0,
            depth: 0,
            hooks,
            launching_background: false,
            errexit_ignored: false,
            getopts_at: (1, 1),
            locals: Vec::new(),
            lineno: 0,
            pipestatus: Vec::new(),
            started: std::time::Instant::now(),
            random: seed(),
        }
    }

    pub fn is_builtin(&self, name: &str) -> bool {
        (self.hooks.builtin)(name).is_some()
    }

    /// Run the builtin named by `argv[0]`.
    pub fn builtin(&mut self, argv: &[String]) -> Res {
        let name = argv.first().map_or("", String::as_str);
        match (self.hooks.builtin)(name) {
            Some(f) => f(self, argv.get(1..).unwrap_or(&[])),
            None => {
                crate::os::sys::err(&format!("psh: {name}: not a builtin\n"));
                Ok(1)
            }
        }
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name)
    }
}

/// A seed for `$RANDOM` that differs from run to run.
fn seed() -> u32 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.subsec_nanos());
    (t ^ std::process::id().wrapping_mul(2_654_435_761)) | 1
}

fn same_dir(a: &str, b: &str) -> bool {
    use crate::os::text::path;
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path(a)), std::fs::metadata(path(b))) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// The handler blocks psh holds, one per signal number.
#[derive(Debug, Default)]
pub struct Traps {
    pub handlers: Vec<Option<Rc<Handler>>>,
    /// Running a handler block now (signals that come meanwhile wait).
    pub running: bool,
}

impl Traps {
    pub fn get(&self, sig: Signal) -> Option<&Rc<Handler>> {
        self.handlers.get(sig as usize).and_then(Option::as_ref)
    }
    pub fn set(&mut self, sig: Signal, h: Option<Rc<Handler>>) {
        let i = sig as usize;
        if self.handlers.len() <= i {
            self.handlers.resize(i + 1, None);
        }
        self.handlers[i] = h;
    }
    /// The signals that have a handler block.
    pub fn armed(&self) -> Vec<Signal> {
        self.handlers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.is_some())
            .filter_map(|(n, _)| Signal::try_from(n as i32).ok())
            .collect()
    }

    /// A forked child keeps none of its parent's handler blocks.
    pub fn clear(&mut self) {
        self.handlers.clear();
    }
}
