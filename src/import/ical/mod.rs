//! iCalendar (RFC 5545) event feeds → events.
//!
//! The reader walks components line by line: VTIMEZONEs become zones ([`zone`]), each VEVENT
//! is expanded into events ([`event`]) as soon as the VTIMEZONEs of its TZIDs are read.
//! VEVENTs naming a TZID no VTIMEZONE has defined yet wait for the end of the file (a later
//! VTIMEZONE still governs it; else it resolves as an IANA or Windows name), and so do RECURRENCE-ID
//! overrides, which replace (or with STATUS:CANCELLED, remove) one instance of a series that may
//! come later in the file. For that, the expanded events are gathered before they are handed
//! to the store; recurrences stop at the horizon, so this stays the size of the calendar.
//!
//! A file that starts with a bare `BEGIN:VEVENT` (or `BEGIN:VTIMEZONE`) without the
//! VCALENDAR around it, as some exporters write single events, is read as a calendar.

pub mod event;
pub mod lines;
pub mod recur;
pub mod time;
pub mod windows_zones;
pub mod zone;

use super::input::{DynRead, LineCounter, TextLines};
use super::{Context, ImportError, Parsed};
use event::VEvent;
use lines::{ContentLines, Property};
use std::collections::HashSet;
use std::io::BufRead;
use zone::{Observance, Zones};

/// Parses a calendar; bad events are rejected one by one.
pub fn parse(input: LineCounter<DynRead>, ctx: &Context<'_>) -> Result<Parsed, ImportError> {
    let mut lines = ContentLines::new(TextLines::new(input));
    let mut zones = Zones::new(ctx.zone.clone());
    let mut out = Parsed::default();
    let mut waiting: Vec<VEvent> = Vec::new();
    let mut overrides: Vec<VEvent> = Vec::new();
    let mut calendar = false;
    while let Some(item) = lines.next_property()? {
        let prop = match item {
            Ok(p) => p,
            Err(line) => {
                out.rejected
                    .push(format!("line {line}"), "not a NAME:value content line");
                continue;
            }
        };
        if prop.name != "BEGIN" {
            if !calendar {
                return Err(not_a_calendar(prop.line));
            }
            continue;
        }
        let kind = prop.value.trim().to_ascii_uppercase();
        if !calendar && matches!(kind.as_str(), "VEVENT" | "VTIMEZONE") {
            calendar = true;
        }
        match kind.as_str() {
            "VCALENDAR" => calendar = true,
            _ if !calendar => return Err(not_a_calendar(prop.line)),
            "VEVENT" => {
                let props = component(&mut lines, "VEVENT", &mut |_, _| {})?;
                let ev = VEvent {
                    line: prop.line,
                    props,
                };
                if ev.get("RECURRENCE-ID").is_some() {
                    overrides.push(ev);
                } else if ev.zones_known(&zones) {
                    ev.expand(&zones, ctx, &mut out);
                } else {
                    waiting.push(ev);
                }
            }
            "VTIMEZONE" => vtimezone(&mut lines, prop.line, &mut zones, &mut out)?,
            other => {
                let other = other.to_string();
                component(&mut lines, &other, &mut |_, _| {})?;
            }
        }
    }
    if !calendar {
        return Err(not_a_calendar(1));
    }
    for ev in waiting {
        ev.expand(&zones, ctx, &mut out);
    }
    apply_overrides(overrides, &zones, ctx, &mut out);
    Ok(out)
}

fn not_a_calendar(line: usize) -> ImportError {
    ImportError::Invalid {
        location: format!("line {line}"),
        reason: "not an iCalendar file: expected BEGIN:VCALENDAR (or BEGIN:VEVENT) first".into(),
    }
}

/// The properties of a component up to its END; nested components are handed to `nested`
/// (name and properties) instead.
fn component<R: BufRead>(
    lines: &mut ContentLines<R>,
    name: &str,
    nested: &mut dyn FnMut(&str, Vec<Property>),
) -> Result<Vec<Property>, ImportError> {
    let mut props = Vec::new();
    while let Some(item) = lines.next_property()? {
        let Ok(p) = item else { continue };
        match p.name.as_str() {
            "END" if p.value.trim().eq_ignore_ascii_case(name) => return Ok(props),
            "BEGIN" => {
                let inner = p.value.trim().to_ascii_uppercase();
                let inner_props = component(lines, &inner, &mut |_, _| {})?;
                nested(&inner, inner_props);
            }
            _ => props.push(p),
        }
    }
    Err(ImportError::Invalid {
        location: "end of file".into(),
        reason: format!("BEGIN:{name} has no END:{name} (truncated file?)"),
    })
}

fn vtimezone<R: BufRead>(
    lines: &mut ContentLines<R>,
    line: usize,
    zones: &mut Zones,
    out: &mut Parsed,
) -> Result<(), ImportError> {
    let mut observances = Vec::new();
    let props = component(lines, "VTIMEZONE", &mut |name, props| match name {
        "STANDARD" => observances.push(Observance::from_props(false, &props)),
        "DAYLIGHT" => observances.push(Observance::from_props(true, &props)),
        _ => {}
    })?;
    let Some(tzid) = props
        .iter()
        .find(|p| p.name == "TZID")
        .map(|p| p.value.trim().to_string())
    else {
        out.rejected
            .push(format!("VTIMEZONE at line {line}"), "no TZID");
        return Ok(());
    };
    if let Err(why) = zones.define(&tzid, &observances) {
        out.rejected.push(format!("VTIMEZONE at line {line}"), why);
    }
    Ok(())
}

/// Replaces or removes the instances that RECURRENCE-ID overrides name.
fn apply_overrides(overrides: Vec<VEvent>, zones: &Zones, ctx: &Context<'_>, out: &mut Parsed) {
    let mut targets = HashSet::new();
    let mut replacements = Vec::new();
    for ev in overrides {
        match ev.override_target(zones) {
            Ok(id) => {
                targets.insert(id.clone());
                if !ev.cancelled() {
                    replacements.push((id, ev));
                }
            }
            Err(why) => out.rejected.push(ev.location(), why),
        }
    }
    out.batch
        .events
        .retain(|e| !targets.contains(e.id.as_str()));
    for (id, ev) in replacements {
        ev.single(&id, zones, ctx, out);
    }
}
