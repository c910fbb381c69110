//! Forecasts: the fiscal-year setting, versioned quotas, and forecast submissions.

pub mod forecast_settings;
pub mod forecast_submissions;
pub mod quotas;
