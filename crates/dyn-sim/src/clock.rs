//! A clock that tests can move forward, for session expiry, jobs, tasks and serials.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Real time plus an offset that only grows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Clock {
    offset: Duration,
}

/// The furthest a test can move the clock or schedule anything: a century.
const HORIZON: Duration = Duration::from_secs(100 * 365 * 86_400);

impl Clock {
    /// Moves time forward; absurd amounts are capped at a century so nothing overflows.
    pub(crate) fn advance(&mut self, by: Duration) {
        self.offset = self.offset.saturating_add(by).min(HORIZON);
    }

    pub(crate) fn now(&self) -> Instant {
        let now = Instant::now();
        now.checked_add(self.offset).unwrap_or(now)
    }

    /// `now() + by`, capped at a century instead of overflowing.
    pub(crate) fn later(&self, by: Duration) -> Instant {
        let now = self.now();
        now.checked_add(by.min(HORIZON)).unwrap_or(now)
    }

    /// Seconds since the Unix epoch, as the API reports timestamps.
    pub(crate) fn unix(&self) -> u64 {
        (SystemTime::now() + self.offset)
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// A civil UTC date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
}

impl Civil {
    /// Converts Unix seconds to a civil date (Howard Hinnant's algorithm).
    pub(crate) fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year,
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
            hour: u32::try_from(rem / 3600).unwrap_or(0),
            minute: u32::try_from(rem % 3600 / 60).unwrap_or(0),
            second: u32::try_from(rem % 60).unwrap_or(0),
        }
    }

    /// Converts back to Unix seconds.
    pub(crate) fn to_unix(self) -> i64 {
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` with an optional `Z` or `±HH:MM` offset,
    /// or plain Unix seconds; returns Unix seconds.
    pub(crate) fn parse_to_unix(text: &str) -> Option<i64> {
        let text = text.trim();
        if let Ok(secs) = text.parse::<i64>() {
            return Some(secs);
        }
        let num = |s: &str| s.parse::<u32>().ok();
        let cut = if text.is_char_boundary(10) {
            10
        } else if text.len() < 10 {
            text.len()
        } else {
            return None;
        };
        let (date, rest) = text.split_at(cut);
        let mut parts = date.split('-');
        let year = parts.next()?.parse::<i64>().ok()?;
        let month = num(parts.next()?)?;
        let day = num(parts.next()?)?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let mut civil = Self {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        };
        let rest = rest.trim_start_matches(['T', ' ']);
        let mut offset = 0_i64;
        if rest.len() >= 8 {
            let (time, zone) = rest.split_at_checked(8)?;
            let mut t = time.split(':');
            civil.hour = num(t.next()?)?;
            civil.minute = num(t.next()?)?;
            civil.second = num(t.next()?)?;
            let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
            if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
                let hm = zone.get(1..)?.replace(':', "");
                let hours = i64::from(num(hm.get(0..2)?)?);
                let minutes = i64::from(num(hm.get(2..4).unwrap_or("00"))?);
                offset = (hours * 3600 + minutes * 60) * if sign == '-' { -1 } else { 1 };
            }
        }
        Some(civil.to_unix() - offset)
    }

    /// `YYYY-MM-DDTHH:MM:SS+00:00`, as the MM API writes dates.
    pub(crate) fn iso(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Civil;

    #[test]
    fn civil_round_trips_and_parses_offsets() {
        let c = Civil::from_unix(1_513_814_400);
        assert_eq!((c.year, c.month, c.day), (2017, 12, 21));
        assert_eq!(c.to_unix(), 1_513_814_400);
        assert_eq!(
            Civil::parse_to_unix("2017-12-21T01:00:00+01:00"),
            Some(1_513_814_400)
        );
        assert_eq!(Civil::parse_to_unix("2017-12-21"), Some(1_513_814_400));
        assert_eq!(Civil::parse_to_unix("not a date"), None);
        assert_eq!(Civil::from_unix(0).iso(), "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn hostile_input_never_panics() {
        for text in [
            "2024-01-0\u{e9}T00:00:00",
            "2024-01-01T0\u{e9}:00:00Z",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
            "",
            "2024-13-01",
        ] {
            assert_eq!(Civil::parse_to_unix(text), None, "{text}");
        }
        let mut clock = super::Clock::default();
        clock.advance(std::time::Duration::MAX);
        clock.advance(std::time::Duration::MAX);
        let _ = clock.later(std::time::Duration::MAX);
        assert!(clock.unix() > 0);
    }
}
