//! Sending: bodies, lists, headers, the form encoding, checks before sending, unknown
//! senders, templates, and the free function.

use dyn_mm::{EMail, Error, Header, MMSession, Substitutions, Template};
use dyn_sim::DEFAULT_APIKEY;
use serde_json::json;

use crate::support::{SENDER, endpoint, mm, mm_requests, pairs, sim, values};

#[tokio::test]
async fn text_html_and_both_are_sent() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let text = EMail::new(SENDER, "a@example.org", "text only").text("plain body");
    let html = EMail::new(SENDER, "a@example.org", "html only").html("<p>html body</p>");
    let both = EMail::new(SENDER, "a@example.org", "both")
        .text("plain")
        .html("<b>rich</b>");
    for email in [&text, &html, &both] {
        session.send(email).await.unwrap();
    }
    let messages = sim.mm_messages(DEFAULT_APIKEY);
    assert_eq!(messages.len(), 3);
    assert_eq!(
        (&messages[0]["bodytext"], &messages[0]["bodyhtml"]),
        (&json!("plain body"), &json!(null))
    );
    assert_eq!(
        (&messages[1]["bodytext"], &messages[1]["bodyhtml"]),
        (&json!(null), &json!("<p>html body</p>"))
    );
    assert_eq!(
        (&messages[2]["bodytext"], &messages[2]["bodyhtml"]),
        (&json!("plain"), &json!("<b>rich</b>"))
    );
    assert_eq!(messages[2]["subject"], "both");
}

#[tokio::test]
async fn lists_and_headers_use_the_documented_form_encoding() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let email = EMail::new(
        format!("Sender Name <{SENDER}>"),
        "a@example.org",
        "Hello & welcome",
    )
    .to("B Person <b@example.org>")
    .cc("c@example.org")
    .cc("d@example.org")
    .bcc("e@example.org")
    .reply_to("help@example.com")
    .text("Hi, 100% = done?")
    .header(Header::MessageId, "<m1@example.com>")
    .header(Header::Sender, "Agent <agent@example.com>")
    .xheader("X-Campaign", "spring 24")
    .xheader("X-Customer-Id", "42");
    session.send(&email).await.unwrap();

    let requests = mm_requests(&sim);
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/rest/json/send")
    );
    assert_eq!(request.query, None, "POST arguments travel in the body");
    let form = pairs(request);
    assert_eq!(
        values(&form, "to[]"),
        ["a@example.org", "B Person <b@example.org>"]
    );
    assert_eq!(values(&form, "cc[]"), ["c@example.org", "d@example.org"]);
    assert_eq!(values(&form, "bcc[]"), ["e@example.org"]);
    assert_eq!(values(&form, "from"), [format!("Sender Name <{SENDER}>")]);
    assert_eq!(values(&form, "replyto"), ["help@example.com"]);
    assert_eq!(values(&form, "subject"), ["Hello & welcome"]);
    assert_eq!(values(&form, "bodytext"), ["Hi, 100% = done?"]);
    assert_eq!(values(&form, "messageid"), ["<m1@example.com>"]);
    assert_eq!(values(&form, "sender"), ["Agent <agent@example.com>"]);
    assert_eq!(values(&form, "X-Campaign"), ["spring 24"]);
    assert_eq!(values(&form, "X-Customer-Id"), ["42"]);
    assert!(
        values(&form, "to").is_empty(),
        "no Python list repr, no bare `to`"
    );

    let message = &sim.mm_messages(DEFAULT_APIKEY)[0];
    assert_eq!(
        message["to"],
        json!(["a@example.org", "B Person <b@example.org>"])
    );
    assert_eq!(message["cc"], json!(["c@example.org", "d@example.org"]));
    assert_eq!(message["bcc"], json!(["e@example.org"]));
    assert_eq!(message["replyto"], "help@example.com");
    assert_eq!(message["xheaders"]["X-Campaign"], "spring 24");
    let sent = session
        .reports()
        .count(
            dyn_mm::ReportKind::Sent,
            &dyn_mm::ReportQuery::new(crate::support::around_now()),
        )
        .await
        .unwrap();
    assert_eq!(sent, 5, "one sent row per recipient, cc and bcc included");
}

