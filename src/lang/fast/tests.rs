//! The fast path against the grammar: wherever `fast::step` answers, its
//! answer must be the grammar's, byte for byte of the AST's debug form, and
//! its dry run (no AST) must end the job at the same byte.  Generated
//! input (a seeded grammar-shaped generator, then damaged), the
//! repository's scripts, those scripts and the README's blocks damaged at
//! random, and the lines the fast path must (and must not) read itself.
//! `PSH_FAST_CASES=N` runs more cases; `PSH_FAST_SHOW=1` prints the first
//! line of each job the fast path declined (with `--nocapture`).

use super::{step, FnEnds};
use crate::lang::parser::{grammar_step, MAX_NESTING};

/// Compare on `src`; whether the fast path answered.
fn same(src: &str) -> bool {
    let Some(fast) = step(src, 7, true, MAX_NESTING, None) else {
        return false;
    };
    let grammar = grammar_step(src, 7);
    // Without the AST, the same length; the ends of function bodies
    // noted on the way …
    let mut ends = FnEnds::default();
    let dry = step(src, 7, false, MAX_NESTING, Some(&mut ends));
    assert_eq!(
        dry.map(|(len, job)| (len, job.is_some())),
        Some((fast.0, fast.1.is_some())),
        "dry step differs on {src:?}"
    );
    // … and used by a second reading, which must build the same job.
    let again = step(src, 7, true, MAX_NESTING, Some(&mut ends));
    assert_eq!(
        format!("{again:?}"),
        format!("{:?}", Some(&fast)),
        "noted function ends change the job {src:?}"
    );
    assert_eq!(
        format!("{:?}", Some(&fast)),
        format!("{:?}", grammar.as_ref()),
        "fast path and grammar differ on {src:?}"
    );
    true
}

/// Step through a whole text as `parser::jobs` does, comparing each step;
/// how many steps the fast path answered, of how many.
fn walk(src: &str) -> (usize, usize) {
    let (mut pos, mut fast, mut all) = (0, 0, 0);
    while pos < src.len() {
        let rest = &src[pos..];
        all += 1;
        let took = same(rest);
        if !took && std::env::var_os("PSH_FAST_SHOW").is_some() {
            eprintln!("declined: {:?}", rest.lines().next().unwrap_or(""));
        }
        fast += usize::from(took);
        match grammar_step(rest, 1) {
            Some((len, _)) if len > 0 => pos += len,
            _ => break,
        }
    }
    (fast, all)
}

#[test]
fn common_lines_take_the_fast_path() {
    let lines = [
        "x1=1; y=$((x1 % 7 + 1))\n",
        "if [ \"$y\" = 1 ] { echo \"eq 1\" > /dev/null } else { z=$y }\n",
        "fn f1 { a=$1; echo \"$a 1\" > /dev/null }\n",
        "for w in a b c { v=$w }\n",
        "# comment\n\n  echo hi # there\n",
        "i=0; while [ $i -lt 10 ] { i=$((i+1)) }",
        "ls -l | wc -l && echo ok || echo no &",
        "cmd 2>&1 >>log <in 3<>rw &>both &>>all >&- 2>&-",
        "x=$(echo a | tr a b) y=\"${HOME}/x\" z=~/bin:~/b",
        "echo 'it''s' \"a\\\"b\\$c\\\\d\\e\" \\x ~ ~root/x ${10} $# $@ $$",
        "if a { b } else if c { d }\nelse { e }\n",
        "exit 3 > /dev/null",
        "return",
        "{ a; b } > out",
        "echo a\\\n  b \\\n c",
        "echo $((1 + (2 * $x) + $((3)) + $(echo 4)))",
        "PATH=/bin:$PATH env",
        "echo \"$(date) é\" naïve",
        "echo {} {a,b} }x x} #no",
        "(cd /; ls) > out",
        "cat <<< word 0<<<\"$x y\" <<<<'body\n' 3<<< ~",
        "match $x {\n  a | b* { echo ab }\n  * { echo other }\n}",
        "a=(1 'two' \"$x\" # c\n 4) b+=() c[1]=x d[$i+1]+=y",
        "echo ${#x} ${#a[@]} ${a[ -1 ]} ${x:-d} ${x:=\"$y\"} ${x#*/} ${x%%.*} ${x^^}",
        "echo ${x/a/b} ${x//\\//-} ${x/#a} ${x: -2:1} ${@:2} ${##} ${x-'q}'}",
    ];
    for line in lines {
        assert!(same(line), "fast path declined {line:?}");
    }
}

