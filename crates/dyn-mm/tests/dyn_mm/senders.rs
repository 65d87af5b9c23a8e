//! Approved senders: list, create, details, status, update, DKIM, delete, unknown senders.

use dyn_mm::{EMail, Error};
use dyn_sim::DEFAULT_APIKEY;

use crate::support::{SENDER, mm, mm_requests, pairs, sim, values};

#[tokio::test]
async fn the_sender_lifecycle() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let senders = session.senders();
    let listed = senders.list().collect_all().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|s| s.email_address.as_str())
            .collect::<Vec<_>>(),
        [SENDER]
    );
    let list_request = &mm_requests(&sim)[0];
    assert_eq!(
        values(&pairs(list_request), "startindex"),
        ["0"],
        "startindex, not dyn-python's start_index"
    );

    let news = "news@example.com";
    assert!(!senders.status(news).await.unwrap());
    let created = senders.create(news, true).await.unwrap();
    assert_eq!(created.email_address, news);
    assert!(senders.status(news).await.unwrap());
    let details = senders.details(news).await.unwrap();
    assert!(details.seeding);
    assert_eq!(details.dkim, None);
    assert!(
        details
            .spf
            .as_deref()
            .is_some_and(|spf| spf.starts_with("v=spf1"))
    );

    senders.update(news, false).await.unwrap();
    assert!(!senders.details(news).await.unwrap().seeding);
    senders.set_dkim(news, "key_2024-a").await.unwrap();
    let details = senders.details(news).await.unwrap();
    assert_eq!(details.dkim.as_deref(), Some("key_2024-a"));
    assert!(details.dkim_value.is_some());

    // The new sender can send.
    session
        .send(&EMail::new(news, "a@example.org", "s").text("b"))
        .await
        .unwrap();
    assert_eq!(sim.mm_messages(DEFAULT_APIKEY).len(), 1);

    assert_eq!(senders.list().collect_all().await.unwrap().len(), 2);
    senders.delete(news).await.unwrap();
    assert_eq!(senders.list().collect_all().await.unwrap().len(), 1);
    let error = session
        .send(&EMail::new(news, "a@example.org", "s").text("b"))
        .await
        .unwrap_err();
    assert_eq!(error.mm_status(), Some(452), "a deleted sender cannot send");
}

#[tokio::test]
async fn unknown_senders_are_not_found() {
    let sim = sim().await;
    let senders = mm(&sim).await.senders();
    let unknown = "ghost@example.com";
    for error in [
        senders.details(unknown).await.unwrap_err(),
        senders.delete(unknown).await.unwrap_err(),
        senders.set_dkim(unknown, "k1").await.unwrap_err(),
    ] {
        assert!(error.is_not_found(), "{error:?}");
        assert_eq!(error.mm_status(), Some(404));
    }
}

#[tokio::test]
async fn sender_arguments_are_checked_before_sending() {
    let sim = sim().await;
    let senders = mm(&sim).await.senders();
    assert!(matches!(
        senders.create("Name <a@example.com>", false).await,
        Err(Error::InvalidAddress {
            field: "emailaddress",
            ..
        })
    ));
    assert!(senders.details("nope").await.is_err());
    assert!(senders.status("a@b").await.is_err());
    assert!(senders.delete("").await.is_err());
    assert!(matches!(
        senders.set_dkim(SENDER, "bad key!").await,
        Err(Error::InvalidArgument { field: "dkim", .. })
    ));
    assert!(mm_requests(&sim).is_empty());
}
