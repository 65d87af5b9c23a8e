//! Lookup cost per scope of `registry::Registry`, against a plain `Mutex<HashMap>` and a
//! `thread_local!` `RefCell<HashMap>`. Prints a markdown table of median ns per lookup and the
//! ratios ours / floor. Run with `cargo bench -p registry --bench lookup`.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports its table on stdout"
)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use registry::Registry;

const LOOKUPS: u32 = 1_000_000;
const ROUNDS: usize = 9;
const KEY: u64 = 7;
/// Other keys, so lookups hash into a realistically filled map.
const FILLER: u64 = 32;

/// Median over [`ROUNDS`] rounds of the time per call of `lookup`, in nanoseconds.
fn median_ns(mut lookup: impl FnMut() -> Option<Arc<u64>>) -> f64 {
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..LOOKUPS {
                let found = lookup();
                assert!(found.is_some(), "benchmark lookup found nothing");
                black_box(found);
            }
            start.elapsed().as_secs_f64() * 1e9 / f64::from(LOOKUPS)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

fn filled<M: FnMut(u64, Arc<u64>)>(mut insert: M) {
    for key in 0..FILLER {
        insert(key, Arc::new(key));
    }
}

thread_local! {
    static LOCAL: RefCell<HashMap<u64, Arc<u64>>> = RefCell::new(HashMap::new());
}

fn main() {
    let key = black_box(KEY);
    let mutex = Mutex::new(HashMap::new());
    filled(|k, v| {
        mutex.lock().expect("not poisoned").insert(k, v);
    });
    let floor_mutex = median_ns(|| mutex.lock().expect("not poisoned").get(&key).cloned());

    LOCAL.with(|local| filled(|k, v| drop(local.borrow_mut().insert(k, v))));
    let floor_local = median_ns(|| LOCAL.with(|local| local.borrow().get(&key).cloned()));

    let registry: Registry<u64, u64> = Registry::new();
    filled(|k, v| drop(registry.insert(k, v)));
    let thread = registry.thread().expect("main thread is running");
    filled(|k, v| drop(thread.insert(k, v)));

    let mut rows: Vec<(&str, f64)> = vec![
        ("global: `get`", median_ns(|| registry.get(&key))),
        (
            "thread: `thread()?.get` (handle reused)",
            median_ns(|| thread.get(&key)),
        ),
        (
            "thread: `thread()?.get` (handle per lookup)",
            median_ns(|| registry.thread().ok()?.get(&key)),
        ),
        (
            "current (thread entry, no task)",
            median_ns(|| registry.current(&key)),
        ),
    ];
    drop(thread);

    let override_ns =
        registry.with_override(KEY, Arc::new(KEY), || median_ns(|| registry.current(&key)));
    rows.push(("override: `current` inside `with_override`", override_ns));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime builds");
    let in_task = registry.clone();
    let task_rows = runtime
        .block_on(async {
            registry::spawn(async move {
                let task = in_task.task().expect("task scope");
                filled(|k, v| drop(task.insert(k, v)));
                vec![
                    (
                        "task: `task()?.get` (handle reused)",
                        median_ns(|| task.get(&key)),
                    ),
                    (
                        "task: `task()?.get` (handle per lookup)",
                        median_ns(|| in_task.task().ok()?.get(&key)),
                    ),
                    ("current (task entry)", median_ns(|| in_task.current(&key))),
                ]
            })
            .expect("inside a runtime")
            .await
        })
        .expect("benchmark task ran");
    rows.extend(task_rows);

    let global_only: Registry<u64, u64> = Registry::new();
    filled(|k, v| drop(global_only.insert(k, v)));
    rows.push((
        "current (global entry, no task or thread entry)",
        median_ns(|| global_only.current(&key)),
    ));

    println!(
        "Registry lookup cost: median of {ROUNDS} rounds x {LOOKUPS} lookups, {FILLER} keys per map."
    );
    println!();
    println!("| lookup | ns/lookup | ours / `Mutex<HashMap>` | ours / `thread_local!` |");
    println!("|---|---:|---:|---:|");
    println!(
        "| floor: `Mutex<HashMap>` | {floor_mutex:.1} | 1.00 | {:.2} |",
        floor_mutex / floor_local
    );
    println!(
        "| floor: `thread_local!` `RefCell<HashMap>` | {floor_local:.1} | {:.2} | 1.00 |",
        floor_local / floor_mutex
    );
    for (name, ns) in rows {
        println!(
            "| {name} | {ns:.1} | {:.2} | {:.2} |",
            ns / floor_mutex,
            ns / floor_local
        );
        // The combined table has one floor column: the cheaper of the two.
        let nanos = |ns: f64| std::time::Duration::from_secs_f64(ns / 1e9);
        let row = test_support::bench::Row {
            area: "registry",
            metric: name,
            ours: nanos(ns),
            floor: Some(nanos(floor_mutex.min(floor_local))),
            python: None,
        };
        test_support::bench::record(&row).expect("the bench summary file is writable");
    }
}
