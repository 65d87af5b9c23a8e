//! The TM envelope: `status`, `data`, `job_id`, `msgs[{INFO, SOURCE, ERR_CD, LVL}]`, and the
//! failures every endpoint shares (texts from spec §1.6 where the real ones are known).

use serde_json::{Value, json};

/// One entry of `msgs`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Msg {
    pub(crate) info: String,
    pub(crate) source: &'static str,
    pub(crate) err_cd: Option<String>,
    pub(crate) lvl: &'static str,
}

impl Msg {
    pub(crate) fn info(text: impl Into<String>) -> Self {
        Self {
            info: text.into(),
            source: "BLL",
            err_cd: None,
            lvl: "INFO",
        }
    }
    pub(crate) fn error(err_cd: &str, source: &'static str, text: impl Into<String>) -> Self {
        Self {
            info: text.into(),
            source,
            err_cd: Some(err_cd.to_owned()),
            lvl: "ERROR",
        }
    }
    pub(crate) fn to_json(&self) -> Value {
        json!({"INFO": self.info, "SOURCE": self.source, "ERR_CD": self.err_cd, "LVL": self.lvl})
    }
}

/// A successful answer before it gets its `job_id`.
#[derive(Debug, Clone)]
pub(crate) struct Success {
    pub(crate) data: Value,
    pub(crate) msgs: Vec<Msg>,
}

/// A failed answer before it gets its `job_id`.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) http: u16,
    pub(crate) status: &'static str,
    pub(crate) msgs: Vec<Msg>,
    pub(crate) retry_after: Option<u64>,
}

pub(crate) type TmResult = Result<Success, Failure>;

pub(crate) fn ok(data: Value, info: impl Into<String>) -> TmResult {
    Ok(Success {
        data,
        msgs: vec![Msg::info(info)],
    })
}

impl Failure {
    pub(crate) fn new(http: u16, msgs: Vec<Msg>) -> Self {
        Self {
            http,
            status: "failure",
            msgs,
            retry_after: None,
        }
    }
    /// Adds a trailing informational message, as the API does after an error.
    pub(crate) fn and(mut self, info: impl Into<String>) -> Self {
        self.msgs.push(Msg::info(info));
        self
    }
}

pub(crate) fn not_found(text: impl Into<String>) -> Failure {
    Failure::new(404, vec![Msg::error("NOT_FOUND", "API-B", text)])
}
pub(crate) fn no_such_zone() -> Failure {
    not_found("zone: No such zone")
}
pub(crate) fn invalid(text: impl Into<String>) -> Failure {
    Failure::new(400, vec![Msg::error("INVALID_DATA", "DYN", text)])
}
pub(crate) fn missing(field: &str) -> Failure {
    Failure::new(
        400,
        vec![Msg::error(
            "MISSING_DATA",
            "API-A",
            format!("{field}: required field missing"),
        )],
    )
}
pub(crate) fn exists(text: impl Into<String>) -> Failure {
    Failure::new(400, vec![Msg::error("TARGET_EXISTS", "DYN", text)])
}
pub(crate) fn illegal(text: impl Into<String>) -> Failure {
    Failure::new(400, vec![Msg::error("ILLEGAL_OPERATION", "BLL", text)])
}
pub(crate) fn invalid_request(text: impl Into<String>) -> Failure {
    Failure::new(400, vec![Msg::error("INVALID_REQUEST", "API-A", text)])
}
pub(crate) fn bad_token() -> Failure {
    Failure::new(
        400,
        vec![Msg::error(
            "INVALID_DATA",
            "BLL",
            "login: Bad or expired credentials",
        )],
    )
    .and("login: There was a problem with your credentials")
}
pub(crate) fn ip_mismatch() -> Failure {
    Failure::new(
        400,
        vec![Msg::error(
            "INVALID_DATA",
            "BLL",
            "login: IP address does not match current session",
        )],
    )
    .and("login: There was a problem with your credentials")
}
pub(crate) fn job_running() -> Failure {
    Failure {
        status: "running",
        ..Failure::new(
            400,
            vec![Msg::error(
                "OPERATION_FAILED",
                "API-B",
                "token: This session already has a job running",
            )],
        )
    }
}
pub(crate) fn blocked(task_name: &str, task_id: u64) -> Failure {
    Failure::new(
        400,
        vec![Msg::error(
            "ILLEGAL_OPERATION",
            "BLL",
            "zone: Operation blocked by current task",
        )],
    )
    .and(format!("task_name: {task_name}"))
    .and(format!("task_id: {task_id}"))
}
pub(crate) fn rate_limited(retry_after: u64) -> Failure {
    Failure {
        retry_after: Some(retry_after),
        ..Failure::new(
            429,
            vec![Msg::error(
                "RATE_LIMIT_EXCEEDED",
                "API-A",
                "throttle: API rate limit exceeded",
            )],
        )
    }
}

/// The complete JSON body of an answer.
pub(crate) fn body(result: &TmResult, job_id: u64) -> Value {
    match result {
        Ok(s) => json!({
            "status": "success",
            "data": s.data,
            "job_id": job_id,
            "msgs": s.msgs.iter().map(Msg::to_json).collect::<Vec<_>>(),
        }),
        Err(f) => json!({
            "status": f.status,
            "data": {},
            "job_id": job_id,
            "msgs": f.msgs.iter().map(Msg::to_json).collect::<Vec<_>>(),
        }),
    }
}

/// The body of an answer that says "this is a job, ask again later".
pub(crate) fn incomplete(job_id: u64) -> Value {
    json!({"status": "incomplete", "data": null, "job_id": job_id, "msgs": []})
}
