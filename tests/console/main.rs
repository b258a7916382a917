//! The browser console: its access rules and API over HTTP, and the page itself driven in
//! headless Chromium through chromedriver.

mod access;
mod api;
mod browser;
mod harness;
mod pages;
