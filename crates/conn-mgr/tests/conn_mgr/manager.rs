//! The pyATS resolution rules (spec §1.3), default alias (§1.4), lifecycle table (§1.5) and pools
//! (§1.7), against the scripted `fake` class.

use std::time::Duration;

use conn_mgr::{
    Classes, ConnectOptions, Device, Error, ExecOptions, FakeClass, Testbed, TestbedLoader, Value,
};

const TESTBED: &str = r"
testbed:
  name: lab
  credentials:
    default: {username: admin, password: secret}
devices:
  r1:
    os: iosxe
    connections:
      defaults:
        class: fake
      a: {ip: 192.0.2.1}
      b: {ip: 192.0.2.2}
  single:
    connections:
      only: {ip: 192.0.2.3, class: fake}
  aliased:
    connections:
      defaults: {class: fake, alias: myalias, via: b}
      a: {ip: 192.0.2.4}
      b: {ip: 192.0.2.5}
";

fn testbed_with(fake: &FakeClass) -> Testbed {
    let spec = TestbedLoader::new()
        .without_process_env()
        .load_str(TESTBED, "lab.yaml")
        .expect("the test testbed is valid");
    let classes = Classes::with_builtins();
    classes.register("fake", fake.clone());
    classes.register("fake_cli", fake.clone().with_default_alias("cli"));
    Testbed::with_classes(spec, classes)
}

fn device(name: &str) -> (Device, FakeClass) {
    let fake = FakeClass::new();
    (
        testbed_with(&fake).device(name).expect("device exists"),
        fake,
    )
}

#[tokio::test]
async fn execute_before_connect_is_a_typed_error() {
    let (r1, _) = device("r1");
    assert!(
        matches!(r1.execute("show ver").await, Err(Error::NotConnected { alias, .. }) if alias == "default")
    );
    assert!(!r1.is_connected(None));
    assert!(!r1.is_connected(Some("nope")));
}

#[tokio::test]
async fn bare_connect_uses_default_alias_and_explicit_via() {
    let (r1, _) = device("r1");
    let h = r1.connect(ConnectOptions::new().via("a")).await.unwrap();
    assert_eq!(h.alias(), "default");
    assert_eq!(r1.execute("show ver").await.unwrap(), "default/a:show ver");
    assert!(r1.is_connected(None));
}

#[tokio::test]
async fn via_rules_single_path_default_via_and_unknown_via() {
    let (single, _) = device("single");
    single.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!(single.execute("x").await.unwrap(), "default/only:x");

    // Two paths, no default: no via (the class decides, as in pyATS).
    let (r1, _) = device("r1");
    r1.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!(r1.execute("x").await.unwrap(), "default/-:x");

    let err = r1
        .connect(ConnectOptions::new().alias("z").via("nope"))
        .await
        .unwrap_err();
    let Error::UnknownVia { via, defined, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (via.as_str(), defined.clone()),
        ("nope", vec!["a".to_owned(), "b".to_owned()])
    );
    assert!(err.to_string().contains("defined: a, b"), "{err}");
    assert!(
        r1.connection("z").is_err(),
        "nothing is registered for a bad via"
    );
}

#[tokio::test]
async fn defaults_alias_and_via_are_used() {
    let (d, _) = device("aliased");
    assert_eq!(d.default_alias(), "myalias");
    let h = d.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!((h.alias(), h.via()), ("myalias", Some("b")));
    assert_eq!(d.execute("x").await.unwrap(), "myalias/b:x");
    assert_eq!(d.connection("default").unwrap().alias(), "myalias");
}

#[tokio::test]
async fn class_default_alias_beats_defaults_alias() {
    let (d, _) = device("aliased");
    let h = d
        .connect(ConnectOptions::new().class("fake_cli"))
        .await
        .unwrap();
    assert_eq!(h.alias(), "cli");
    assert_eq!(d.default_alias(), "cli");
    assert_eq!(d.execute("x").await.unwrap(), "cli/b:x");
}

