//! The grants of one role, loaded once per request.

use std::collections::HashMap;

/// What a grant allows on an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Create,
    Update,
    Archive,
    ApproveDeletion,
    Export,
    /// Anonymise personal data (right to erasure).
    Erase,
}

impl Action {
    /// Every action, in display order.
    pub const ALL: [Action; 7] = [
        Action::Read,
        Action::Create,
        Action::Update,
        Action::Archive,
        Action::ApproveDeletion,
        Action::Export,
        Action::Erase,
    ];

    /// The action's name in the `role_grants` table and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Archive => "archive",
            Action::ApproveDeletion => "approve_deletion",
            Action::Export => "export",
            Action::Erase => "erase",
        }
    }

    /// Parses a stored action name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Which rows a grant reaches: the caller's own, those of the caller's teams, or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Own,
    Team,
    All,
}

impl Scope {
    /// Parses a stored scope name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "own" => Some(Scope::Own),
            "team" => Some(Scope::Team),
            "all" => Some(Scope::All),
            _ => None,
        }
    }
}

/// A sensitive field of an object, as field grants name it (`account.annualRevenue`). Each domain
/// declares its own in its `policy.rs`, so no check spells a field as a string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Field {
    pub object: &'static str,
    pub name: &'static str,
}

impl Field {
    /// The field `name` (camelCase, as in the API) of `object`.
    pub const fn new(object: &'static str, name: &'static str) -> Self {
        Self { object, name }
    }
}

/// Object and field grants of one role. Deny by default: anything absent is not allowed.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    objects: HashMap<(String, Action), Scope>,
    fields: HashMap<(String, String), (bool, bool)>,
}

impl Grants {
    /// Adds an object grant; the widest scope wins when a grant is repeated.
    pub fn grant(&mut self, object: &str, action: Action, scope: Scope) {
        let e = self
            .objects
            .entry((object.to_string(), action))
            .or_insert(scope);
        if scope > *e {
            *e = scope;
        }
    }

    /// Adds a field grant.
    pub fn grant_field(&mut self, object: &str, field: &str, read: bool, write: bool) {
        self.fields
            .insert((object.to_string(), field.to_string()), (read, write));
    }

    /// The scope granted for `action` on `object`, if any.
    pub fn scope(&self, object: &str, action: Action) -> Option<Scope> {
        self.objects.get(&(object.to_string(), action)).copied()
    }

    /// Whether a sensitive field may be read.
    pub fn can_read(&self, f: Field) -> bool {
        self.can_read_field(f.object, f.name)
    }

    /// Whether a sensitive field may be written.
    pub fn can_write(&self, f: Field) -> bool {
        self.can_write_field(f.object, f.name)
    }

    /// Whether a field, named as stored in a field grant, may be read.
    pub fn can_read_field(&self, object: &str, field: &str) -> bool {
        self.fields
            .get(&(object.to_string(), field.to_string()))
            .is_some_and(|(r, _)| *r)
    }

    /// Whether a sensitive field may be written.
    pub fn can_write_field(&self, object: &str, field: &str) -> bool {
        self.fields
            .get(&(object.to_string(), field.to_string()))
            .is_some_and(|(_, w)| *w)
    }

    /// Objects with their granted actions, sorted, for the API's `me.permissions`.
    pub fn objects(&self) -> Vec<(String, Vec<Action>)> {
        let mut map: std::collections::BTreeMap<String, Vec<Action>> = Default::default();
        for (object, action) in self.objects.keys() {
            map.entry(object.clone()).or_default().push(*action);
        }
        map.into_iter()
            .map(|(o, mut acts)| {
                acts.sort_by_key(|a| Action::ALL.iter().position(|x| x == a));
                (o, acts)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_by_default_and_widest_scope_wins() {
        let mut g = Grants::default();
        assert_eq!(g.scope("account", Action::Read), None);
        g.grant("account", Action::Read, Scope::Own);
        g.grant("account", Action::Read, Scope::Team);
        g.grant("account", Action::Read, Scope::Own);
        assert_eq!(g.scope("account", Action::Read), Some(Scope::Team));
        assert_eq!(g.scope("account", Action::Update), None);
        assert!(!g.can_read_field("account", "annualRevenue"));
        g.grant_field("account", "annualRevenue", true, false);
        assert!(g.can_read_field("account", "annualRevenue"));
        assert!(!g.can_write_field("account", "annualRevenue"));
    }
}
