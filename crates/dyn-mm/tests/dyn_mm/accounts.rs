//! Accounts: list (pages of 25), cap, lookup, create, update, delete, x-headers.

use dyn_mm::Error;
use dyn_mm::accounts::{AccountSettings, NewAccount, XHeaders};
use dyn_sim::DEFAULT_APIKEY;

use crate::support::{mm, mm_requests, mm_with_key, pairs, sim, values};

#[tokio::test]
async fn list_cap_and_lookup() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let accounts = session.accounts().list().collect_all().await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].username(), "owner@example.com");
    assert_eq!(
        accounts[0].apikey().map(dyn_mm::accounts::ApiKey::expose),
        Some(DEFAULT_APIKEY)
    );
    assert!(!format!("{:?}", accounts[0]).contains(DEFAULT_APIKEY));
    assert_eq!(session.accounts().email_cap().await.unwrap(), 100_000);
    let owner = session.accounts().get("OWNER@example.com").await.unwrap();
    assert_eq!(owner.username(), "owner@example.com");
    let missing = session
        .accounts()
        .get("nobody@example.com")
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::NoSuchAccount(_)) && missing.is_not_found());
}

#[tokio::test]
async fn create_use_update_and_delete_a_sub_account() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let new = NewAccount::new("sub@example.net", "sub-s3cret", "Sub Co", "+1 555 0100").settings(
        AccountSettings::new()
            .city("Manchester")
            .country("US")
            .track_opens(true),
    );
    assert!(!format!("{new:?}").contains("sub-s3cret"));
    let created = session.accounts().create(&new).await.unwrap();
    assert_eq!(created.username(), "sub@example.net");
    assert_eq!(created.city(), Some("Manchester"));
    assert!(created.track_opens() && !created.track_links());
    let history = session.history();
    let create_args = history.last().unwrap().args();
    assert_eq!(
        create_args["password"],
        session_core::MASK,
        "history masks the password"
    );
    let form = pairs(mm_requests(&sim).last().unwrap());
    assert_eq!(values(&form, "companyname"), ["Sub Co"]);
    assert_eq!(values(&form, "trackopens"), ["1"]);

    // The new account's own key works, and it has its own (empty) sender list.
    let key = created.apikey().expect("a new key").expose().to_owned();
    let sub = mm_with_key(&sim, &key).await;
    assert!(sub.senders().list().collect_all().await.unwrap().is_empty());

    let updated = session
        .accounts()
        .update("sub@example.net", &AccountSettings::new().city("Bedford"))
        .await
        .unwrap();
    assert_eq!(updated.city(), Some("Bedford"));
    assert_eq!(
        session.accounts().list().collect_all().await.unwrap().len(),
        2
    );

    session.accounts().delete("sub@example.net").await.unwrap();
    assert_eq!(
        session.accounts().list().collect_all().await.unwrap().len(),
        1
    );
    let gone = session
        .accounts()
        .delete("sub@example.net")
        .await
        .unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
    assert!(
        sub.senders()
            .list()
            .collect_all()
            .await
            .unwrap_err()
            .is_key_error(),
        "a deleted account's key stops working"
    );
}

#[tokio::test]
async fn account_arguments_are_checked_before_sending() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let bad_user = NewAccount::new("not-an-address", "p", "c", "1");
    assert!(matches!(
        session.accounts().create(&bad_user).await,
        Err(Error::InvalidAddress {
            field: "username",
            ..
        })
    ));
    let no_phone = NewAccount::new("x@example.net", "p", "c", " ");
    assert!(matches!(
        session.accounts().create(&no_phone).await,
        Err(Error::InvalidArgument { field: "phone", .. })
    ));
    assert!(session.accounts().delete("nope").await.is_err());
    assert!(XHeaders::new(["X-A", "X-B", "X-C", "X-D", "X-E"]).is_err());
    assert!(XHeaders::new(["Campaign"]).is_err());
    assert!(mm_requests(&sim).is_empty());
}

#[tokio::test]
async fn the_service_refuses_an_incomplete_new_account() {
    let sim = sim().await;
    let session = mm(&sim).await;
    // An existing user name is an update; a new one without required fields is refused.
    let error = session
        .accounts()
        .update("fresh@example.net", &AccountSettings::new().city("X"))
        .await
        .unwrap_err();
    assert!(error.is_invalid_argument(), "{error:?}");
    assert_eq!(error.mm_status(), Some(452));
}

#[tokio::test]
async fn x_headers_round_trip() {
    let sim = sim().await;
    let session = mm(&sim).await;
    assert!(
        session
            .accounts()
            .xheaders()
            .await
            .unwrap()
            .names()
            .is_empty()
    );
    let names = XHeaders::new(["X-Campaign", "X-Customer"]).unwrap();
    session.accounts().set_xheaders(&names).await.unwrap();
    assert_eq!(session.accounts().xheaders().await.unwrap(), names);
    let fewer = XHeaders::new(["X-Other"]).unwrap();
    session.accounts().set_xheaders(&fewer).await.unwrap();
    assert_eq!(
        session.accounts().xheaders().await.unwrap().names(),
        ["X-Other"],
        "unused slots are cleared"
    );
}

#[tokio::test]
async fn the_account_list_follows_pages_of_25() {
    let sim = sim().await;
    let session = mm(&sim).await;
    for index in 0..30 {
        let new = NewAccount::new(format!("sub{index}@example.org"), "p", "c", "1");
        session.accounts().create(&new).await.unwrap();
    }
    sim.clear_requests();
    let accounts = session.accounts().list().collect_all().await.unwrap();
    assert_eq!(accounts.len(), 31);
    let starts: Vec<String> = mm_requests(&sim)
        .iter()
        .map(|request| values(&pairs(request), "startindex").concat())
        .collect();
    assert_eq!(starts, ["0", "25"]);
}
