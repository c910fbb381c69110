//! One module per screen, named after the domain it shows.

pub mod accounts;
pub mod activities;
pub mod billing;
pub mod documents;
pub mod forecasts;
pub mod home;
pub mod leads;
pub mod login;
pub mod opportunities;
pub mod parties;
pub mod settings;
pub mod welcome;