#[tokio::test]
async fn invalid_addresses_are_refused_before_anything_is_sent() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let good = || EMail::new(SENDER, "a@example.org", "s").text("b");
    let cases = [
        ("to", good().to("not-an-address")),
        ("to", EMail::new(SENDER, "a@localhost", "s").text("b")),
        ("cc", good().cc("c@example..org")),
        ("bcc", good().bcc("Name <bcc@example.org")),
        (
            "from",
            EMail::new("sender at example.com", "a@example.org", "s").text("b"),
        ),
        ("replyto", good().reply_to("reply@")),
        ("to", good().to("x@example.org\r\nBcc: victim@example.net")),
    ];
    for (expected, email) in cases {
        match session.send(&email).await {
            Err(Error::InvalidAddress { field, .. }) => assert_eq!(field, expected),
            other => panic!("{expected}: expected an invalid address, got {other:?}"),
        }
    }
    let no_body = EMail::new(SENDER, "a@example.org", "s");
    assert!(matches!(
        session.send(&no_body).await,
        Err(Error::InvalidArgument {
            field: "bodytext",
            ..
        })
    ));
    let bad_header = good().xheader("Campaign", "x");
    assert!(
        session
            .send(&bad_header)
            .await
            .unwrap_err()
            .is_invalid_argument()
    );
    assert!(mm_requests(&sim).is_empty(), "nothing reached the service");
    assert!(sim.mm_messages(DEFAULT_APIKEY).is_empty());
}

#[tokio::test]
async fn an_unknown_sender_is_refused_by_the_service() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let email = EMail::new("stranger@example.net", "a@example.org", "s").text("b");
    let error = session.send(&email).await.unwrap_err();
    assert!(error.is_invalid_argument(), "{error:?}");
    assert_eq!(error.mm_status(), Some(452));
    assert_eq!(
        error.message(),
        Some("Sender stranger@example.net is not an approved sender")
    );
    assert_eq!(mm_requests(&sim).len(), 1, "a refusal is not retried");
    assert!(sim.mm_messages(DEFAULT_APIKEY).is_empty());
}

#[tokio::test]
async fn templates_send_one_message_per_substitution_set() {
    let sim = sim().await;
    let session = mm(&sim).await;
    let template = Template::new(
        EMail::new(SENDER, "list@example.org", "Hello {name}")
            .text("Dear {name}, your code is {code}. {{not a placeholder}}")
            .html("<p>Dear {name}</p>")
            .xheader("X-Campaign", "codes"),
    );
    let sets = [
        ("Ann", "a@example.org", "1"),
        ("Bob <&>", "b@example.org", "2"),
    ]
    .map(|(name, to, code)| {
        Substitutions::new()
            .set("name", name)
            .set("code", code)
            .to(to)
    });
    assert_eq!(session.send_template(&template, sets).await.unwrap(), 2);
    let messages = sim.mm_messages(DEFAULT_APIKEY);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["to"], json!(["a@example.org"]));
    assert_eq!(messages[0]["subject"], "Hello Ann");
    assert_eq!(
        messages[0]["bodytext"],
        "Dear Ann, your code is 1. {not a placeholder}"
    );
    assert_eq!(messages[1]["to"], json!(["b@example.org"]));
    assert_eq!(messages[1]["bodyhtml"], "<p>Dear Bob &lt;&amp;&gt;</p>");
    assert_eq!(messages[1]["xheaders"]["X-Campaign"], "codes");

    // A set without a value, or with a bad recipient, sends nothing at all.
    sim.clear_requests();
    let sets = vec![
        Substitutions::new().set("name", "Cy").set("code", "3"),
        Substitutions::new().set("name", "Di"),
    ];
    assert!(session.send_template(&template, sets).await.is_err());
    let sets = vec![
        Substitutions::new().set("name", "Cy").set("code", "3"),
        Substitutions::new()
            .set("name", "Ed")
            .set("code", "4")
            .to("ed@"),
    ];
    assert!(matches!(
        session.send_template(&template, sets).await,
        Err(Error::InvalidAddress { field: "to", .. })
    ));
    assert!(mm_requests(&sim).is_empty());
    assert_eq!(sim.mm_messages(DEFAULT_APIKEY).len(), 2);
}

#[test]
fn the_free_functions_send_through_the_current_session() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let sim = sim().await;
        let email = EMail::new(SENDER, "a@example.org", "s").text("b");
        assert!(matches!(
            dyn_mm::message::send_message(&email).await,
            Err(Error::NoCurrentSession)
        ));
        MMSession::builder(DEFAULT_APIKEY)
            .endpoint(endpoint(&sim))
            .connect()
            .await
            .unwrap();
        dyn_mm::message::send_message(&email).await.unwrap();
        let template = Template::new(EMail::new(SENDER, "a@example.org", "{s}").text("b"));
        let sent = dyn_mm::message::send_template(&template, [Substitutions::new().set("s", "t")])
            .await
            .unwrap();
        assert_eq!(sent, 1);
        assert_eq!(sim.mm_messages(DEFAULT_APIKEY).len(), 2);
        MMSession::close_session().await.unwrap();
    });
}
