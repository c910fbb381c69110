//! Forecasts and sales analytics (F-1…F-4, R-1, R-5): fiscal periods, quotas, forecast figures
//! rolled up through the team hierarchy, calls kept as snapshots, the statistical forecast with its
//! backtest, and the sales reports with CSV. See docs/FORECASTS.md.

pub mod csv;
pub mod figures;
pub mod graphql;
pub mod hierarchy;
pub mod history;
pub mod periods;
pub mod policy;
pub mod quotas;
pub mod reports;
pub mod service;
pub mod statistical;
pub mod stats;
pub mod submissions;
