//! Reports of every kind, counts, unique variants, filters, date ranges, and pages.

use dyn_mm::{DateRange, EMail, Error, PAGE_SIZE, ReportKind, ReportQuery};
use dyn_sim::{DEFAULT_APIKEY, MmEvent};
use futures_util::TryStreamExt;

use crate::support::{SENDER, around_now, mm, mm_requests, pairs, sim, values};

const BASE: u64 = 1_700_000_000;

#[tokio::test]
async fn a_report_of_1201_rows_streams_across_three_pages() {
    let sim = sim().await;
    for index in 0..1201 {
        let event = MmEvent::new("clicks", &format!("u{index}@example.org"), SENDER)
            .at(BASE + index)
            .with("clicklink", "https://example.org/a");
        assert!(sim.mm_inject(DEFAULT_APIKEY, event));
    }
    let session = mm(&sim).await;
    let query = ReportQuery::new(DateRange::from_unix(BASE, BASE + 86_400).unwrap());
    let mut clicks = session.reports().clicks(&query);
    assert!(
        mm_requests(&sim).is_empty(),
        "nothing is sent before the first poll"
    );
    let first = clicks.try_next().await.unwrap().expect("a first row");
    assert_eq!(first.email_address(), "u0@example.org");
    assert_eq!(
        first.time(),
        Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(BASE))
    );
    assert_eq!(mm_requests(&sim).len(), 1, "one page fetched so far");
    let mut count = 1;
    let mut last = first;
    while let Some(row) = clicks.try_next().await.unwrap() {
        count += 1;
        last = row;
    }
    assert_eq!(count, 1201);
    assert_eq!(last.email_address(), "u1200@example.org");
    let requests = mm_requests(&sim);
    let starts: Vec<String> = requests
        .iter()
        .map(|request| values(&pairs(request), "startindex").concat())
        .collect();
    assert_eq!(starts, ["0", "500", "1000"]);
    for request in &requests {
        let form = pairs(request);
        assert_eq!(values(&form, "starttime"), ["2023-11-14T22:13:20+00:00"]);
        assert_eq!(values(&form, "endtime"), ["2023-11-15T22:13:20+00:00"]);
    }
    assert_eq!(PAGE_SIZE, 500);
    let total = session
        .reports()
        .count(ReportKind::Clicks, &query)
        .await
        .unwrap();
    assert_eq!(total, 1201);

    // Exactly two full pages end with one empty page, never more.
    sim.clear_requests();
    let to_1000 = ReportQuery::new(DateRange::from_unix(BASE, BASE + 1000).unwrap());
    let rows = session
        .reports()
        .clicks(&to_1000)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(rows.len(), 1000);
    assert_eq!(mm_requests(&sim).len(), 3);
}

#[tokio::test]
async fn every_report_kind_with_counts_and_unique_variants() {
    let sim = sim().await;
    let session = mm(&sim).await;
    session
        .suppressions()
        .add(&["blocked@example.org"])
        .await
        .unwrap();
    let email = EMail::new(SENDER, "a@example.org", "s")
        .to("b@example.net")
        .cc("blocked@example.org")
        .text("b")
        .xheader("X-Campaign", "c1");
    session.send(&email).await.unwrap();
    for (kind, who) in [
        ("opens", "a@example.org"),
        ("opens", "a@example.org"),
        ("opens", "b@example.net"),
        ("clicks", "a@example.org"),
        ("clicks", "a@example.org"),
        ("bounces", "c@example.org"),
        ("complaints", "d@example.org"),
    ] {
        assert!(sim.mm_inject(DEFAULT_APIKEY, MmEvent::new(kind, who, SENDER)));
    }
    let reports = session.reports();
    let query = ReportQuery::new(around_now());
    let expected = [
        (ReportKind::Sent, 3),
        (ReportKind::Delivered, 2),
        (ReportKind::Bounces, 1),
        (ReportKind::Complaints, 1),
        (ReportKind::Issues, 1),
        (ReportKind::Opens, 3),
        (ReportKind::Clicks, 2),
    ];
    for (kind, rows) in expected {
        let listed = reports.rows(kind, &query).collect_all().await.unwrap();
        assert_eq!(listed.len(), rows, "{kind} rows");
        assert_eq!(
            reports.count(kind, &query).await.unwrap(),
            rows as u64,
            "{kind} count"
        );
    }
    assert_eq!(expected.len(), ReportKind::ALL.len());
    let opens = reports
        .unique(ReportKind::Opens, &query)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(opens.len(), 2);
    assert_eq!(
        reports
            .unique_count(ReportKind::Opens, &query)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        reports
            .unique_count(ReportKind::Clicks, &query)
            .await
            .unwrap(),
        1
    );
    let paths: Vec<String> = mm_requests(&sim).iter().map(|r| r.path.clone()).collect();
    for path in [
        "/rest/json/reports/opens/unique",
        "/rest/json/reports/opens/count/unique",
        "/rest/json/reports/clicks/count/unique",
        "/rest/json/reports/issues/count",
    ] {
        assert!(paths.iter().any(|p| p == path), "{path} in {paths:?}");
    }
    let sent = reports.sent(&query).collect_all().await.unwrap();
    assert_eq!(sent[0].get("xheaders").unwrap()["X-Campaign"], "c1");
    assert_eq!(
        reports.delivered(&query).collect_all().await.unwrap().len(),
        2
    );
    assert_eq!(reports.issues(&query).collect_all().await.unwrap().len(), 1);
    assert_eq!(reports.opens(&query).collect_all().await.unwrap().len(), 3);
}

