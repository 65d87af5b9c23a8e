//! Recipients and suppressions, and the bounces and complaints that feed them.

use dyn_mm::reports::BounceType;
use dyn_mm::{DateRange, EMail, Error, ReportKind, ReportQuery};
use dyn_sim::{DEFAULT_APIKEY, MmEvent};

use crate::support::{SENDER, around_now, mm, mm_requests, pairs, sim, values};

#[tokio::test]
async fn suppressions_and_recipient_status() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let suppressions = session.suppressions();
    suppressions
        .add(&["a@example.org", "b@example.org"])
        .await
        .unwrap();
    assert_eq!(
        values(&pairs(&mm_requests(&sim)[0]), "emailaddress"),
        ["a@example.org", "b@example.org"]
    );
    assert_eq!(suppressions.count(None).await.unwrap(), 2);
    assert_eq!(suppressions.count(Some(&around_now())).await.unwrap(), 2);
    let long_ago = DateRange::from_unix(946_684_800, 978_307_200).unwrap();
    assert_eq!(suppressions.count(Some(&long_ago)).await.unwrap(), 0);
    let listed = suppressions.list(None).collect_all().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].email_address, "a@example.org");
    assert_eq!(listed[0].reason_type.as_deref(), Some("manual"));
    assert!(listed[0].time().is_some());
    assert!(
        suppressions
            .list(Some(&long_ago))
            .collect_all()
            .await
            .unwrap()
            .is_empty()
    );

    let status = session
        .recipients()
        .status(&["a@example.org", "c@example.org"])
        .await
        .unwrap();
    assert_eq!(status.len(), 2);
    assert!(!status[0].active && status[0].suppression_status == "manual");
    assert!(status[1].active && status[1].suppression_status.is_empty());

    // A suppressed recipient is recorded as an issue, not delivered.
    session
        .send(&EMail::new(SENDER, "b@example.org", "s").text("b"))
        .await
        .unwrap();
    let query = ReportQuery::new(around_now());
    let reports = session.reports();
    assert_eq!(
        reports.count(ReportKind::Delivered, &query).await.unwrap(),
        0
    );
    assert_eq!(reports.count(ReportKind::Issues, &query).await.unwrap(), 1);

    session
        .recipients()
        .activate("a@example.org")
        .await
        .unwrap();
    suppressions.activate("b@example.org").await.unwrap();
    assert_eq!(suppressions.count(None).await.unwrap(), 0);
    let status = session
        .recipients()
        .status(&["a@example.org"])
        .await
        .unwrap();
    assert!(status[0].active);
    let error = suppressions.activate("b@example.org").await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn recipient_arguments_are_checked_before_sending() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let none: [&str; 0] = [];
    assert!(matches!(
        session.suppressions().add(&none).await,
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        session.suppressions().add(&["ok@example.org", "bad"]).await,
        Err(Error::InvalidAddress { .. })
    ));
    assert!(session.recipients().status(&none).await.is_err());
    assert!(
        session
            .recipients()
            .status(&["@example.org"])
            .await
            .is_err()
    );
    assert!(session.recipients().activate("x").await.is_err());
    assert!(session.suppressions().activate("x@").await.is_err());
    assert!(mm_requests(&sim).is_empty());
}

#[tokio::test]
async fn bounces_and_complaints_are_reported_and_suppress() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let hard = MmEvent::new("bounces", "hard@example.org", SENDER)
        .with("bouncetype", "hard")
        .with("bouncecode", "5.1.1");
    let soft = MmEvent::new("bounces", "soft@example.org", SENDER).with("bouncetype", "soft");
    let complaint = MmEvent::new("complaints", "angry@example.org", SENDER);
    for event in [hard, soft, complaint] {
        assert!(sim.mm_inject(DEFAULT_APIKEY, event));
    }
    let reports = session.reports();
    let query = ReportQuery::new(around_now());
    let bounces = reports.bounces(&query).collect_all().await.unwrap();
    assert_eq!(bounces.len(), 2);
    assert_eq!(
        bounces[0].get("bouncecode"),
        Some(&serde_json::json!("5.1.1"))
    );
    let hard_only = reports
        .bounces(&query.clone().bounce_type(BounceType::Hard))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(hard_only.len(), 1);
    assert_eq!(hard_only[0].email_address(), "hard@example.org");
    let complaints = reports.complaints(&query).collect_all().await.unwrap();
    assert_eq!(complaints.len(), 1);
    assert_eq!(complaints[0].sender(), Some(SENDER));

    let status = session
        .recipients()
        .status(&["hard@example.org", "soft@example.org", "angry@example.org"])
        .await
        .unwrap();
    let summary: Vec<(bool, &str)> = status
        .iter()
        .map(|s| (s.active, s.suppression_status.as_str()))
        .collect();
    assert_eq!(
        summary,
        [(false, "bounce"), (true, ""), (false, "complaint")]
    );
}
