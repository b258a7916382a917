//! One VEVENT → events: its timing in its zone, recurrence expansion over the horizon,
//! EXDATE/RDATE, and the fields onair keeps.
//!
//! - Ids: the UID for a single event; UID plus the instance's UTC start for each instance of a
//!   series, which is also what a RECURRENCE-ID override names.
//! - DTEND is applied in local time (an event 20:00–22:00 stays so on a DST day); DURATION
//!   follows RFC 5545 (days are calendar days, hours are exact).
//! - Single events are kept whatever their date; instances of a series are kept when they
//!   overlap now…now + horizon.
//! - URL (else ATTACH) is the event's stream when it is a valid http(s) URL; anything else
//!   (a web page without scheme…) is ignored rather than costing the event.
//! - Performers come from an `X-PERFORMERS` (or `X-ONAIR-PERFORMERS`) list, else from
//!   ATTENDEE common names (non-participants excluded). ORGANIZER is a promoter, not on stage.
//! - SUMMARY is optional (RFC 5545): without it the title is the first line of DESCRIPTION,
//!   else LOCATION, else "Untitled event", with a warning. Over-long texts are cut at a word.
//! - Timed events last up to [`MAX_EVENT_DAYS`] (a festival is one event a listener can ask
//!   about). An all-day (date-only) span longer than
//!   [`max_all_day_days`](crate::import::ImportOptions::max_all_day_days) is a school holiday
//!   or an exhibition, not a broadcast: it is left out with a warning.
//! - RRULE parts RFC 5545 does not define are ignored with a warning (see [`recur`]).

use super::lines::{split_list, Property};
use super::recur;
use super::time::{compact, duration, value, when, When};
use super::zone::Zones;

mod texts;
use crate::import::fields::fit_noted;
use crate::import::record::{kind_from_categories, make_id};
use crate::import::{Context, Parsed};
use crate::schedule::types::{MAX_EVENT_DAYS, MAX_NAME, MAX_TEXT};
use crate::schedule::{Event, EventSpec, StreamUrl};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use sha2::Digest;
use std::collections::HashSet;

/// A VEVENT's properties.
pub struct VEvent {
    /// Line of its BEGIN.
    pub line: usize,
    /// Its properties (nested VALARMs dropped).
    pub props: Vec<Property>,
}

/// How long each instance lasts.
enum Length {
    /// Added to the civil start (DTEND in the same zone, all-day default).
    Civil(Span),
    /// Added to the zoned start (DURATION).
    Nominal(Span),
    /// Exact (DTEND in another zone).
    Exact(SignedDuration),
}

/// Start and length, in the event's zone.
struct Timing {
    zone: TimeZone,
    start: DateTime,
    length: Length,
    /// DTSTART is a date: an all-day event.
    all_day: bool,
}

impl Timing {
    fn instance(&self, start: DateTime) -> Option<(Timestamp, Timestamp)> {
        let s = self.zone.to_timestamp(start).ok()?;
        let e = match &self.length {
            Length::Civil(span) => self
                .zone
                .to_timestamp(start.checked_add(*span).ok()?)
                .ok()?,
            Length::Nominal(span) => s
                .to_zoned(self.zone.clone())
                .checked_add(*span)
                .ok()?
                .timestamp(),
            Length::Exact(d) => s.checked_add(*d).ok()?,
        };
        Some((s, e))
    }
}

