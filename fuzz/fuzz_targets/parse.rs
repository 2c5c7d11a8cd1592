//! Coverage-guided fuzzing of the parser (and the arithmetic evaluator):
//! no input may panic, hang or overflow the stack, and every rejected
//! input must be reported at a position inside it.
//!
//!   cargo +nightly fuzz run parse -- -max_total_time=600 -max_len=4096
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    match psh::lang::parser::parse(&src, "fuzz") {
        Ok(_) => {}
        Err(e) => {
            let lines = src.split('\n').count();
            assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
            let len = src.split('\n').nth(e.line - 1).map_or(0, |l| l.chars().count());
            assert!(e.col >= 1 && e.col <= len + 1, "col {} of {len}", e.col);
            assert!(e.to_string().ends_with('^'));
        }
    }
    if data.len() < 200 {
        let _ = psh::expand::arith::eval(&src, &mut |_| Ok(1));
    }
});
