//! The one integration-test binary: each module mirrors a domain or a layer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod accounts;
mod activities;
mod api;
mod auth;
mod billing;
mod browser;
mod browser_billing;
mod browser_documents;
mod browser_forecast;
mod browser_routes;
mod contracts;
mod documents;
mod durability;
mod enquiries;
mod forecasts;
mod hardening;
mod leads;
mod live;
mod opportunities;
mod opportunities_live;
mod parties;
mod party_lifecycle;
mod static_files;
mod timeline;
