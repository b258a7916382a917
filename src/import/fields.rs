//! Fields every lenient format treats alike: an over-long text is cut at a word, an image URL a
//! device cannot load is dropped; both leave a warning on the record instead of refusing it.

use super::Rejections;

/// A text cut to at most `limit` characters at the last word boundary (with "…"), and whether
/// it was cut: a feed's 5,000-character description still says what the show is.
pub fn fit(raw: &str, limit: usize) -> (String, bool) {
    let t = raw.trim();
    if t.chars().count() <= limit {
        return (t.to_string(), false);
    }
    let keep: String = t.chars().take(limit.saturating_sub(1)).collect();
    let cut = match keep.rfind(char::is_whitespace) {
        Some(at) if at > keep.len() / 2 => keep[..at].trim_end().to_string(),
        _ => keep,
    };
    (format!("{cut}…"), true)
}

/// Cuts `text` to `limit` characters (see [`fit`]) and notes on `warnings` that it did.
pub fn fit_noted(
    text: Option<String>,
    limit: usize,
    field: &str,
    at: &dyn Fn() -> String,
    warnings: &mut Rejections,
) -> Option<String> {
    let raw = text?;
    let (t, cut) = fit(&raw, limit);
    if cut {
        warnings.push(
            at(),
            format!("{field} longer than {limit} characters was cut at a word"),
        );
    }
    Some(t)
}

/// An image URL the record can keep, or `None` with a warning: a relative or non-http(s)
/// logo costs the record its picture, not its place in the schedule.
pub fn usable_image(
    raw: Option<String>,
    at: &dyn Fn() -> String,
    warnings: &mut Rejections,
) -> Option<String> {
    let raw = raw
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())?;
    match crate::schedule::StreamUrl::parse(&raw) {
        Ok(_) => Some(raw),
        Err(e) => {
            warnings.push(at(), format!("image dropped: {e}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_a_word() {
        let (t, cut) = fit("one two three four five", 12);
        assert!(cut);
        assert_eq!(t, "one two…");
        assert!(t.chars().count() <= 12);
        assert_eq!(fit("short", 12), ("short".to_string(), false));
        let (t, _) = fit(&"é".repeat(50), 10);
        assert_eq!(t.chars().count(), 10, "no space: cut inside the word");
    }

    #[test]
    fn relative_images_are_dropped_with_a_warning() {
        let mut w = Rejections::default();
        let at = || "here".to_string();
        assert_eq!(usable_image(Some("logos/a.png".into()), &at, &mut w), None);
        assert_eq!(w.len(), 1);
        assert!(usable_image(Some("https://x.example/a.png".into()), &at, &mut w).is_some());
        assert_eq!(w.len(), 1);
    }
}
