//! Fault injection: rules that change how matching requests are answered.

use serde::{Deserialize, Serialize};

/// Which requests a fault applies to. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestMatch {
    /// HTTP method, compared case-insensitively.
    pub method: Option<String>,
    /// Path prefix, compared case-insensitively (for example `/REST/Zone/`).
    pub path_prefix: Option<String>,
}

impl RequestMatch {
    /// Matches every request.
    pub fn any() -> Self {
        Self::default()
    }

    /// Matches one method and a path prefix.
    pub fn new(method: &str, path_prefix: &str) -> Self {
        Self {
            method: Some(method.to_owned()),
            path_prefix: Some(path_prefix.to_owned()),
        }
    }

    /// Matches a path prefix with any method.
    pub fn path(path_prefix: &str) -> Self {
        Self {
            method: None,
            path_prefix: Some(path_prefix.to_owned()),
        }
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path_prefix.as_ref().is_none_or(|p| {
                path.len() >= p.len()
                    && path
                        .get(..p.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(p))
            })
    }
}

/// What happens to a matching request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fault {
    /// HTTP 429 with `RATE_LIMIT_EXCEEDED` and `Retry-After`.
    RateLimit {
        /// Seconds sent in `Retry-After`.
        retry_after_secs: u64,
    },
    /// A failure envelope with one error message.
    Fail {
        /// HTTP status code.
        http_status: u16,
        /// `ERR_CD` of the message.
        err_cd: String,
        /// `INFO` of the message.
        info: String,
    },
    /// A raw response, for clients' bad-input handling: any status, any body (even not JSON).
    Raw {
        /// HTTP status code.
        http_status: u16,
        /// The body, sent as is.
        body: String,
    },
    /// Status `running`: "This session already has a job running".
    JobRunning,
    /// "Operation blocked by current task", naming a (created) blocking task.
    BlockedByTask,
    /// The request's token expires just before it is checked.
    ExpireToken,
    /// The request waits this long before it is processed.
    Delay {
        /// Milliseconds to wait.
        millis: u64,
    },
    /// The request is executed, but its answer is a job that completes later.
    PromoteToJob {
        /// How many job polls answer "still running" before the result.
        polls: u32,
        /// Milliseconds after which the job may complete (both conditions must hold).
        after_millis: u64,
        /// Overrides [`crate::Options::job_response`] for this job.
        response: Option<crate::JobResponse>,
    },
}

/// A fault applied to the next `times` matching requests (or to all of them when `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Which requests it applies to.
    #[serde(default, rename = "match")]
    pub matcher: RequestMatch,
    /// How many more requests it applies to; `None` means until removed.
    pub times: Option<u32>,
    /// What happens.
    pub fault: Fault,
}

impl FaultRule {
    /// A rule for the next `times` requests that match.
    pub fn next(times: u32, matcher: RequestMatch, fault: Fault) -> Self {
        Self {
            matcher,
            times: Some(times),
            fault,
        }
    }

    /// A rule for every matching request until the faults are cleared.
    pub fn always(matcher: RequestMatch, fault: Fault) -> Self {
        Self {
            matcher,
            times: None,
            fault,
        }
    }
}

/// Takes the faults that apply to a request, consuming one use of each.
pub(crate) fn take_matching(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Vec<Fault> {
    let mut hits = Vec::new();
    for rule in rules.iter_mut() {
        if rule.times != Some(0) && rule.matcher.matches(method, path) {
            hits.push(rule.fault.clone());
            if let Some(t) = rule.times.as_mut() {
                *t -= 1;
            }
        }
    }
    rules.retain(|r| r.times != Some(0));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_consumed_and_matched_case_insensitively() {
        let mut rules = vec![
            FaultRule::next(
                1,
                RequestMatch::new("get", "/rest/zone/"),
                Fault::JobRunning,
            ),
            FaultRule::always(RequestMatch::path("/REST/Session"), Fault::ExpireToken),
        ];
        assert_eq!(
            take_matching(&mut rules, "GET", "/REST/Zone/a.com/"),
            vec![Fault::JobRunning]
        );
        assert!(take_matching(&mut rules, "GET", "/REST/Zone/a.com/").is_empty());
        assert_eq!(rules.len(), 1);
        assert_eq!(take_matching(&mut rules, "PUT", "/REST/Session/").len(), 1);
        assert_eq!(take_matching(&mut rules, "PUT", "/REST/Session/").len(), 1);
    }
}