#[tokio::test]
async fn unknown_class_and_invalid_alias() {
    let (r1, _) = device("r1");
    assert!(
        matches!(r1.connect(ConnectOptions::new().class("nope.Nope")).await, Err(Error::UnknownClass(c)) if c == "nope.Nope")
    );
    for bad in ["my-alias", "1x", ""] {
        assert!(
            matches!(
                r1.instantiate(ConnectOptions::new().alias(bad)),
                Err(Error::InvalidAlias { .. })
            ),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn named_alias_does_not_move_the_default() {
    let (r1, _) = device("r1");
    r1.connect(ConnectOptions::new().via("a")).await.unwrap();
    r1.connect(ConnectOptions::new().alias("vty").via("b"))
        .await
        .unwrap();
    assert_eq!(r1.default_alias(), "default");
    assert_eq!(r1.execute("x").await.unwrap(), "default/a:x");
    assert_eq!(
        r1.connection("vty").unwrap().execute("x").await.unwrap(),
        "vty/b:x"
    );
    r1.set_default_alias("vty").unwrap();
    assert_eq!(r1.execute("x").await.unwrap(), "vty/b:x");
}

#[tokio::test]
async fn temporary_default_alias_is_a_view() {
    let (r1, _) = device("r1");
    r1.connect(ConnectOptions::new().via("a")).await.unwrap();
    r1.connect(ConnectOptions::new().alias("i").via("b"))
        .await
        .unwrap();
    let view = r1.with_default_alias("i").unwrap();
    assert_eq!(view.execute("x").await.unwrap(), "i/b:x");
    assert_eq!(r1.execute("x").await.unwrap(), "default/a:x");
}

#[tokio::test]
async fn connect_twice_reuses_the_object() {
    let (r1, fake) = device("r1");
    r1.connect(ConnectOptions::new().via("a")).await.unwrap();
    r1.connect(ConnectOptions::new().via("a")).await.unwrap();
    assert_eq!(fake.created(), 1);
    assert_eq!(fake.events(), ["default connect", "default connect"]);
}

#[tokio::test]
async fn reconnect_with_a_different_via_while_connected_is_an_error() {
    let (r1, fake) = device("r1");
    r1.connect(ConnectOptions::new().alias("k").via("a"))
        .await
        .unwrap();
    let err = r1
        .connect(ConnectOptions::new().alias("k").via("b"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AliasInUse { alias, .. } if alias == "k"),
        "{err:?}"
    );
    assert_eq!(fake.created(), 1);
    // Once disconnected, a different via replaces the object (pyATS).
    r1.disconnect(Some("k")).await.unwrap();
    r1.connect(ConnectOptions::new().alias("k").via("b"))
        .await
        .unwrap();
    assert_eq!(fake.created(), 2);
    assert_eq!(
        r1.connection("k").unwrap().execute("x").await.unwrap(),
        "k/b:x"
    );
}

#[tokio::test]
async fn failed_connect_leaves_the_alias_registered() {
    let (r1, fake) = device("r1");
    fake.fail_connects(1);
    assert!(
        r1.connect(ConnectOptions::new().alias("k").via("a"))
            .await
            .is_err()
    );
    assert_eq!(r1.manager().aliases(), ["k"]);
    assert!(!r1.is_connected(Some("k")));
    r1.connect(ConnectOptions::new().alias("k").via("a"))
        .await
        .unwrap();
    assert!(r1.is_connected(Some("k")));
}

#[tokio::test]
async fn disconnect_keeps_destroy_removes_unknown_is_an_error() {
    let (r1, _) = device("r1");
    r1.connect(ConnectOptions::new().alias("v").via("a"))
        .await
        .unwrap();
    r1.disconnect(Some("v")).await.unwrap();
    assert_eq!(r1.manager().aliases(), ["v"]);
    assert!(!r1.is_connected(Some("v")));
    r1.destroy(Some("v")).await.unwrap();
    assert!(matches!(
        r1.connection("v"),
        Err(Error::UnknownAlias { .. })
    ));
    assert!(matches!(
        r1.disconnect(Some("missing")).await,
        Err(Error::UnknownAlias { .. })
    ));
    assert!(matches!(
        r1.destroy(Some("missing")).await,
        Err(Error::UnknownAlias { .. })
    ));
}

#[tokio::test]
async fn disconnect_all_and_destroy_all() {
    let (r1, _) = device("r1");
    r1.connect(ConnectOptions::new().alias("x").via("a"))
        .await
        .unwrap();
    r1.connect(ConnectOptions::new().alias("y").via("b"))
        .await
        .unwrap();
    r1.disconnect_all().await.unwrap();
    assert_eq!(r1.manager().aliases(), ["x", "y"]);
    assert!(!r1.is_connected(Some("x")) && !r1.is_connected(Some("y")));
    r1.destroy_all().await.unwrap();
    assert!(r1.manager().aliases().is_empty());
}

#[tokio::test]
async fn services_by_name_and_unknown_service() {
    let (r1, _) = device("r1");
    r1.connect(ConnectOptions::new().via("a")).await.unwrap();
    assert_eq!(
        r1.call("ping", &[Value::from("1.1.1.1")]).await.unwrap(),
        Value::String("pong 1".into())
    );
    assert!(matches!(
        r1.call("reload", &[]).await,
        Err(Error::UnknownService { .. })
    ));
    assert_eq!(r1.configure(&["hostname R2"]).await.unwrap(), "hostname R2");
}

#[tokio::test]
async fn connect_args_reach_the_class_and_credentials_chain() {
    // The `local` class reads `timeout` from the args; a bad value is refused at instantiate time.
    let (r1, _) = device("r1");
    let err = r1
        .instantiate(
            ConnectOptions::new()
                .class("local")
                .alias("l")
                .arg("timeout", "soon"),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let h = r1
        .connect(
            ConnectOptions::new()
                .class("local")
                .alias("l")
                .arg("timeout", 5),
        )
        .await
        .unwrap();
    assert_eq!(
        h.execute("echo hi; echo err >&2").await.unwrap(),
        "hi\nerr\n"
    );
    assert!(matches!(
        h.execute("exit 3").await,
        Err(Error::ExitStatus { status: 3, .. })
    ));
}

#[tokio::test]
async fn pool_workers_have_numbered_aliases_and_share_the_load() {
    let (r1, fake) = device("r1");
    let pool = r1
        .connect(ConnectOptions::new().alias("p").via("a").pool(3))
        .await
        .unwrap();
    assert_eq!(pool.pool_size(), Some(3));
    assert!(pool.is_connected());
    let outputs: Vec<String> = futures_join(3, |_| {
        let pool = pool.clone();
        async move { pool.execute("sleep 20").await.unwrap() }
    })
    .await;
    let mut workers: Vec<_> = outputs
        .iter()
        .map(|o| o.split('/').next().unwrap().to_owned())
        .collect();
    workers.sort();
    assert_eq!(workers, ["p-1", "p-2", "p-3"]);
    assert_eq!(fake.created(), 3);
}

#[tokio::test]
async fn pool_size_zero_is_a_plain_connection_and_existing_plain_is_reused() {
    let (r1, _) = device("r1");
    let h = r1
        .connect(ConnectOptions::new().alias("p").via("a").pool(0))
        .await
        .unwrap();
    assert_eq!(h.pool_size(), None);
    let again = r1
        .connect(ConnectOptions::new().alias("p").via("a").pool(2))
        .await
        .unwrap();
    assert_eq!(again.pool_size(), None);
}

#[tokio::test(start_paused = true)]
async fn pool_timeout_is_a_typed_error_and_the_pool_stays_usable() {
    let (r1, _) = device("r1");
    let pool = r1
        .connect(
            ConnectOptions::new()
                .alias("p")
                .via("a")
                .pool(1)
                .pool_timeout(Duration::from_secs(1)),
        )
        .await
        .unwrap();
    let busy = tokio::spawn({
        let pool = pool.clone();
        async move { pool.execute("sleep 5000").await }
    });
    tokio::task::yield_now().await;
    let err = pool.execute("x").await.unwrap_err();
    assert!(
        matches!(err, Error::PoolTimeout { ref alias, waited } if alias == "p" && waited == Duration::from_secs(1))
    );
    busy.await.unwrap().unwrap();
    assert_eq!(pool.execute("x").await.unwrap(), "p-1/a:x");
}

#[tokio::test(start_paused = true)]
async fn pool_waiters_are_served_in_arrival_order() {
    let (r1, _) = device("r1");
    let pool = r1
        .connect(ConnectOptions::new().alias("p").via("a").pool(1))
        .await
        .unwrap();
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for i in 0..5 {
        let (pool, order) = (pool.clone(), order.clone());
        tasks.push(tokio::spawn(async move {
            pool.execute("sleep 10").await.unwrap();
            order.lock().unwrap().push(i);
        }));
        // Make arrival order deterministic.
        tokio::task::yield_now().await;
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3, 4]);
}

#[tokio::test]
async fn cancelled_pool_call_returns_its_worker() {
    let (r1, _) = device("r1");
    let pool = r1
        .connect(ConnectOptions::new().alias("p").via("a").pool(1))
        .await
        .unwrap();
    let cancelled = tokio::time::timeout(Duration::from_millis(20), pool.execute("hang")).await;
    assert!(cancelled.is_err());
    assert_eq!(pool.execute("x").await.unwrap(), "p-1/a:x");
}

#[tokio::test]
async fn broken_pool_worker_is_reconnected_in_the_background() {
    let (r1, fake) = device("r1");
    let pool = r1
        .connect(ConnectOptions::new().alias("p").via("a").pool(1))
        .await
        .unwrap();
    assert!(matches!(
        pool.execute("drop").await,
        Err(Error::Disconnected)
    ));
    // The next call waits for the reconnect and then succeeds on the same worker.
    assert_eq!(pool.execute("x").await.unwrap(), "p-1/a:x");
    let connects = fake
        .events()
        .iter()
        .filter(|e| e.ends_with(" connect"))
        .count();
    assert_eq!(connects, 2);
}

#[tokio::test]
async fn pool_errors_propagate_and_pool_stays_usable() {
    let (r1, _) = device("r1");
    let pool = r1
        .connect(ConnectOptions::new().alias("p").via("a").pool(2))
        .await
        .unwrap();
    assert!(matches!(
        pool.execute("fail").await,
        Err(Error::CommandFailed { .. })
    ));
    assert_eq!(
        pool.execute_with("x", &ExecOptions::new())
            .await
            .unwrap()
            .split(':')
            .nth(1),
        Some("x")
    );
}

#[tokio::test]
async fn default_alias_pointing_at_a_pool_goes_through_the_pool() {
    let (r1, _) = device("r1");
    r1.connect(ConnectOptions::new().via("a").pool(2))
        .await
        .unwrap();
    assert!(r1.execute("x").await.unwrap().starts_with("default-"));
}

#[tokio::test]
async fn fleet_connect_and_execute_all_give_per_device_results() {
    let fake = FakeClass::new();
    let tb = testbed_with(&fake);
    let connected = tb.connect_all(ConnectOptions::new(), 2).await;
    assert_eq!(connected.len(), 3);
    assert!(connected.values().all(Result::is_ok), "{connected:?}");
    let out = tb.execute_all("show clock", 2).await;
    assert_eq!(out["single"].as_deref().unwrap(), "default/only:show clock");
    assert_eq!(out["aliased"].as_deref().unwrap(), "myalias/b:show clock");
    assert!(tb.device("nope").is_err());
    assert_eq!(tb.device("r1").unwrap().name(), "r1");
}

async fn futures_join<T, F, Fut>(n: usize, f: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let handles: Vec<_> = (0..n).map(|i| tokio::spawn(f(i))).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task does not panic"));
    }
    out
}

#[test]
fn handles_and_futures_are_send_and_cheap_to_clone() {
    fn send<T: Send>(_: &T) {}
    fn sync<T: Send + Sync + Clone>() {}
    sync::<Device>();
    sync::<Testbed>();
    sync::<conn_mgr::ConnectionHandle>();
    sync::<Classes>();
    let (r1, _) = device("r1");
    send(&r1.execute("x"));
    send(&r1.connect(ConnectOptions::new()));
    send(&r1.disconnect_all());
    send(&r1.destroy(None));
    let tb = testbed_with(&FakeClass::new());
    send(&tb.execute_all("x", 1));
    send(&tb.connect_all(ConnectOptions::new(), 1));
}

#[tokio::test]
async fn instantiate_registers_without_connecting() {
    let (r1, fake) = device("r1");
    let h = r1
        .instantiate(ConnectOptions::new().alias("later").via("b"))
        .unwrap();
    assert_eq!(r1.manager().aliases(), ["later"]);
    assert!(!h.is_connected());
    assert!(fake.events().is_empty());
    assert!(matches!(
        h.execute("x").await,
        Err(Error::NotConnected { .. })
    ));
    h.connect().await.unwrap();
    assert_eq!(h.execute("x").await.unwrap(), "later/b:x");
}