#[test]
fn the_rest_is_left_to_the_grammar() {
    for line in [
        "alarm 1 < echo now >",
        "threads 2 booth 10",
        "! false",
        "spawn sleep 1",
        "echo ${!x}",
        "echo }",
        "echo 'open",
        "a &&",
    ] {
        assert!(
            step(line, 1, true, MAX_NESTING, None).is_none(),
            "fast path took {line:?}"
        );
    }
}

#[test]
fn the_scripts_agree() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "psh") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let text = crate::lang::heredoc::gather(&text, "t").map(|t| t.into_owned());
            let (fast, all) = walk(&text.unwrap_or_default());
            eprintln!(
                "{}: the fast path answered {fast} of {all} steps",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(seen > 5, "no scripts found in {dir}");
}

/// The scripts and the README's language tour, damaged at random: a
/// byte taken out, or a piece of shell put in, many times over.
#[test]
fn damaged_scripts_agree() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut texts: Vec<String> = std::fs::read_dir(format!("{root}/scripts"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "psh"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    // The README's fenced blocks (psh's examples, and their output).
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap_or_default();
    for block in readme.split("```").skip(1).step_by(2) {
        let body = block.split_once('\n').map_or("", |(_, b)| b);
        texts.push(body.to_string());
    }
    assert!(texts.len() > 20, "scripts and README blocks not found");
    let rounds: usize = std::env::var("PSH_FAST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .map_or(30, |n: usize| n / 100);
    let mut g = Gen(0x2545_f491_4f6c_dd1d, false);
    let pieces = [
        "{", "}", "(", ")", "\"", "'", "\\", "$(", "$((", "${", "|", "&", ";", "\n", "<", ">",
        "<<<", "#", " ", "if ", "else ", "match ", "a=", "[", "]", "=(", "$x", "~",
    ];
    for text in &texts {
        for _ in 0..rounds {
            let mut t = text.clone();
            for _ in 0..1 + g.below(3) {
                let mut at = g.below(t.len() + 1);
                while !t.is_char_boundary(at) {
                    at -= 1;
                }
                if g.below(2) == 0 && at < t.len() {
                    t.remove(at);
                } else {
                    t.insert_str(at, g.pick(&pieces));
                }
            }
            walk(&t);
        }
    }
}

/// How many generated cases: `PSH_FAST_CASES`, else 4000.
fn cases() -> usize {
    std::env::var("PSH_FAST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4000)
}

/// A small seeded generator (xorshift); with `.1`, it also writes other
/// shells' habits (`habits.rs`), only where the habits scan reads them
/// right: a backquote in a word, one of their words as a command's name.
struct Gen(u64, bool);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    fn word(&mut self, depth: usize, out: &mut String) {
        for _ in 0..1 + self.below(3) {
            match self.below(15) {
                0 => out.push_str("'q t'"),
                1 => {
                    out.push('"');
                    for _ in 0..self.below(4) {
                        let p = self.pick(&["t x", "$x", "\\\"", "\\n", "${y}", "$", "$((1))"]);
                        out.push_str(p);
                    }
                    out.push('"');
                }
                2 => out.push_str(self.pick(&["$x", "$1", "$?", "${x}", "${#}", "$", "${10}"])),
                12 => {
                    out.push_str(self.pick(&["${", "${#", "\"${"]));
                    out.push_str(self.pick(&["x", "a[1]", "a[@]", "a[ $i ]", "#", "@", "1", "é"]));
                    out.push_str(self.pick(&[
                        "", ":-", "-", ":=", "?", ":+", "#", "##", "%", "%%", "^^", ",", "/", "//",
                        "/#", "/%", ":", ":1:", ": -1", "!", "[",
                    ]));
                    for _ in 0..self.below(3) {
                        let p = self
                            .pick(&["a", "*", "'q}'", "\"d\"", "\\}", "$y", "/", "{", "$((1))"]);
                        out.push_str(p);
                    }
                    out.push_str(self.pick(&["}", "}", "}", "", "}\""]));
                }
                3 => out.push_str("$((x + (2 * $y) % 3))"),
                4 if depth < 3 => {
                    out.push_str("$(");
                    self.list(depth + 1, out);
                    out.push(')');
                }
                5 => out.push_str(self.pick(&["~", "~/d", "~u", "a:~/b"])),
                6 => out.push_str(self.pick(&["\\ ", "\\x", "\\é", "\\\n"])),
                7 => out.push_str(self.pick(&["{", "}", "#", "=", "x=y", "a+b", "[", "!"])),
                8 if self.1 && self.below(8) == 0 => {
                    let p = self.pick(&["`d`", "\"t `d`\"", "'`'", "\\`", "${x:-`d`}", "$((`d`))"]);
                    out.push_str(p);
                }
                _ => out.push_str(self.pick(&["echo", "ls", "a", "b9", "-l", "/tmp/x", "*.rs"])),
            }
        }
    }

    fn command(&mut self, depth: usize, out: &mut String) {
        let deeper = depth < 3;
        match self.below(if deeper { 15 } else { 6 }) {
            0 => {
                out.push_str(self.pick(&["x=", "y+=", "PATH=", "a_1="]));
                self.word(depth, out);
                out.push(' ');
                if self.below(2) == 0 {
                    self.word(depth, out);
                }
            }
            11 => {
                out.push_str(self.pick(&["a=(", "b+=(", "c[2]=(", "d=( #c\n"]));
                for _ in 0..self.below(3) {
                    self.word(depth, out);
                    out.push_str(self.pick(&[" ", "\n", "  "]));
                }
                out.push_str(self.pick(&[")", ")", ") x", ")x"]));
            }
            12 => {
                out.push_str(self.pick(&["a[1]=", "a[$i+1]+=", "a[@]=", "a[", "a[x"]));
                self.word(depth, out);
            }
            13 if deeper => {
                out.push('(');
                self.list(depth + 1, out);
                out.push_str(self.pick(&[")", " )", ") > f", ""]));
            }
            14 if deeper => {
                out.push_str("match ");
                self.word(depth, out);
                out.push_str(" {\n");
                for _ in 0..1 + self.below(3) {
                    self.word(depth, out);
                    if self.below(2) == 0 {
                        out.push_str(self.pick(&[" | ", "|", " || "]));
                        self.word(depth, out);
                    }
                    out.push_str(" { ");
                    self.list(depth + 1, out);
                    out.push_str(self.pick(&[" }\n", " } ", "}\n"]));
                }
                out.push('}');
            }
            1 => {
                out.push_str(self.pick(&["exit", "return", "break", "continue"]));
                if self.below(2) == 0 {
                    out.push_str(" 1");
                }
            }
            2 => {
                self.word(depth, out);
                out.push_str(self.pick(&[
                    " >", " 2>&1", " <", ">>", " &>", " 2>&-", " 3<>", " <<< ", "<<<<", " 1<<<",
                ]));
                self.word(depth, out);
            }
            6 => {
                out.push_str("{ ");
                self.list(depth + 1, out);
                out.push_str(" }");
            }
            7 | 8 => {
                out.push_str(self.pick(&["if ", "while "]));
                self.list(depth + 1, out);
                out.push_str(" { ");
                self.list(depth + 1, out);
                out.push_str(" }");
                if self.below(2) == 0 {
                    out.push_str(self.pick(&[" else { :", "\nelse if x { y", " else if a; b {"]));
                    out.push_str(" }");
                }
            }
            9 => {
                out.push_str("for v in ");
                self.word(depth, out);
                out.push_str(" {\n");
                self.list(depth + 1, out);
                out.push_str("\n}");
            }
            10 => {
                out.push_str(self.pick(&["fn f ", "fn a.b-c:d", "fn g"]));
                out.push_str("{ ");
                self.list(depth + 1, out);
                out.push_str(" }");
            }
            _ => {
                for k in 0..1 + self.below(4) {
                    if k > 0 {
                        out.push_str(self.pick(&[" ", "  ", "\t", " \\\n "]));
                    } else if self.1 && self.below(12) == 0 {
                        let habit = [
                            "then", "fi", "elif", "do", "done", "esac", "function", "case",
                        ];
                        out.push_str(self.pick(&habit));
                        out.push_str(self.pick(&[" x in y", " ", ";", ""]));
                        continue;
                    }
                    self.word(depth, out);
                }
            }
        }
    }

    fn list(&mut self, depth: usize, out: &mut String) {
        for k in 0..1 + self.below(3) {
            if k > 0 {
                out.push_str(self.pick(&["; ", "\n", " & ", " && ", " || ", " | ", ";", " # c\n"]));
            }
            self.command(depth, out);
        }
    }

    /// A generated script, then perhaps damaged: a random token put in,
    /// or a byte taken out.
    fn script(&mut self) -> String {
        let mut s = String::new();
        self.list(0, &mut s);
        if self.below(3) == 0 {
            s.push_str(self.pick(&["\n", ";", " &", "", " # end"]));
        }
        match self.below(4) {
            0 => {
                let tokens = [
                    "{", "}", "(", ")", "\"", "'", "\\", "$(", "$((", "))", "${", "|", "&", ";",
                    "\n", "<", ">", ">&", "<<<", "#", " ", "if ", "else ", "in ", "a=", "!", "2",
                    "\r\n",
                ];
                let mut at = self.below(s.len() + 1);
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                s.insert_str(at, self.pick(&tokens));
            }
            1 if !s.is_empty() => {
                let mut at = self.below(s.len());
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                s.remove(at);
            }
            _ => {}
        }
        s
    }
}

#[test]
fn generated_scripts_agree() {
    let cases = cases();
    let mut g = Gen(0x9e37_79b9_7f4a_7c15, false);
    let (mut fast, mut all) = (0, 0);
    for _ in 0..cases {
        let (f, a) = walk(&g.script());
        fast += f;
        all += a;
    }
    eprintln!("generated: the fast path answered {fast} of {all} steps");
    // The generator mostly writes what the fast path reads: if it stops
    // answering, this comparison proves nothing.
    assert!(fast * 4 > all, "fast path answered {fast} of {all} steps");
}

/// The parser looks for habits only in the jobs this reader declines, so
/// it must decline every job that has one: on generated text, checking it
/// refuses what scanning all of it first (as the parser once did) refuses,
/// and almost always with the same error.  (Where they differ, the habits
/// scan misread a quote or a `${` inside `${…}` from the start of the
/// text, which the parser's jobs set right.)
#[test]
fn habits_are_found_as_by_a_scan_of_the_whole_text() {
    use crate::lang::{habits, parser};
    let cases = cases();
    let mut g = Gen(0x51_7cc1_b727_220a, true);
    let show = |r: Result<(), parser::SyntaxError>| r.map_err(|e| (e.line, e.col, e.message));
    let (mut found, mut other) = (0, 0);
    for _ in 0..cases {
        let mut s = String::new();
        g.list(0, &mut s);
        let eager = habits::check(&s, "t").and_then(|()| parser::check(&s, "t"));
        let eager = show(eager);
        let lazy = show(parser::check(&s, "t"));
        assert_eq!(lazy.is_ok(), eager.is_ok(), "on {s:?}: {lazy:?} {eager:?}");
        found += usize::from(matches!(&eager, Err((_, _, m)) if m.contains("not psh syntax")));
        other += usize::from(lazy != eager);
    }
    // Habits must be common in the input, or this proves nothing.
    assert!(found * 20 > cases, "{found} habits in {cases} texts");
    assert!(
        other * 1000 <= found,
        "{other} other errors of {found} habits"
    );
}

#[test]
fn newlines_are_counted_across_block_boundaries() {
    for len in [0, 1, 254, 255, 256, 600, 5000] {
        // Every byte a newline (the byte counters' worst case), then mixed.
        let all = vec![b'\n'; len];
        assert_eq!(super::count_newlines(&all), len);
        let mixed: Vec<u8> = (0..len)
            .map(|i| if i % 3 == 0 { b'\n' } else { b'x' })
            .collect();
        let want = mixed.iter().filter(|&&c| c == b'\n').count();
        assert_eq!(super::count_newlines(&mixed), want);
    }
}
