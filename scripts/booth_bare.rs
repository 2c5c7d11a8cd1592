// The benchmark's yardstick for `threads 10 booth 1000000 --quiet`: the
// same booth as a bare Rust program with std::sync::Mutex.  Not part of
// psh; scripts/bench.sh compiles it with rustc -O.
use std::sync::{Arc, Mutex};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let tickets: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let left = Arc::new(Mutex::new(tickets));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let left = left.clone();
            std::thread::spawn(move || {
                let mut sold = 0u64;
                loop {
                    let mut l = left.lock().unwrap();
                    if *l == 0 {
                        break;
                    }
                    *l -= 1;
                    sold += 1;
                }
                sold
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    eprintln!("sold {total}");
}
