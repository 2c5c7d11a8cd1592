#!/usr/bin/env bash
# Repeat every signal-race scenario of tests/stress/ (alarm at the prompt,
# SIGHUP at the prompt, Ctrl-C and Ctrl-\ in a builtin loop, job
# announcements while idle, handler blocks in forked children, Ctrl-C to
# a script whose command handles it; the unlocked booth at the
# course's size, which must be wrong every time; `cond`'s consumers,
# which must be waiting for the first item every time) N times
# each (default 200); any loss, hang or early alarm fails the run.
# `cargo test` runs the same scenarios 20 times each.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
PSH_STRESS=$n cargo test --locked --test stress -- --test-threads=1
