//! The texts of a VEvent onair keeps: its title (SUMMARY, else a stand-in) and performers.

use super::VEvent;
use crate::import::fields::fit;
use crate::import::ical::lines::{split_list, Property};
use crate::import::Parsed;

impl VEvent {
    /// SUMMARY, else a stand-in (noted on `out`).
    pub(super) fn title(&self, out: &mut Parsed) -> String {
        let text = |name: &str| {
            self.get(name).map(Property::text).and_then(|t| {
                t.lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_string)
            })
        };
        let summary = self.get("SUMMARY").map(Property::text);
        if let Some(summary) = summary.filter(|t| !t.trim().is_empty()) {
            return summary;
        }
        let (title, from) = match (text("DESCRIPTION"), text("LOCATION")) {
            (Some(d), _) => (fit(&d, 80).0, "the first line of DESCRIPTION"),
            (None, Some(l)) => (l, "LOCATION"),
            (None, None) => ("Untitled event".to_string(), "a stand-in"),
        };
        out.warnings
            .push(self.location(), format!("no SUMMARY: titled from {from}"));
        title
    }

    pub(super) fn performers(&self) -> Vec<String> {
        let listed: Vec<String> = self
            .props
            .iter()
            .filter(|p| p.name == "X-PERFORMERS" || p.name == "X-ONAIR-PERFORMERS")
            .flat_map(|p| split_list(&p.value))
            .collect();
        if !listed.is_empty() {
            return listed;
        }
        self.all("ATTENDEE")
            .filter(|p| {
                !p.param("ROLE")
                    .is_some_and(|r| r.eq_ignore_ascii_case("NON-PARTICIPANT"))
            })
            .filter_map(|p| p.param("CN").map(|cn| cn.trim().to_string()))
            .filter(|cn| !cn.is_empty())
            .collect()
    }
}
