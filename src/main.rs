//! The psh program: hands its arguments to `psh::cli`.  Nothing else
//! lives here (the library is the shell, so tests and the fuzzer can reach
//! it).

// psh provides C's `main` itself: Rust's runtime start-up would read
// /proc/self/maps through sscanf to place a stack guard, a third of the
// instructions of `psh -c true`.  Recursion is bounded instead (see
// lang::parser::max_nesting and exec::shell::max_eval_depth, scaled to
// the stack).
#![cfg_attr(not(test), no_main)]

#[cfg_attr(not(test), export_name = "main")]
#[cfg_attr(test, allow(dead_code))]
pub extern "C" fn psh_main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    psh::os::alloc::cache_here();
    psh::os::sys::ensure_std_fds();
    psh::os::signals::init();
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| psh::os::text::from_os(&a))
        .collect();
    psh::cli::run(args)
}