impl VEvent {
    /// The first property of a name.
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }

    fn uid(&self) -> String {
        match self
            .get("UID")
            .map(|p| p.value.trim().to_string())
            .filter(|u| !u.is_empty())
        {
            Some(u) => u,
            // Without a UID (invalid, but seen), a hash of what identifies the event keeps
            // its id stable across imports.
            None => {
                let key = format!(
                    "{}|{}",
                    self.get("SUMMARY").map_or("", |p| &p.value),
                    self.get("DTSTART").map_or("", |p| &p.value)
                );
                let digest = sha2::Sha256::digest(key.as_bytes());
                make_id(&["ical", &hex::encode(&digest[..8])])
            }
        }
    }

    /// Where it is, for rejections.
    pub fn location(&self) -> String {
        match self.get("UID") {
            Some(u) => format!("VEVENT at line {} (UID {:?})", self.line, u.value.trim()),
            None => format!("VEVENT at line {}", self.line),
        }
    }

    /// STATUS:CANCELLED.
    pub fn cancelled(&self) -> bool {
        self.get("STATUS")
            .is_some_and(|p| p.value.trim().eq_ignore_ascii_case("CANCELLED"))
    }

    /// Whether every TZID it uses is defined by a VTIMEZONE already read. Until then a later
    /// VTIMEZONE may still define it, and the file's definition governs over an IANA name.
    pub fn zones_known(&self, zones: &Zones) -> bool {
        self.props
            .iter()
            .filter_map(|p| p.param("TZID"))
            .all(|z| zones.is_defined(z))
    }

    fn civil_in(
        &self,
        w: When,
        zone: &TimeZone,
        zones: &Zones,
        at_time: jiff::civil::Time,
    ) -> Result<DateTime, String> {
        Ok(match w {
            When::Date(d) => d.to_datetime(at_time),
            When::Floating(dt) => dt,
            When::Utc(t) => t.to_zoned(zone.clone()).datetime(),
            When::Zoned(dt, tzid) => {
                let tz = zones.resolve(&tzid).ok_or_else(|| unknown(&tzid))?;
                tz.to_timestamp(dt)
                    .map_err(|e| e.to_string())?
                    .to_zoned(zone.clone())
                    .datetime()
            }
        })
    }

    fn timing(&self, zones: &Zones) -> Result<Timing, String> {
        let dtstart = self.get("DTSTART").ok_or("no DTSTART")?;
        let start = when(dtstart)?;
        let all_day = matches!(start, When::Date(_));
        let (zone, civil) = match &start {
            When::Date(d) => (
                zones.default.clone(),
                d.to_datetime(jiff::civil::Time::midnight()),
            ),
            When::Floating(dt) => (zones.default.clone(), *dt),
            When::Utc(t) => (TimeZone::UTC, t.to_zoned(TimeZone::UTC).datetime()),
            When::Zoned(dt, tzid) => (zones.resolve(tzid).ok_or_else(|| unknown(tzid))?, *dt),
        };
        let length = if let Some(end) = self.get("DTEND") {
            let end_w = when(end)?;
            let same_zone = match (&start, &end_w) {
                (When::Zoned(_, a), When::Zoned(_, b)) => a == b,
                (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
            };
            if same_zone {
                let end_civil =
                    self.civil_in(end_w, &zone, zones, jiff::civil::Time::midnight())?;
                Length::Civil(civil.until(end_civil).map_err(|e| e.to_string())?)
            } else {
                let s = zone.to_timestamp(civil).map_err(|e| e.to_string())?;
                let e_civil = self.civil_in(end_w, &zone, zones, jiff::civil::Time::midnight())?;
                let e = zone.to_timestamp(e_civil).map_err(|e| e.to_string())?;
                Length::Exact(s.duration_until(e))
            }
        } else if let Some(d) = self.get("DURATION") {
            Length::Nominal(duration(&d.value)?)
        } else if all_day {
            Length::Civil(Span::new().days(1))
        } else {
            return Err("no DTEND or DURATION: the event has no length".into());
        };
        Ok(Timing {
            zone,
            start: civil,
            length,
            all_day,
        })
    }

    /// Adds this event's instances to `out` (or a rejection).
    pub fn expand(&self, zones: &Zones, ctx: &Context<'_>, out: &mut Parsed) {
        if self.cancelled() {
            return;
        }
        if let Err(why) = self.try_expand(zones, ctx, out) {
            out.rejected.push(self.location(), why);
        }
    }

    fn try_expand(&self, zones: &Zones, ctx: &Context<'_>, out: &mut Parsed) -> Result<(), String> {
        let timing = self.timing(zones)?;
        let uid = self.uid();
        let rrule = self
            .get("RRULE")
            .map(|p| recur::parse(&p.value))
            .transpose()?;
        for part in rrule.iter().flat_map(|r| &r.ignored) {
            out.warnings.push(
                self.location(),
                format!("RRULE part {part:?} is not defined by RFC 5545 and was ignored"),
            );
        }
        let has_rdate = self.get("RDATE").is_some();
        if rrule.is_none() && !has_rdate {
            let (s, e) = timing
                .instance(timing.start)
                .ok_or("the start or end does not exist in its zone")?;
            return self.push(make_id(&[&uid]), (s, e), timing.all_day, ctx, out);
        }
        let horizon = SignedDuration::try_from(ctx.options.horizon).map_err(|e| e.to_string())?;
        let horizon_end = ctx.now.checked_add(horizon).map_err(|e| e.to_string())?;
        let to_ts = |dt: DateTime| timing.zone.to_timestamp(dt).ok();
        let mut starts = match &rrule {
            Some(rule) => recur::expand(rule, timing.start, &to_ts, horizon_end),
            None => vec![timing.start],
        };
        let at = timing.start.time();
        for p in self.all("RDATE") {
            for raw in p.value.split(',') {
                let raw = raw.split('/').next().unwrap_or(raw);
                let w = value(raw, p.param("VALUE"), p.param("TZID"))
                    .ok_or_else(|| format!("RDATE {raw:?} is not a date-time"))?;
                starts.push(self.civil_in(w, &timing.zone, zones, at)?);
            }
        }
        let mut excluded = HashSet::new();
        for p in self.all("EXDATE") {
            for raw in p.value.split(',') {
                let w = value(raw, p.param("VALUE"), p.param("TZID"))
                    .ok_or_else(|| format!("EXDATE {raw:?} is not a date-time"))?;
                excluded.insert(to_ts(self.civil_in(w, &timing.zone, zones, at)?));
            }
        }
        starts.sort();
        starts.dedup();
        for start in starts {
            let Some((s, e)) = timing.instance(start) else {
                continue;
            };
            if excluded.contains(&Some(s)) || e <= ctx.now || s >= horizon_end {
                continue;
            }
            let id = make_id(&[&uid, &compact(s)]);
            if let Err(why) = self.push(id, (s, e), timing.all_day, ctx, out) {
                out.rejected
                    .push(format!("{} instance {}", self.location(), compact(s)), why);
            }
        }
        Ok(())
    }

    /// The instance id a RECURRENCE-ID override replaces.
    pub fn override_target(&self, zones: &Zones) -> Result<String, String> {
        let rid = self.get("RECURRENCE-ID").ok_or("no RECURRENCE-ID")?;
        let t = match when(rid)? {
            When::Utc(t) => t,
            When::Floating(dt) => zones.default.to_timestamp(dt).map_err(|e| e.to_string())?,
            When::Date(d) => zones
                .default
                .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|e| e.to_string())?,
            When::Zoned(dt, tzid) => zones
                .resolve(&tzid)
                .ok_or_else(|| unknown(&tzid))?
                .to_timestamp(dt)
                .map_err(|e| e.to_string())?,
        };
        Ok(make_id(&[&self.uid(), &compact(t)]))
    }

    /// Adds this (override) event as one event with the given id.
    pub fn single(&self, id: &str, zones: &Zones, ctx: &Context<'_>, out: &mut Parsed) {
        let result = self.timing(zones).and_then(|t| {
            let (s, e) = t
                .instance(t.start)
                .ok_or("the start or end does not exist in its zone")?;
            self.push(id.to_string(), (s, e), t.all_day, ctx, out)
        });
        if let Err(why) = result {
            out.rejected.push(self.location(), why);
        }
    }

    fn push(
        &self,
        id: String,
        (start, end): (Timestamp, Timestamp),
        all_day: bool,
        ctx: &Context<'_>,
        out: &mut Parsed,
    ) -> Result<(), String> {
        let at = || self.location();
        let days = (end.as_second() - start.as_second()) as f64 / 86_400.0;
        let max_all_day = f64::from(ctx.options.max_all_day_days);
        // An hour of slack: a span over a DST change is an hour longer or shorter.
        if all_day && days > max_all_day + 1.0 / 24.0 {
            out.warnings.push(
                at(),
                format!(
                    "an all-day span of {} days is not a broadcast (longer than {} days): \
                     left out",
                    days.round(),
                    ctx.options.max_all_day_days
                ),
            );
            return Ok(());
        }
        if !all_day && days > (MAX_EVENT_DAYS as f64) + 1.0 / 24.0 {
            return Err(format!(
                "a timed event of {} days is longer than {MAX_EVENT_DAYS} days",
                days.round()
            ));
        }
        let title = self.title(out);
        let title =
            fit_noted(Some(title), MAX_NAME, "SUMMARY", &at, &mut out.warnings).unwrap_or_default();
        let description = fit_noted(
            self.get("DESCRIPTION").map(Property::text),
            MAX_TEXT,
            "DESCRIPTION",
            &at,
            &mut out.warnings,
        );
        let categories: Vec<String> = self
            .all("CATEGORIES")
            .flat_map(|p| split_list(&p.value))
            .collect();
        let stream = self
            .get("URL")
            .into_iter()
            .chain(self.all("ATTACH"))
            .map(|p| p.value.trim().to_string())
            .find(|u| StreamUrl::parse(u).is_ok());
        let spec = EventSpec {
            id,
            title,
            kind: kind_from_categories(categories.iter().map(String::as_str)),
            performers: self.performers(),
            station: ctx.options.station.clone(),
            genres: categories,
            start,
            end,
            stream_url: stream,
            description,
            image: None,
            language: self
                .get("SUMMARY")
                .and_then(|p| p.param("LANGUAGE"))
                .map(str::to_string),
        };
        let event = Event::try_from(spec).map_err(|e| e.to_string())?;
        out.batch.events.push(event);
        Ok(())
    }
}

fn unknown(tzid: &str) -> String {
    format!("unknown time zone {tzid:?}: not an IANA name, and no VTIMEZONE defines it")
}
