//! Dates and durations as podcast feeds write them.

use jiff::fmt::rfc2822::DateTimeParser;
use jiff::Timestamp;

/// RFC 2822 as feeds write it (a wrong weekday tolerated, obsolete zones like "GMT" and
/// "EST" accepted), or RFC 3339 from feeds that ignore the spec.
pub fn parse_pub_date(raw: &str) -> Result<Timestamp, String> {
    let raw = raw.trim();
    let parser = DateTimeParser::new().relaxed_weekday(true);
    parser
        .parse_timestamp(raw)
        .or_else(|_| parser.parse_timestamp(without_offset_colon(raw)))
        .or_else(|_| raw.parse::<Timestamp>())
        .map_err(|_| format!("pubDate {raw:?} is not an RFC 2822 date"))
}

/// `… +13:00` → `… +1300`, as many feeds write the offset.
fn without_offset_colon(raw: &str) -> String {
    let b = raw.as_bytes();
    let n = b.len();
    let shaped = n >= 6
        && matches!(b[n - 6], b'+' | b'-')
        && b[n - 3] == b':'
        && [n - 5, n - 4, n - 2, n - 1]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if shaped {
        format!("{}{}", &raw[..n - 3], &raw[n - 2..])
    } else {
        raw.to_string()
    }
}

/// `itunes:duration` in seconds: "3120", "52:00", "0:52:00", "1:02:03.5".
pub fn parse_duration(raw: &str) -> Option<u64> {
    let parts: Vec<&str> = raw.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut total: u64 = 0;
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        let part = part.trim();
        let whole = if i == last {
            // Fractions of a second are dropped.
            part.split('.').next().unwrap_or("")
        } else {
            part
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u64 = whole.parse().ok()?;
        total = total.checked_mul(60)?.checked_add(value)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_form() {
        assert_eq!(parse_duration("3120"), Some(3120));
        assert_eq!(parse_duration("52:00"), Some(3120));
        assert_eq!(parse_duration("00:52:00"), Some(3120));
        assert_eq!(parse_duration("1:02:03.5"), Some(3723));
        assert_eq!(parse_duration("45 min"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("1:2:3:4"), None);
    }

    #[test]
    fn pub_dates() {
        let want: Timestamp = "2026-11-01T08:00:00Z".parse().expect("ts");
        assert_eq!(parse_pub_date("Sun, 01 Nov 2026 08:00:00 GMT"), Ok(want));
        assert_eq!(parse_pub_date("Mon, 01 Nov 2026 09:00:00 +0100"), Ok(want));
        assert_eq!(parse_pub_date("1 Nov 2026 03:00:00 EST"), Ok(want));
        assert_eq!(parse_pub_date("2026-11-01T08:00:00Z"), Ok(want));
        assert_eq!(parse_pub_date("Sun, 01 Nov 2026 21:00:00 +13:00"), Ok(want));
        assert_eq!(parse_pub_date("Sun, 01 Nov 2026 03:00:00 -05:00"), Ok(want));
        assert!(parse_pub_date("yesterday").is_err());
    }
}
