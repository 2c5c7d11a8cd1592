//! The allocator: the C library's malloc, behind a cache of freed small
//! blocks on the shell's own thread.  A shell builds and drops a small
//! tree per command, a few dozen blocks of a handful of sizes, over and
//! over; glibc keeps only seven freed blocks per size in its per-thread
//! cache and sends the rest through its general free and malloc paths
//! (~130 instructions a pair, 17 % of running a 20 000-line script).
//! Here a freed block of up to `MAX_SMALL` bytes waits in a list of its
//! size class (`keep` says how many) for the next request of that
//! class.
//!
//! Every block is a real malloc'd block: small requests are rounded up
//! to their class's size (which is exactly what glibc hands out for
//! them anyway), so any block may be freed to the C library, from any
//! thread, and a cached one is always big enough for its class.  Only
//! the thread that called `cache_here` (psh's main thread) caches; the
//! lab's threads go straight to malloc, so nothing is stranded when a
//! thread ends.  Must not: take a lock, allocate itself, or run on a
//! vfork child (none of psh's children allocate before their exec).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr::null_mut;

/// Size classes: usable sizes 24, 40, 56, … (16 apart).
const CLASSES: usize = 16;
/// The largest request served from the cache.
pub const MAX_SMALL: usize = 24 + 16 * (CLASSES - 1);
/// How many freed blocks of class `c` the lists keep: room for a
/// command's tree, and for the short strings of a big glob's 10 000
/// names (they went through malloc's consolidating paths, a quarter of
/// `echo *`'s instructions, when every class kept 256).  At most 2.1 MB
/// in all; beyond, blocks go back to malloc.
#[inline(always)]
fn keep(c: usize) -> u32 {
    if c < 4 {
        8192
    } else {
        256
    }
}
/// malloc's own alignment on x86_64 and aarch64 glibc.
const MALLOC_ALIGN: usize = 16;

/// psh's allocator (see the module doc).
pub struct Cached;

struct Lists {
    on: Cell<bool>,
    head: [Cell<*mut u8>; CLASSES],
    len: [Cell<u32>; CLASSES],
}

thread_local! {
    // No destructor: the lists are reachable until the thread's very end.
    static LISTS: Lists = const {
        Lists {
            on: Cell::new(false),
            head: [const { Cell::new(null_mut()) }; CLASSES],
            len: [const { Cell::new(0) }; CLASSES],
        }
    };
}

/// Cache freed small blocks on the calling thread from now on.  Called
/// once, by psh's main thread.
pub fn cache_here() {
    let _ = LISTS.try_with(|l| l.on.set(true));
}

/// The class of a request of `size` bytes (`size` ≤ `MAX_SMALL`).
#[inline(always)]
fn class(size: usize) -> usize {
    ((size + 7) >> 4).saturating_sub(1)
}

/// What is asked of malloc for a request of `size` bytes.
#[inline(always)]
pub fn real_size(size: usize) -> usize {
    if size <= MAX_SMALL {
        24 + 16 * class(size)
    } else {
        size
    }
}

impl Lists {
    #[inline(always)]
    fn pop(&self, c: usize) -> *mut u8 {
        let (Some(head), Some(len)) = (self.head.get(c), self.len.get(c)) else {
            return null_mut();
        };
        let h = head.get();
        if !h.is_null() {
            // SAFETY: `h` is a free block of this class that `push`
            // linked, its first word the next free block.
            head.set(unsafe { h.cast::<*mut u8>().read() });
            len.set(len.get() - 1);
        }
        h
    }

    #[inline(always)]
    fn push(&self, c: usize, p: *mut u8) -> bool {
        let (Some(head), Some(len)) = (self.head.get(c), self.len.get(c)) else {
            return false;
        };
        if !self.on.get() || len.get() >= keep(c) {
            return false;
        }
        // SAFETY: `p` is a block of at least 24 bytes, 16-aligned, that
        // its owner gave up; its first word now links the list.
        unsafe { p.cast::<*mut u8>().write(head.get()) };
        head.set(p);
        len.set(len.get() + 1);
        true
    }
}

