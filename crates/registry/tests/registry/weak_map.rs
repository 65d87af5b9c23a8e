//! `WeakMap` hands out one live object per key and never keeps objects alive.

use std::sync::{Arc, Barrier};

use registry::WeakMap;

use crate::Instance;

#[test]
fn same_object_while_alive_and_a_fresh_one_after_the_last_drop() {
    let map: WeakMap<&str, Instance> = WeakMap::new();
    let first = map.get_or_insert_with("a", || Instance(1));
    let again = map.get_or_insert_with("a", || Instance(2));
    assert!(Arc::ptr_eq(&first, &again));
    assert!(Arc::ptr_eq(&first, &map.get(&"a").expect("alive")));
    assert_eq!(map.len(), 1);

    let weak = Arc::downgrade(&first);
    drop((first, again));
    assert_eq!(weak.strong_count(), 0, "the map kept the object alive");
    assert_eq!(map.get(&"a"), None);
    assert!(map.is_empty());

    let fresh = map.get_or_insert_with("a", || Instance(3));
    assert_eq!(*fresh, Instance(3));
}

#[test]
fn insert_and_remove_return_live_values_only() {
    let map: WeakMap<&str, Instance> = WeakMap::new();
    let one = Arc::new(Instance(1));
    assert_eq!(map.insert("a", &one), None);
    let two = Arc::new(Instance(2));
    let replaced = map.insert("a", &two).expect("one is alive");
    assert!(Arc::ptr_eq(&replaced, &one));
    drop(two);
    assert_eq!(map.remove(&"a"), None, "the replacement died");
    assert_eq!(map.insert("b", &one), None);
    assert!(Arc::ptr_eq(&map.remove(&"b").expect("alive"), &one));
    assert!(map.is_empty());
}

#[test]
fn dead_entries_are_pruned() {
    let map: WeakMap<usize, Instance> = WeakMap::new();
    let keep: Vec<_> = (0..10)
        .map(|n| map.get_or_insert_with(n, || Instance(n)))
        .collect();
    for n in 10..10_000 {
        drop(map.get_or_insert_with(n, || Instance(n)));
    }
    assert_eq!(map.len(), keep.len());
    // Pruning happens when the slot count doubles, so dead slots stay bounded by the live ones.
    assert!(
        map.slots() <= 2 * keep.len().max(16),
        "{} slots",
        map.slots()
    );
}

#[test]
fn racing_threads_get_the_same_object() {
    let map: Arc<WeakMap<&str, Instance>> = Arc::new(WeakMap::new());
    let start = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|n| {
            let map = Arc::clone(&map);
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                map.get_or_insert_with("shared", || Instance(n))
            })
        })
        .collect();
    let objects: Vec<_> = threads
        .into_iter()
        .map(|thread| thread.join().expect("thread ran"))
        .collect();
    assert!(
        objects
            .iter()
            .all(|object| Arc::ptr_eq(object, &objects[0]))
    );
}
