//! Accounts: users and entries, permission groups, contacts, notifiers, update users, IP
//! ACLs, TSIG keys; reports.

use dyn_tm::accounts::NewUser;
use serde_json::json;

use crate::support::{session, simulator};

#[tokio::test]
async fn users_with_permissions_groups_and_blocking() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let users = session.accounts().users();
    let mut new = NewUser::new("bob", "pw-bob", "bob@example.com");
    new.first_name = "Bob".into();
    new.permissions = vec!["ZoneGet".into()];
    assert!(!format!("{new:?}").contains("pw-bob"));
    users.create(&new).await.unwrap();
    assert!(users.create(&new).await.unwrap_err().is_already_exists());
    assert_eq!(users.get("bob").await.unwrap()["first_name"], "Bob");
    users.add_permission("bob", "RecordAdd").await.unwrap();
    users.remove_permission("bob", "ZoneGet").await.unwrap();
    session
        .accounts()
        .permission_groups()
        .create(Some("ops"), json!({"description": "operators"}))
        .await
        .unwrap();
    users.add_to_group("bob", "ops").await.unwrap();
    users
        .set_permissions("bob", &["ZoneGet", "ZoneCreate"])
        .await
        .unwrap();
    let blocked = users.block("bob").await.unwrap();
    assert_ne!(blocked["status"], "active");
    users.unblock("bob").await.unwrap();
    assert!(users.list(Some("bob@")).await.unwrap().len() == 1);
    users.delete("bob").await.unwrap();
    assert!(users.get("bob").await.unwrap_err().is_not_found());
    let missing_email = users.create(&NewUser::new("eve", "pw", "")).await;
    assert!(missing_email.is_err());
}

#[tokio::test]
async fn contacts_notifiers_update_users_and_acls() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let accounts = session.accounts();
    let contacts = accounts.contacts();
    contacts
        .create(Some("ops"), json!({"email": "ops@example.com"}))
        .await
        .unwrap();
    let bad = contacts
        .create(Some("bad"), json!({"email": "no-at-sign"}))
        .await
        .unwrap_err();
    assert!(bad.codes().contains(&"INVALID_DATA"));
    contacts
        .update("ops", json!({"phone": "555"}))
        .await
        .unwrap();
    assert_eq!(contacts.get("ops").await.unwrap()["phone"], "555");
    assert_eq!(contacts.list().await.unwrap().len(), 1);
    contacts.delete("ops").await.unwrap();

    let notifier = accounts
        .notifiers()
        .create(None, json!({"label": "pager", "recipients": ["ops"]}))
        .await
        .unwrap();
    let id = notifier["notifier_id"].as_str().unwrap().to_owned();
    accounts.notifiers().delete(&id).await.unwrap();

    let update_user = accounts
        .update_users()
        .create(None, json!({"nickname": "home", "password": "pw"}))
        .await
        .unwrap();
    assert_eq!(update_user["status"], "active");

    let acl = accounts
        .ip_acls()
        .set("api", &["192.0.2.0/24"], true)
        .await
        .unwrap();
    assert_eq!(acl["netmasks"], "192.0.2.0/24");
    assert_eq!(
        accounts.ip_acls().clear("api").await.unwrap()["netmasks"],
        ""
    );
}

#[tokio::test]
async fn tsig_keys_hide_their_secret() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let keys = session.accounts().tsig_keys();
    let key = keys
        .create("xfer", "hmac-sha256", "c2VjcmV0")
        .await
        .unwrap();
    assert_eq!(key.algorithm, "hmac-sha256");
    assert!(!format!("{key:?}").contains("c2VjcmV0"));
    keys.set_algorithm("xfer", "hmac-sha512").await.unwrap();
    assert_eq!(keys.get("xfer").await.unwrap().algorithm, "hmac-sha512");
    assert_eq!(
        keys.set_secret("xfer", "bmV3").await.unwrap().secret,
        "bmV3"
    );
    assert_eq!(keys.list().await.unwrap().len(), 1);
    let bad = keys
        .create("bad", "hmac-md4", "c2VjcmV0")
        .await
        .unwrap_err();
    assert!(bad.codes().contains(&"INVALID_DATA"));
    keys.delete("xfer").await.unwrap();
    assert!(keys.get("xfer").await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn reports_check_permissions_and_qps() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let check = session
        .reports()
        .check_permission(&["ZoneGet", "NoSuchPermission"], None)
        .await
        .unwrap();
    assert_eq!(check.allowed, ["ZoneGet"]);
    assert_eq!(check.forbidden, ["NoSuchPermission"]);
    let csv = session.reports().qps(0, 900, &[]).await.unwrap();
    assert!(csv.starts_with("Timestamp,Queries"));
}

#[tokio::test]
async fn permission_denied_is_a_typed_error() {
    let sim = simulator().await;
    let mut viewer = dyn_sim::UserSeed::new("acme", "viewer", "pw");
    viewer.permissions = vec!["ZoneGet".into(), "RecordGet".into()];
    sim.add_user(viewer);
    let admin = session(&sim).await;
    crate::support::zone(&admin, "example.com").await;
    let session = crate::support::builder_for(&sim, "viewer", "pw")
        .log_in_detached()
        .await
        .unwrap();
    let zone = session.zones().get("example.com").await.unwrap();
    let denied = zone
        .records()
        .add("www", dyn_tm::records::ARdata::new([192, 0, 2, 1].into()))
        .await
        .unwrap_err();
    assert!(denied.is_permission_denied(), "{denied:?}");
    let denied = session
        .zones()
        .create("mine.test", "h@x.test", 60, dyn_tm::zones::SerialStyle::Day)
        .await
        .unwrap_err();
    assert!(denied.is_permission_denied(), "{denied:?}");
    assert_eq!(
        session.permissions().await.unwrap(),
        ["ZoneGet", "RecordGet"]
    );
}

#[tokio::test]
async fn secrets_never_reach_the_history() {
    let sim = simulator().await;
    let session = crate::support::builder(&sim)
        .history(50)
        .log_in_detached()
        .await
        .unwrap();
    session
        .accounts()
        .tsig_keys()
        .create("xfer", "hmac-sha256", "c2VjcmV0S2V5")
        .await
        .unwrap();
    session
        .accounts()
        .users()
        .create(&NewUser::new("carol", "carols-pw", "carol@example.com"))
        .await
        .unwrap();
    session.update_password("n3w-pass").await.unwrap();
    let history = format!("{:?}", session.raw().history());
    assert!(history.contains("TSIGKey"), "the calls were recorded");
    for secret in [
        "c2VjcmV0S2V5",
        "carols-pw",
        "n3w-pass",
        dyn_sim::DEFAULT_PASSWORD,
    ] {
        assert!(
            !history.contains(secret),
            "{secret} leaked into the history"
        );
    }
}
