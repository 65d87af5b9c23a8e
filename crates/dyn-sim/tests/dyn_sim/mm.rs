//! Message Management through the raw API: keys, validation, sending, senders, suppressions
//! and paged reports.

use dyn_sim::{DEFAULT_APIKEY, MmEvent, Simulator};
use serde_json::Value;

use crate::support::sim;

async fn mm(sim: &Simulator, method: &str, path: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
    let http = crate::support::http()
        .build()
        .expect("reqwest client builds");
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let url = format!("{}/rest/json/{path}", sim.base_url());
    let request = if method == "GET" {
        http.get(format!("{url}?{encoded}"))
    } else {
        http.post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(encoded)
    };
    let response = request.send().await.expect("simulator answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("MM answers are JSON");
    assert_eq!(
        body["response"]["status"].as_u64(),
        Some(u64::from(status)),
        "HTTP status mirrors the envelope"
    );
    (status, body["response"].clone())
}

const KEY: (&str, &str) = ("apikey", DEFAULT_APIKEY);

#[tokio::test]
async fn api_keys_are_required_and_checked() {
    let sim = sim().await;
    let (status, response) = mm(&sim, "GET", "senders", &[]).await;
    assert_eq!(
        (status, response["message"].as_str()),
        (451, Some("No API Key was provided"))
    );
    let (status, _) = mm(&sim, "GET", "senders", &[("apikey", "wrong")]).await;
    assert_eq!(status, 451);
    let (status, _) = mm(&sim, "GET", "nothing/here", &[KEY]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn sending_validates_and_records_events() {
    let sim = sim().await;
    let base = [
        KEY,
        ("from", "sender@example.com"),
        ("subject", "s"),
        ("bodytext", "b"),
    ];
    let bad_to: Vec<_> = base
        .iter()
        .copied()
        .chain([("to", "not-an-address")])
        .collect();
    let (status, response) = mm(&sim, "POST", "send", &bad_to).await;
    assert_eq!(
        (status, response["message"].as_str()),
        (452, Some("Missing or invalid required fields: to"))
    );
    let stranger = [
        KEY,
        ("from", "who@else.example"),
        ("to", "a@example.org"),
        ("subject", "s"),
        ("bodyhtml", "<p>b</p>"),
    ];
    assert_eq!(
        mm(&sim, "POST", "send", &stranger).await.0,
        452,
        "unapproved sender"
    );
    let no_body = [
        KEY,
        ("from", "sender@example.com"),
        ("to", "a@example.org"),
        ("subject", "s"),
    ];
    assert_eq!(mm(&sim, "POST", "send", &no_body).await.0, 452);
    mm(
        &sim,
        "POST",
        "suppressions",
        &[KEY, ("emailaddress", "blocked@example.org")],
    )
    .await;
    let good: Vec<_> = base
        .iter()
        .copied()
        .chain([
            ("to[]", "a@example.org"),
            ("to[]", "Blocked <blocked@example.org>"),
            ("cc[]", "c@example.org"),
            ("X-Tag", "t1"),
        ])
        .collect();
    let (status, _) = mm(&sim, "POST", "send", &good).await;
    assert_eq!(status, 200);
    let message = &sim.mm_messages(DEFAULT_APIKEY)[0];
    assert_eq!(
        message["to"],
        serde_json::json!(["a@example.org", "Blocked <blocked@example.org>"])
    );
    assert_eq!(message["xheaders"]["X-Tag"], "t1");
    let range = [KEY, ("starttime", "2000-01-01"), ("endtime", "2100-01-01")];
    let (_, delivered) = mm(&sim, "GET", "reports/delivered/count", &range).await;
    assert_eq!(
        delivered["data"]["count"], 2,
        "a and c; the suppressed recipient is not delivered"
    );
    let (_, issues) = mm(&sim, "GET", "reports/issues", &range).await;
    assert_eq!(
        issues["data"]["issues"][0]["emailaddress"],
        "blocked@example.org"
    );
}

#[tokio::test]
async fn reports_come_in_pages_of_500() {
    let sim = sim().await;
    for i in 0..1201 {
        let event = MmEvent::new("clicks", &format!("u{i}@example.org"), "sender@example.com")
            .at(1_700_000_000 + i);
        assert!(sim.mm_inject(
            DEFAULT_APIKEY,
            event.with("clicklink", "https://example.org/a")
        ));
    }
    let mut total = 0;
    let mut sizes = Vec::new();
    loop {
        let start = total.to_string();
        let query = [
            KEY,
            ("starttime", "2023-11-14T00:00:00+00:00"),
            ("endtime", "2030-01-01T00:00:00Z"),
            ("startindex", start.as_str()),
        ];
        let (_, response) = mm(&sim, "GET", "reports/clicks", &query).await;
        let n = response["data"]["clicks"].as_array().map_or(0, Vec::len);
        sizes.push(n);
        total += n;
        if n < 500 {
            break;
        }
    }
    assert_eq!(sizes, [500, 500, 201]);
    let window = [KEY, ("starttime", "1700000000"), ("endtime", "1700000010")];
    let (_, count) = mm(&sim, "GET", "reports/clicks/count", &window).await;
    assert_eq!(count["data"]["count"], 10, "endtime is exclusive");
    let (status, _) = mm(
        &sim,
        "GET",
        "reports/clicks",
        &[KEY, ("starttime", "2024-01-02"), ("endtime", "2024-01-01")],
    )
    .await;
    assert_eq!(status, 452);
}

#[tokio::test]
async fn senders_suppressions_recipients_and_accounts() {
    let sim = sim().await;
    mm(
        &sim,
        "POST",
        "senders",
        &[KEY, ("emailaddress", "news@example.com"), ("seeding", "1")],
    )
    .await;
    mm(
        &sim,
        "POST",
        "senders",
        &[KEY, ("emailaddress", "news@example.com"), ("seeding", "0")],
    )
    .await;
    let (_, list) = mm(&sim, "GET", "senders", &[KEY]).await;
    assert_eq!(
        list["data"]["senders"].as_array().map(Vec::len),
        Some(2),
        "POST updates, never duplicates"
    );
    mm(
        &sim,
        "POST",
        "senders/dkim",
        &[KEY, ("emailaddress", "news@example.com"), ("dkim", "sel1")],
    )
    .await;
    let (_, details) = mm(
        &sim,
        "GET",
        "senders/details",
        &[KEY, ("emailaddress", "news@example.com")],
    )
    .await;
    assert_eq!(
        (
            details["data"]["dkim"].as_str(),
            details["data"]["seeding"].as_u64()
        ),
        (Some("sel1"), Some(0))
    );
    mm(
        &sim,
        "POST",
        "senders/delete",
        &[KEY, ("emailaddress", "news@example.com")],
    )
    .await;
    let (_, status) = mm(
        &sim,
        "GET",
        "senders/status",
        &[KEY, ("emailaddress", "news@example.com")],
    )
    .await;
    assert_eq!(status["data"]["ready"], 0);

    assert!(sim.mm_inject(
        DEFAULT_APIKEY,
        MmEvent::new("complaints", "angry@example.org", "sender@example.com")
    ));
    let (_, count) = mm(&sim, "GET", "suppressions/count", &[KEY]).await;
    assert_eq!(count["data"]["count"], 1);
    let (_, rcpt) = mm(
        &sim,
        "GET",
        "recipients/status",
        &[
            KEY,
            ("emailaddress", "angry@example.org"),
            ("emailaddress", "fine@example.org"),
        ],
    )
    .await;
    let statuses: Vec<&str> = rcpt["data"]["recipients"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert_eq!(statuses, ["inactive", "active"]);
    mm(
        &sim,
        "POST",
        "recipients/activate",
        &[KEY, ("emailaddress", "angry@example.org")],
    )
    .await;
    assert_eq!(
        mm(
            &sim,
            "POST",
            "suppressions/activate",
            &[KEY, ("emailaddress", "angry@example.org")]
        )
        .await
        .0,
        404
    );

    let new_account = [
        KEY,
        ("username", "sub@example.net"),
        ("password", "pw"),
        ("companyname", "Sub"),
        ("phone", "1"),
    ];
    let (status, created) = mm(&sim, "POST", "accounts", &new_account).await;
    assert_eq!(status, 200);
    let sub_key = created["data"]["apikey"]
        .as_str()
        .expect("new key")
        .to_owned();
    let (_, accounts) = mm(&sim, "GET", "accounts", &[KEY]).await;
    assert_eq!(
        accounts["data"]["accounts"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        mm(&sim, "GET", "senders", &[("apikey", &sub_key)]).await.0,
        200
    );
    mm(
        &sim,
        "POST",
        "accounts/delete",
        &[KEY, ("username", "sub@example.net")],
    )
    .await;
    assert_eq!(
        mm(&sim, "GET", "senders", &[("apikey", &sub_key)]).await.0,
        451
    );
    assert_eq!(
        mm(
            &sim,
            "POST",
            "accounts/xheaders",
            &[KEY, ("xheader1", "NoPrefix")]
        )
        .await
        .0,
        452
    );
}

#[tokio::test]
async fn faults_apply_to_mm_calls_in_the_mm_envelope() {
    let sim = sim().await;
    sim.add_fault(dyn_sim::FaultRule::next(
        1,
        dyn_sim::RequestMatch::path("/rest/json/senders"),
        dyn_sim::Fault::RateLimit {
            retry_after_secs: 2,
        },
    ));
    let (status, response) = mm(&sim, "GET", "senders", &[KEY]).await;
    assert_eq!(
        (status, response["message"].as_str()),
        (429, Some("API rate limit exceeded"))
    );
    sim.fail_next(
        1,
        dyn_sim::RequestMatch::path("/rest/json/"),
        503,
        "SERVICE_UNAVAILABLE",
        "Service unavailable",
    );
    assert_eq!(mm(&sim, "GET", "senders", &[KEY]).await.0, 503);
    assert_eq!(
        mm(&sim, "GET", "senders", &[KEY]).await.0,
        200,
        "faults are used up"
    );
}