#[tokio::test]
async fn filters_and_date_ranges_narrow_reports() {
    let sim = sim().await;
    let session = mm(&sim).await;
    for (index, (who, campaign)) in [
        ("a@example.org", "c1"),
        ("b@example.org", "c2"),
        ("c@other.example", "c1"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut event = MmEvent::new("opens", who, SENDER).at(BASE + 100 * index as u64);
        event.xheaders.insert("X-Campaign".into(), campaign.into());
        assert!(sim.mm_inject(DEFAULT_APIKEY, event));
    }
    assert!(sim.mm_inject(
        DEFAULT_APIKEY,
        MmEvent::new("opens", "z@example.org", "other-sender@example.com").at(BASE)
    ));
    let reports = session.reports();
    let all = ReportQuery::new(DateRange::from_unix(BASE, BASE + 1000).unwrap());
    let count = |query: ReportQuery| {
        let reports = reports.clone();
        async move { reports.count(ReportKind::Opens, &query).await.unwrap() }
    };
    assert_eq!(count(all.clone()).await, 4);
    assert_eq!(count(all.clone().sender(SENDER)).await, 3);
    assert_eq!(count(all.clone().recipient("b@example.org")).await, 1);
    assert_eq!(count(all.clone().domain("other.example")).await, 1);
    assert_eq!(count(all.clone().xheader("X-Campaign", "c1")).await, 2);
    let first_two = ReportQuery::new(DateRange::from_unix(BASE, BASE + 200).unwrap());
    assert_eq!(
        count(first_two.sender(SENDER)).await,
        2,
        "the end is excluded"
    );
    let later = ReportQuery::new(DateRange::from_unix(BASE + 150, BASE + 1000).unwrap());
    assert_eq!(count(later).await, 1);
}

#[tokio::test]
async fn bad_report_arguments_send_nothing() {
    let sim = sim().await;
    let reports = mm(&sim).await.reports();
    let query = ReportQuery::new(around_now());
    assert!(matches!(
        reports.unique_count(ReportKind::Sent, &query).await,
        Err(Error::InvalidArgument {
            field: "report",
            ..
        })
    ));
    let mut unique_sent = reports.unique(ReportKind::Delivered, &query);
    assert!(unique_sent.try_next().await.is_err());
    assert!(
        unique_sent.try_next().await.unwrap().is_none(),
        "the error ends the stream"
    );
    let bounce_filter = query.clone().bounce_type(dyn_mm::reports::BounceType::Soft);
    assert!(
        reports
            .count(ReportKind::Opens, &bounce_filter)
            .await
            .is_err()
    );
    assert!(
        reports
            .count(ReportKind::Opens, &query.clone().sender("x"))
            .await
            .is_err()
    );
    assert!(
        reports
            .count(ReportKind::Opens, &query.clone().domain("bad domain"))
            .await
            .is_err()
    );
    assert!(
        reports
            .count(ReportKind::Opens, &query.clone().xheader("Campaign", "x"))
            .await
            .is_err()
    );
    assert!(DateRange::from_unix(BASE, BASE).is_err());
    assert!(mm_requests(&sim).is_empty());
    // The free functions need a current session.
    assert!(matches!(
        dyn_mm::reports::count(ReportKind::Sent, &query).await,
        Err(Error::NoCurrentSession)
    ));
}
