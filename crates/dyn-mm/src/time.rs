//! Date ranges and the API's ISO 8601 timestamps (`2024-01-31T12:00:00+00:00`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// A half-open time range `[start, end)`, as reports and suppression lists take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    start: SystemTime,
    end: SystemTime,
}

impl DateRange {
    /// The range from `start` to `end`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `end` is not after `start` or either lies before 1970.
    pub fn new(start: SystemTime, end: SystemTime) -> Result<Self> {
        if start.duration_since(UNIX_EPOCH).is_err() {
            return Err(Error::invalid("starttime", "is before 1970"));
        }
        if end <= start {
            return Err(Error::invalid("endtime", "is not after the start time"));
        }
        Ok(Self { start, end })
    }

    /// The range between two Unix times (seconds).
    ///
    /// # Errors
    /// As [`DateRange::new`].
    pub fn from_unix(start: u64, end: u64) -> Result<Self> {
        Self::new(
            UNIX_EPOCH + Duration::from_secs(start),
            UNIX_EPOCH + Duration::from_secs(end),
        )
    }

    /// The last `span` up to now.
    ///
    /// # Errors
    /// As [`DateRange::new`] (a zero span, or a span reaching before 1970).
    pub fn last(span: Duration) -> Result<Self> {
        let end = SystemTime::now();
        let start = end
            .checked_sub(span)
            .ok_or_else(|| Error::invalid("starttime", "is out of range"))?;
        Self::new(start, end)
    }

    /// The start (included).
    pub fn start(&self) -> SystemTime {
        self.start
    }

    /// The end (excluded).
    pub fn end(&self) -> SystemTime {
        self.end
    }

    pub(crate) fn start_text(&self) -> String {
        format_time(self.start)
    }

    pub(crate) fn end_text(&self) -> String {
        format_time(self.end)
    }
}

/// `time` as the API writes it, in UTC: `2024-01-31T12:00:00+00:00`.
pub fn format_time(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Reads an API timestamp: `YYYY-MM-DD`, optionally followed by `THH:MM:SS`, fractional
/// seconds, and `Z` or `±HH:MM`. `None` for anything else.
pub fn parse_time(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || date.len() != 10 {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    let rest = &text[10..];
    if !rest.is_empty() {
        let rest = rest.strip_prefix(['T', ' '])?;
        let clock = rest.get(..8)?;
        let mut fields = clock.split(':');
        let hour: i64 = fields.next()?.parse().ok()?;
        let minute: i64 = fields.next()?.parse().ok()?;
        let second: i64 = fields.next()?.parse().ok()?;
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        secs += hour * 3600 + minute * 60 + second;
        let zone = rest[8..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        secs -= match zone {
            "" | "Z" | "z" => 0,
            _ => {
                let sign = match zone.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "00"));
                sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
            }
        };
    }
    let secs = u64::try_from(secs).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn formats_and_parses_round_trip() {
        assert_eq!(format_time(at(0)), "1970-01-01T00:00:00+00:00");
        assert_eq!(format_time(at(1_513_814_400)), "2017-12-21T00:00:00+00:00");
        assert_eq!(format_time(at(951_782_400)), "2000-02-29T00:00:00+00:00");
        for secs in [0, 59, 86_399, 951_868_799, 1_700_000_123, 4_102_444_800] {
            assert_eq!(parse_time(&format_time(at(secs))), Some(at(secs)));
        }
        assert_eq!(
            parse_time("2017-12-21T01:00:00+01:00"),
            Some(at(1_513_814_400))
        );
        assert_eq!(parse_time("2017-12-21T00:00:00Z"), Some(at(1_513_814_400)));
        assert_eq!(
            parse_time("2017-12-21T00:00:00.250Z"),
            Some(at(1_513_814_400))
        );
        assert_eq!(parse_time("2017-12-21"), Some(at(1_513_814_400)));
        for bad in [
            "",
            "yesterday",
            "2017-13-01",
            "2017-12-21T25:00:00",
            "2017-12-21T00:00:00 CET",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn ranges_must_move_forward() {
        assert!(DateRange::from_unix(10, 10).is_err());
        assert!(DateRange::from_unix(10, 5).is_err());
        let range = DateRange::from_unix(0, 86_400).unwrap();
        assert_eq!(range.end_text(), "1970-01-02T00:00:00+00:00");
        assert!(DateRange::last(Duration::from_secs(3600)).is_ok());
    }
}
