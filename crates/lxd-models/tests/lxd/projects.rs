//! Projects as scopes: their own profiles, typed `used_by` references with the project.

use lxd_models::{Handle, RefKind};
use serde_json::json;

use crate::support::{client, unique};

#[tokio::test]
async fn project_scope_and_used_by() {
    let client = client();
    let name = unique("proj");
    let result: lxd_models::Result<()> = async {
        let project = client
            .projects()
            .create(
                json!({"name": name, "description": "p", "config": {"features.profiles": "true"}}),
            )
            .await?;
        assert_eq!(
            project
                .config()
                .get("features.profiles")
                .map(String::as_str),
            Some("true")
        );

        let scoped = project.client_scope();
        assert_eq!(scoped.project_name(), Some(name.as_str()));
        let inner = scoped
            .profiles()
            .create(json!({"name": "inner", "config": {}}))
            .await?;
        assert_eq!(inner.url().project(), Some(name.as_str()));
        assert!(
            !client.profiles().exists("inner").await?,
            "the profile lives in the project only"
        );
        // Same name in two projects: two different objects.
        let theirs = scoped.profiles().get("default").await?;
        let ours = client.profiles().get("default").await?;
        assert!(!Handle::ptr_eq(&theirs, &ours));

        lxd_models::sync(&project).await?;
        let used_by = project.used_by();
        let profiles = used_by.of_kind(RefKind::Profile);
        assert!(
            profiles.iter().all(|r| r.project() == Some(name.as_str())),
            "{profiles:?}"
        );
        let models = used_by.profiles().await?;
        assert!(models.iter().any(|p| Handle::ptr_eq(p, &inner)));

        lxd_models::delete(&inner).await?;
        lxd_models::delete(&project).await?;
        assert!(!client.projects().exists(&name).await?);
        Ok(())
    }
    .await;
    let _ = client.project(&name).profiles().delete("inner").await;
    let _ = client.projects().delete(name.as_str()).await;
    result.expect("project scenario");
}
