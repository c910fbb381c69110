//! Ordered, forward-only migrations. A migration once released is never edited: add a new one.
pub use sea_orm_migration::prelude::*;

mod m20261124_000001_access;
mod m20261124_000002_parties;
mod m20261124_000003_change_log;
mod m20261124_000004_builtin_roles;
mod m20261124_000005_customer_master;
mod m20261124_000006_party_lifecycle;
mod m20261124_000007_opportunities;
mod m20261124_000008_activities;
mod m20261124_000009_leads;
mod m20261203_000010_access_epoch;
mod m20261203_000011_forecasts;
mod m20261204_000012_sales_documents;
mod m20261205_000013_billing;
mod m20261205_000014_contracts;
mod m20261205_000015_enquiries;
mod m20261205_000016_dealer_users;
mod m20261206_000017_saved_views;
mod m20261206_000018_user_admin;
mod m20261206_000019_custom_roles;
mod m20261207_000020_custom_fields;
mod m20261207_000021_picklists;
mod m20261207_000022_party_identifiers;
mod m20261207_000023_case_kept;
mod m20261207_000024_lead_sources;
mod m20261207_000025_recurring_activities;
mod m20261207_000026_role_default_views;
mod m20261207_000027_relationship_types;
mod m20261207_000028_party_roles;
mod m20261207_000029_currency_minor_units;
mod m20261207_000030_mapping_custom_fields;
mod m20261207_000031_activity_time_zones;

pub mod access;
mod columns;

/// Every migration of the CRM, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_access::Migration),
            Box::new(m20261124_000002_parties::Migration),
            Box::new(m20261124_000003_change_log::Migration),
            Box::new(m20261124_000004_builtin_roles::Migration),
            Box::new(m20261124_000005_customer_master::Migration),
            Box::new(m20261124_000006_party_lifecycle::Migration),
            Box::new(m20261124_000007_opportunities::Migration),
            Box::new(m20261124_000008_activities::Migration),
            Box::new(m20261124_000009_leads::Migration),
            Box::new(m20261203_000010_access_epoch::Migration),
            Box::new(m20261203_000011_forecasts::Migration),
            Box::new(m20261204_000012_sales_documents::Migration),
            Box::new(m20261205_000013_billing::Migration),
            Box::new(m20261205_000014_contracts::Migration),
            Box::new(m20261205_000015_enquiries::Migration),
            Box::new(m20261205_000016_dealer_users::Migration),
            Box::new(m20261206_000017_saved_views::Migration),
            Box::new(m20261206_000018_user_admin::Migration),
            Box::new(m20261206_000019_custom_roles::Migration),
            Box::new(m20261207_000020_custom_fields::Migration),
            Box::new(m20261207_000021_picklists::Migration),
            Box::new(m20261207_000022_party_identifiers::Migration),
            Box::new(m20261207_000023_case_kept::Migration),
            Box::new(m20261207_000024_lead_sources::Migration),
            Box::new(m20261207_000025_recurring_activities::Migration),
            Box::new(m20261207_000026_role_default_views::Migration),
            Box::new(m20261207_000027_relationship_types::Migration),
            Box::new(m20261207_000028_party_roles::Migration),
            Box::new(m20261207_000029_currency_minor_units::Migration),
            Box::new(m20261207_000030_mapping_custom_fields::Migration),
            Box::new(m20261207_000031_activity_time_zones::Migration),
        ]
    }
}
