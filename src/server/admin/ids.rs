//! The ids the admin API accepts in its paths.
//!
//! An admin id is 1 to 200 visible ASCII characters, without `/ \ * ? " < > |` or a backtick,
//! not starting with `.` and without `..`. That covers every id the importers produce from real
//! feeds (XMLTV channel ids, iCalendar UIDs, GUIDs) and keeps out path look-alikes, wildcards,
//! spaces, control and bidirectional-override characters, which would be confusing or
//! dangerous in logs, files and shells that later see them. Anything else is a 422.

use crate::server::error::HttpError;

/// Longest admin id.
pub const MAX_ID_CHARS: usize = 200;
const FORBIDDEN: &[char] = &['/', '\\', '*', '?', '"', '<', '>', '|', '`'];

/// Checks an id from a path.
pub(super) fn check(id: &str) -> Result<(), HttpError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_graphic() && !FORBIDDEN.contains(&c))
        && !id.starts_with('.')
        && !id.contains("..");
    if ok {
        Ok(())
    } else {
        Err(HttpError::Unprocessable(format!(
            "id {:?} is not usable: 1 to {MAX_ID_CHARS} visible ASCII characters, without / \\ * ? \" < > | or `, not starting with . and without ..",
            id.chars().take(60).collect::<String>()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn real_ids_pass_and_hostile_ones_do_not() {
        for ok in [
            "radio-nova",
            "bbc1.bbc.co.uk",
            "ev-42",
            "uid@host.example",
            "a:b+c=d",
            "N",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        let long = "a".repeat(201);
        for bad in [
            "",
            "../../etc/passwd",
            "*",
            "/",
            "a/b",
            "..",
            ".hidden",
            "a b",
            "nova\u{202e}",
            "tab\t",
            "é",
            &long,
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
    }
}
