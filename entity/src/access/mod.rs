//! Users, roles, grants, teams and sessions.

pub mod role_field_grants;
pub mod role_grants;
pub mod roles;
pub mod sessions;
pub mod team_members;
pub mod teams;
pub mod user_tokens;
pub mod users;
