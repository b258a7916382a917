//! Word lists for `AMAZON.DATE`, one table per language.
//!
//! The grammar in `date.rs` is shared; only these words differ. French puts "prochain" after
//! the noun and English puts "next" before it, so both positions are listed and the grammar
//! accepts either.

use super::time::Period;
use super::Lang;

type Phrase = &'static [&'static str];

/// Everything language-specific the date grammar needs.
pub(crate) struct DateWords {
    /// Prepositions and articles that may precede a date and carry no meaning.
    pub leading: &'static [Phrase],
    /// "now" → `PRESENT_REF`.
    pub present: &'static [Phrase],
    /// Day words: offset from today and the part of the day they imply ("tonight").
    pub days: &'static [(Phrase, i64, Option<Period>)],
    /// Monday first, several spellings each.
    pub weekdays: [Phrase; 7],
    /// January first, several spellings each.
    pub months: [Phrase; 12],
    /// "this"/"ce" before a unit.
    pub this: Phrase,
    /// "next"/"prochain" before or after a unit.
    pub next: Phrase,
    /// "last"/"dernier" before or after a unit.
    pub last: Phrase,
    /// "ci" in "ce mois-ci": allowed after a unit, means nothing more.
    pub this_suffix: Phrase,
    /// Unit words.
    pub week: &'static [Phrase],
    pub weekend: &'static [Phrase],
    pub month: &'static [Phrase],
    pub year: &'static [Phrase],
    pub decade: &'static [Phrase],
    pub seasons: &'static [(Phrase, &'static str)],
    /// "in three days" / "dans trois jours": the word before the number and unit words.
    pub in_word: &'static str,
    pub days_unit: Phrase,
    pub weeks_unit: Phrase,
    /// "of" in "the twenty first of november".
    pub of: Phrase,
}

use Period::{Afternoon, Evening, Morning, Night};

const EN: DateWords = DateWords {
    leading: &[&["on"], &["for"], &["the"], &["in"], &["during"], &["by"]],
    present: &[
        &["now"],
        &["right", "now"],
        &["at", "the", "moment"],
        &["currently"],
    ],
    days: &[
        (&["today"], 0, None),
        (&["tonight"], 0, Some(Night)),
        (&["this", "morning"], 0, Some(Morning)),
        (&["this", "afternoon"], 0, Some(Afternoon)),
        (&["this", "evening"], 0, Some(Evening)),
        (&["tomorrow"], 1, None),
        (&["day", "after", "tomorrow"], 2, None),
        (&["yesterday"], -1, None),
        (&["day", "before", "yesterday"], -2, None),
    ],
    weekdays: [
        &["monday", "mon"],
        &["tuesday", "tue", "tues"],
        &["wednesday", "wed"],
        &["thursday", "thu", "thur", "thurs"],
        &["friday", "fri"],
        &["saturday", "sat"],
        &["sunday", "sun"],
    ],
    months: [
        &["january", "jan"],
        &["february", "feb"],
        &["march", "mar"],
        &["april", "apr"],
        &["may"],
        &["june", "jun"],
        &["july", "jul"],
        &["august", "aug"],
        &["september", "sep", "sept"],
        &["october", "oct"],
        &["november", "nov"],
        &["december", "dec"],
    ],
    this: &["this", "coming"],
    next: &["next"],
    last: &["last", "past", "previous"],
    this_suffix: &[],
    week: &[&["week"]],
    weekend: &[&["weekend"]],
    month: &[&["month"]],
    year: &[&["year"]],
    decade: &[&["decade"]],
    seasons: &[
        (&["winter"], "WI"),
        (&["spring"], "SP"),
        (&["summer"], "SU"),
        (&["fall"], "FA"),
        (&["autumn"], "FA"),
    ],
    in_word: "in",
    days_unit: &["day", "days"],
    weeks_unit: &["week", "weeks"],
    of: &["of"],
};

const FR: DateWords = DateWords {
    leading: &[
        &["au", "mois", "de"],
        &["le"],
        &["la"],
        &["l"],
        &["pour"],
        &["en"],
        &["du"],
        &["au"],
    ],
    present: &[
        &["maintenant"],
        &["tout", "de", "suite"],
        &["en", "ce", "moment"],
        &["actuellement"],
    ],
    days: &[
        (&["aujourd", "hui"], 0, None),
        (&["ce", "soir"], 0, Some(Evening)),
        (&["cette", "nuit"], 0, Some(Night)),
        (&["ce", "matin"], 0, Some(Morning)),
        (&["cet", "apres", "midi"], 0, Some(Afternoon)),
        (&["demain"], 1, None),
        (&["apres", "demain"], 2, None),
        (&["hier"], -1, None),
        (&["avant", "hier"], -2, None),
    ],
    weekdays: [
        &["lundi"],
        &["mardi"],
        &["mercredi"],
        &["jeudi"],
        &["vendredi"],
        &["samedi"],
        &["dimanche"],
    ],
    months: [
        &["janvier"],
        &["fevrier"],
        &["mars"],
        &["avril"],
        &["mai"],
        &["juin"],
        &["juillet"],
        &["aout"],
        &["septembre"],
        &["octobre"],
        &["novembre"],
        &["decembre"],
    ],
    this: &["ce", "cette", "cet"],
    next: &["prochain", "prochaine"],
    last: &["dernier", "derniere", "passe", "passee"],
    this_suffix: &["ci"],
    week: &[&["semaine"]],
    weekend: &[&["week", "end"]],
    month: &[&["mois"]],
    year: &[&["annee"], &["an"]],
    decade: &[&["decennie"]],
    seasons: &[
        (&["hiver"], "WI"),
        (&["printemps"], "SP"),
        (&["ete"], "SU"),
        (&["automne"], "FA"),
    ],
    in_word: "dans",
    days_unit: &["jour", "jours"],
    weeks_unit: &["semaine", "semaines"],
    of: &[],
};

/// The table for a language.
pub(crate) fn words(lang: Lang) -> &'static DateWords {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}
