//! Events: lifecycle events for a container start and stop arrive on the stream.

use std::time::Duration;

use futures_util::StreamExt;
use lxd_models::EventKind;

use crate::support::{client, remove_instance, unique};

#[tokio::test]
async fn start_and_stop_events_arrive() {
    let client = client();
    let name = unique("ev");
    let result: lxd_models::Result<()> = async {
        let instance = client
            .instances()
            .create_from_alias(&name, "busybox")
            .await?;
        let mut events = client
            .events()
            .kinds([EventKind::Lifecycle])
            .subscribe()
            .await?;
        instance.start().await?;
        instance.stop(true).await?;
        let source = format!("/1.0/instances/{name}");
        let mut seen = Vec::new();
        let collect = async {
            while let Some(event) = events.next().await {
                let event = event?;
                assert_eq!(event.kind, EventKind::Lifecycle);
                if event.source() == Some(source.as_str()) {
                    seen.push(event.action().unwrap_or_default().to_owned());
                    if seen.iter().any(|a| a == "instance-stopped") {
                        break;
                    }
                }
            }
            Ok::<(), lxd_models::Error>(())
        };
        tokio::time::timeout(Duration::from_secs(20), collect)
            .await
            .expect("events within 20 s")?;
        assert!(seen.iter().any(|a| a == "instance-started"), "{seen:?}");
        assert!(seen.iter().any(|a| a == "instance-stopped"), "{seen:?}");
        lxd_models::delete(&instance).await?;
        Ok(())
    }
    .await;
    remove_instance(&client, &name).await;
    result.expect("events scenario");
}
