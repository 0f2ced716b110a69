//! Native build benchmark: where the time and memory of making a matcher go.
//!
//! ```sh
//! node bench/gazetteers.mjs                            # target/bench/cities.tsv, million.tsv
//! cargo run --release --example native                 # the default gazetteer
//! cargo run --release --example native -- target/bench/cities.tsv
//! SCAN=target/bench/corpus.txt cargo run --release --example native   # find alone
//! SCAN=target/bench/corpus.txt RUNS=20 cargo run --release --example native -- dist/pkg/default.sorot
//! ```
//!
//! For the gazetteer (the default one, or the files given, merged in order) it prints
//! the time and the heap (peak and retained, counted by a wrapping global allocator) of:
//! parsing, `Matcher::new`, normalising the forms alone, aho-corasick alone on the
//! normalised forms (as `Matcher::new` configures it), and daachorse: building,
//! serialising and deserialising the same patterns. Each step runs `RUNS` times
//! (default 5; the median time is printed). Numbers vary with the machine's load.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use sorot::{Duplicates, Gazetteer, Matcher};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

/// This thread's CPU time in nanoseconds (Linux), or `None`.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Runs `f` `runs` times; prints the median time, the peak heap above the heap
/// before the run, and what the result keeps.
fn measure<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut times = Vec::new();
    let mut last = None;
    let (mut peak, mut kept) = (0, 0);
    for _ in 0..runs {
        drop(last.take());
        let before = CURRENT.load(Relaxed);
        PEAK.store(before, Relaxed);
        let t = Instant::now();
        let value = f();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        peak = PEAK.load(Relaxed) - before;
        kept = CURRENT.load(Relaxed).saturating_sub(before);
        last = Some(value);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{label:<44} {:>9.2} ms {:>9.1} MB peak {:>9.1} MB kept",
        times[times.len() / 2],
        peak as f64 / MB,
        kept as f64 / MB
    );
    last.unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let load = || {
        if args.is_empty() {
            return sorot::default_gazetteer().unwrap();
        }
        let parts = args
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                (Gazetteer::parse(&text, p).unwrap(), p.clone())
            })
            .collect();
        Gazetteer::merge(parts, Duplicates::Replace).unwrap()
    };
    if let Ok(file) = std::env::var("SCAN") {
        // SCAN=FILE: only the scan, `Matcher::find` on the file's text, in-process:
        // the median of RUNS in wall time, and the CPU time of all the runs (this
        // thread's, from /proc/thread-self/schedstat: what waiting for a core on a
        // busy machine does not inflate).
        let text = std::fs::read_to_string(&file).unwrap();
        let m = match args.as_slice() {
            [one] if one.ends_with(".sorot") => {
                Matcher::from_compiled(&std::fs::read(one).unwrap(), one).unwrap()
            }
            _ => Matcher::new(load()).unwrap(),
        };
        let found = m.find(&text).len();
        let mut wall = Vec::new();
        let cpu_start = cpu_ns();
        for _ in 0..runs {
            let t = Instant::now();
            std::hint::black_box(m.find(&text));
            wall.push(t.elapsed().as_secs_f64());
        }
        // CPU time over all the runs (the kernel counts it in ticks of a few ms).
        let cpu = cpu_start
            .zip(cpu_ns())
            .map(|(a, b)| (b - a) as f64 / 1e9 / runs as f64);
        wall.sort_by(f64::total_cmp);
        let mb = text.len() as f64 / 1e6;
        let cpu = cpu.map_or("n/a".to_string(), |c| format!("{:.1}", mb / c));
        println!(
            "{file}: {mb:.2} MB, {found} matches; {runs} runs: {:.1} MB/s wall (median), {cpu} MB/s CPU (all runs)",
            mb / wall[wall.len() / 2]
        );
        return;
    }
    let name = if args.is_empty() {
        "default gazetteer".to_string()
    } else {
        args.join(" + ")
    };
    let g = measure("parse (text to Gazetteer)", runs, load);
    let forms: usize = g.entities().iter().map(|e| e.forms().count()).sum();
    println!(
        "{name}: {} entities, {forms} forms; {runs} runs, median",
        g.entities().len()
    );
    let json = measure("Gazetteer::to_json().to_string()", runs, || {
        g.to_json().to_string()
    });
    println!("  (entity JSON: {:.1} MB)", json.len() as f64 / MB);
    drop(json);
    let m = measure("Matcher::new (clone of the Gazetteer)", runs, || {
        Matcher::new(g.clone()).unwrap()
    });
    drop(m);
    let patterns = measure("normalise the forms (form keys)", runs, || {
        sorot::fuzzing::automaton_patterns(&g)
    });
    println!("  ({} distinct patterns)", patterns.len());
    measure("aho-corasick build (Standard, auto kind)", runs, || {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&patterns)
            .unwrap()
    });
    measure("aho-corasick build (contiguous NFA)", runs, || {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .unwrap()
    });
    let da = measure("daachorse build (bytewise)", runs, || {
        daachorse::DoubleArrayAhoCorasick::<u32>::new(&patterns).unwrap()
    });
    let bytes = measure("daachorse serialise", runs, || da.serialize());
    println!("  (serialised: {:.2} MB)", bytes.len() as f64 / MB);
    measure("daachorse deserialise (checked)", runs, || {
        daachorse::DoubleArrayAhoCorasick::<u32>::deserialize(&bytes)
            .unwrap()
            .0
    });
    measure("daachorse charwise build", runs, || {
        daachorse::CharwiseDoubleArrayAhoCorasick::<u32>::new(&patterns).unwrap()
    });
}
