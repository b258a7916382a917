//! The JUnit XML report (`onair test --junit FILE`), the format CI systems show as test
//! results: one `testcase` per script and locale, failures with the same text as the terminal.

use super::{describe_failure, Summary};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// The report as an XML document.
pub fn render(summary: &Summary) -> Result<String, std::io::Error> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let failures = summary.cases.iter().filter(|c| c.failure.is_some()).count();
    let tests = summary.cases.len() + summary.broken.len();
    let seconds: f64 = summary.cases.iter().map(|c| c.seconds).sum();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", "onair test"));
    suite.push_attribute(("tests", tests.to_string().as_str()));
    suite.push_attribute(("failures", failures.to_string().as_str()));
    suite.push_attribute(("errors", summary.broken.len().to_string().as_str()));
    suite.push_attribute(("time", format!("{seconds:.3}").as_str()));
    w.write_event(Event::Start(suite))?;
    for broken in &summary.broken {
        let mut case = BytesStart::new("testcase");
        let file = broken.path.display().to_string();
        case.push_attribute(("classname", file.as_str()));
        case.push_attribute(("name", file.as_str()));
        w.write_event(Event::Start(case))?;
        let message = broken.to_string();
        let mut error = BytesStart::new("error");
        error.push_attribute(("message", message.as_str()));
        w.write_event(Event::Start(error))?;
        w.write_event(Event::Text(BytesText::new(&message)))?;
        w.write_event(Event::End(BytesEnd::new("error")))?;
        w.write_event(Event::End(BytesEnd::new("testcase")))?;
    }
    for result in &summary.cases {
        let mut case = BytesStart::new("testcase");
        let file = result.path.display().to_string();
        let name = format!("{} [{}]", result.name, result.locale);
        case.push_attribute(("classname", file.as_str()));
        case.push_attribute(("name", name.as_str()));
        case.push_attribute(("time", format!("{:.3}", result.seconds).as_str()));
        w.write_event(Event::Start(case))?;
        if let Some(f) = &result.failure {
            let text = describe_failure(result, f);
            let message = text.lines().next().unwrap_or("failed").trim().to_string();
            let mut failure = BytesStart::new("failure");
            failure.push_attribute(("message", message.as_str()));
            w.write_event(Event::Start(failure))?;
            w.write_event(Event::Text(BytesText::new(&text)))?;
            w.write_event(Event::End(BytesEnd::new("failure")))?;
        }
        w.write_event(Event::End(BytesEnd::new("testcase")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    String::from_utf8(w.into_inner()).map_err(std::io::Error::other)
}