// The methods stay out of line: inlined at each of the thousands of
// allocation sites they added 270 KB of code and ~100 KB of idle RSS
// (more of the binary faulted in at start-up) to save 2 % of
// instructions.
// SAFETY: every block handed out is a malloc'd block of at least
// `real_size(layout.size())` bytes with malloc's alignment (requests
// aligned beyond it go to `System` unchanged); a cached block is handed
// out once, to a request of its own class.
unsafe impl GlobalAlloc for Cached {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let size = layout.size();
        if layout.align() > MALLOC_ALIGN || size > MAX_SMALL {
            // SAFETY: as the caller's.
            return unsafe { System.alloc(layout) };
        }
        let c = class(size);
        let p = LISTS.try_with(|l| l.pop(c)).unwrap_or(null_mut());
        if !p.is_null() {
            return p;
        }
        // SAFETY: a non-zero size, a power-of-two alignment ≤ the size.
        unsafe {
            System.alloc(Layout::from_size_align_unchecked(
                24 + 16 * c,
                layout.align(),
            ))
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() > MALLOC_ALIGN || layout.size() > MAX_SMALL {
            // SAFETY: as the caller's (calloc keeps large zeroed blocks
            // cheap).
            return unsafe { System.alloc_zeroed(layout) };
        }
        // SAFETY: as the caller's; a cached block holds old data.
        unsafe {
            let p = self.alloc(layout);
            if !p.is_null() {
                p.write_bytes(0, layout.size());
            }
            p
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let size = layout.size();
        if layout.align() > MALLOC_ALIGN || size > MAX_SMALL {
            // SAFETY: allocated by `System` with this layout.
            return unsafe { System.dealloc(ptr, layout) };
        }
        let c = class(size);
        if LISTS.try_with(|l| l.push(c, ptr)).unwrap_or(false) {
            return;
        }
        // SAFETY: a malloc'd block (free ignores the layout's size).
        unsafe {
            System.dealloc(
                ptr,
                Layout::from_size_align_unchecked(24 + 16 * c, layout.align()),
            )
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() > MALLOC_ALIGN {
            // SAFETY: as the caller's.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        let (old, new) = (real_size(layout.size()), real_size(new_size));
        if old == new {
            // Still in its class: the block already has the room.
            return ptr;
        }
        if layout.size() <= MAX_SMALL {
            // A small block moves through the cache (malloc's realloc
            // would take the new block from its own bins).
            // SAFETY: the new layout is the old one's alignment with a
            // non-zero size; both blocks are live while copying.
            unsafe {
                let to = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
                if !to.is_null() {
                    to.copy_from_nonoverlapping(ptr, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                return to;
            }
        }
        // SAFETY: `ptr` is a malloc'd block of at least `old` bytes; the
        // new one has at least `new`, as `real_size` promises.
        unsafe {
            System.realloc(
                ptr,
                Layout::from_size_align_unchecked(old, layout.align()),
                new,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_what_malloc_gives_and_cover_every_small_size() {
        assert_eq!(real_size(1), 24);
        assert_eq!(real_size(24), 24);
        assert_eq!(real_size(25), 40);
        assert_eq!(real_size(40), 40);
        assert_eq!(real_size(MAX_SMALL), MAX_SMALL);
        assert_eq!(real_size(MAX_SMALL + 1), MAX_SMALL + 1);
        for s in 1..=MAX_SMALL {
            assert!(real_size(s) >= s && class(s) < CLASSES, "{s}");
        }
    }

    /// Blocks come back from the cache for their own class only, each
    /// once, and hold what is written in them until freed.
    #[test]
    fn a_caching_thread_reuses_blocks_of_a_class_and_keeps_data_apart() {
        std::thread::spawn(|| {
            cache_here();
            let a = Cached;
            let l32 = Layout::from_size_align(32, 8).unwrap_or(Layout::new::<u8>());
            let l20 = Layout::from_size_align(20, 4).unwrap_or(Layout::new::<u8>());
            // SAFETY: layouts of non-zero size; every block freed once.
            unsafe {
                let p = a.alloc(l32);
                p.write_bytes(7, 32);
                a.dealloc(p, l32);
                let q = a.alloc(Layout::from_size_align(40, 8).unwrap_or(l32));
                assert_eq!(p, q, "the 40-byte class reuses the freed block");
                let r = a.alloc(l20);
                assert_ne!(r, q, "another class");
                r.write_bytes(1, 20);
                // Grown within its class: the same block, data kept.
                let r2 = a.realloc(r, l20, 24);
                assert_eq!(r2, r);
                // Grown past it: malloc's realloc moves the data.
                let r3 = a.realloc(r2, Layout::from_size_align(24, 4).unwrap_or(l20), 600);
                assert_eq!(std::slice::from_raw_parts(r3, 20), &[1u8; 20][..]);
                let z = a.alloc_zeroed(l32);
                assert_eq!(std::slice::from_raw_parts(z, 32), &[0u8; 32][..]);
                a.dealloc(z, l32);
                a.dealloc(q, Layout::from_size_align(40, 8).unwrap_or(l32));
                a.dealloc(r3, Layout::from_size_align(600, 4).unwrap_or(l20));
                // More frees than the lists hold: the rest go back to
                // malloc.
                let many: Vec<*mut u8> = (0..keep(0) + 50).map(|_| a.alloc(l20)).collect();
                for &m in &many {
                    a.dealloc(m, l20);
                }
                let kept = LISTS.with(|l| l.len[class(20)].get());
                assert_eq!(kept, keep(0));
            }
        })
        .join()
        .unwrap_or_else(|_| panic!("the caching thread failed"));
    }

    /// Blocks a caching thread made may be freed on any other, and the
    /// other way round.
    #[test]
    fn blocks_cross_threads_both_ways() {
        let v: Vec<Box<[u8; 30]>> = (0..100).map(|i| Box::new([i as u8; 30])).collect();
        let back = std::thread::spawn(move || {
            cache_here();
            let w: Vec<Box<[u8; 30]>> = (0..100).map(|i| Box::new([i as u8; 30])).collect();
            drop(v);
            w
        })
        .join()
        .unwrap_or_default();
        assert_eq!(back.len(), 100);
        assert!(back.iter().enumerate().all(|(i, b)| b[29] == i as u8));
    }
}
