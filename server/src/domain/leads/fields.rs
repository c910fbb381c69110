//! The lead's fields and the fields a conversion can fill, with the rules of a valid conversion
//! mapping. Pure: no database.

use super::kinds::{LeadFormField, MappingTarget};

/// What a field holds, for deciding which lead fields may fill which target fields.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Email,
    Phone,
    Web,
}

impl FieldKind {
    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "TEXT",
            FieldKind::Email => "EMAIL",
            FieldKind::Phone => "PHONE",
            FieldKind::Web => "WEB",
        }
    }
}

/// One field: its API name, kind, longest text and whether a target needs it.
#[derive(Copy, Clone, Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub max: Option<usize>,
    pub required: bool,
}

const fn text(name: &'static str, max: usize, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        kind: FieldKind::Text,
        max: Some(max),
        required,
    }
}

const fn of(name: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        max: None,
        required: false,
    }
}

/// The lead fields a mapping can read.
pub const SOURCE: &[FieldSpec] = &[
    text("organizationName", 200, false),
    text("foreName", 100, false),
    text("surname", 100, false),
    text("jobTitle", 100, false),
    of("email", FieldKind::Email),
    of("phone", FieldKind::Phone),
    of("website", FieldKind::Web),
    text("industry", 100, false),
    text("area", 100, false),
    text("description", 2000, false),
];

/// The account fields a conversion can fill.
pub const ACCOUNT: &[FieldSpec] = &[
    text("name", 200, true),
    text("industry", 100, false),
    text("area", 100, false),
    of("website", FieldKind::Web),
    of("email", FieldKind::Email),
    of("phone", FieldKind::Phone),
];

/// The contact (person) fields a conversion can fill; `roleLabel` labels the relationship to the
/// account.
pub const CONTACT: &[FieldSpec] = &[
    text("foreName", 100, true),
    text("surname", 100, true),
    of("email", FieldKind::Email),
    of("phone", FieldKind::Phone),
    text("area", 100, false),
    text("roleLabel", 100, false),
];

/// The opportunity fields a conversion can fill.
pub const OPPORTUNITY: &[FieldSpec] = &[text("name", 200, true), text("nextStep", 200, false)];

/// The fields of a target record.
pub fn targets(t: MappingTarget) -> &'static [FieldSpec] {
    match t {
        MappingTarget::Account => ACCOUNT,
        MappingTarget::Contact => CONTACT,
        MappingTarget::Opportunity => OPPORTUNITY,
    }
}

/// The source field of this name.
pub fn source(name: &str) -> Option<&'static FieldSpec> {
    SOURCE.iter().find(|f| f.name == name)
}

/// One mapping line: `target.target_field ← source_field`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingLine {
    pub target: MappingTarget,
    pub target_field: String,
    pub source_field: String,
}

/// Checks a whole mapping, naming each bad line by its index (`entries.N.targetField`, …) and each
/// missing required field (`entries`). Every target field at most once; kinds must agree; a text
/// source must fit its target.
pub fn check_mapping(lines: &[MappingLine]) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let mut seen: Vec<(MappingTarget, &str)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(t) = targets(l.target).iter().find(|f| f.name == l.target_field) else {
            let names: Vec<_> = targets(l.target).iter().map(|f| f.name).collect();
            errors.push((
                format!("entries.{i}.targetField"),
                format!(
                    "{} has no field {:?}; it has {}",
                    l.target.as_str(),
                    l.target_field,
                    names.join(", ")
                ),
            ));
            continue;
        };
        if seen.contains(&(l.target, t.name)) {
            errors.push((
                format!("entries.{i}.targetField"),
                format!("{}.{} is mapped twice", l.target.as_str(), t.name),
            ));
            continue;
        }
        seen.push((l.target, t.name));
        let Some(s) = source(&l.source_field) else {
            errors.push((
                format!("entries.{i}.sourceField"),
                format!("a lead has no field {:?}", l.source_field),
            ));
            continue;
        };
        if s.kind != t.kind {
            errors.push((
                format!("entries.{i}.sourceField"),
                format!(
                    "{} holds {} but {}.{} takes {}",
                    s.name,
                    s.kind.as_str(),
                    l.target.as_str(),
                    t.name,
                    t.kind.as_str()
                ),
            ));
            continue;
        }
        if let (Some(smax), Some(tmax)) = (s.max, t.max) {
            if smax > tmax {
                errors.push((
                    format!("entries.{i}.sourceField"),
                    format!(
                        "{} holds up to {smax} characters but {}.{} only {tmax}",
                        s.name,
                        l.target.as_str(),
                        t.name
                    ),
                ));
            }
        }
    }
    for target in MappingTarget::ALL {
        for f in targets(*target).iter().filter(|f| f.required) {
            if !lines
                .iter()
                .any(|l| l.target == *target && l.target_field == f.name)
            {
                errors.push((
                    "entries".to_string(),
                    format!(
                        "{}.{} is required and must be mapped",
                        target.as_str(),
                        f.name
                    ),
                ));
            }
        }
    }
    errors
}

/// A lead's values by field, as forms, imports and conversion read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeadValues {
    pub organization_name: Option<String>,
    pub fore_name: Option<String>,
    pub surname: Option<String>,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub area: Option<String>,
    pub description: Option<String>,
}

impl LeadValues {
    /// The value of a source field by API name.
    pub fn get(&self, name: &str) -> Option<&str> {
        LeadFormField::by_name(name).and_then(|f| self.slot(f).as_deref())
    }

    fn slot(&self, f: LeadFormField) -> &Option<String> {
        match f {
            LeadFormField::OrganizationName => &self.organization_name,
            LeadFormField::ForeName => &self.fore_name,
            LeadFormField::Surname => &self.surname,
            LeadFormField::JobTitle => &self.job_title,
            LeadFormField::Email => &self.email,
            LeadFormField::Phone => &self.phone,
            LeadFormField::Website => &self.website,
            LeadFormField::Industry => &self.industry,
            LeadFormField::Area => &self.area,
            LeadFormField::Description => &self.description,
        }
    }

    /// Sets a field by form field.
    pub fn set(&mut self, f: LeadFormField, v: Option<String>) {
        let slot = match f {
            LeadFormField::OrganizationName => &mut self.organization_name,
            LeadFormField::ForeName => &mut self.fore_name,
            LeadFormField::Surname => &mut self.surname,
            LeadFormField::JobTitle => &mut self.job_title,
            LeadFormField::Email => &mut self.email,
            LeadFormField::Phone => &mut self.phone,
            LeadFormField::Website => &mut self.website,
            LeadFormField::Industry => &mut self.industry,
            LeadFormField::Area => &mut self.area,
            LeadFormField::Description => &mut self.description,
        };
        *slot = v;
    }
}

/// The values a mapping gives one target: `(target field, source field, value)` in mapping order.
pub fn mapped<'a>(
    lines: &'a [MappingLine],
    target: MappingTarget,
    lead: &LeadValues,
) -> Vec<(&'a str, &'a str, Option<String>)> {
    lines
        .iter()
        .filter(|l| l.target == target)
        .map(|l| {
            (
                l.target_field.as_str(),
                l.source_field.as_str(),
                lead.get(&l.source_field)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: MappingTarget, f: &str, s: &str) -> MappingLine {
        MappingLine {
            target: t,
            target_field: f.into(),
            source_field: s.into(),
        }
    }

    fn defaults() -> Vec<MappingLine> {
        use MappingTarget::*;
        vec![
            line(Account, "name", "organizationName"),
            line(Contact, "foreName", "foreName"),
            line(Contact, "surname", "surname"),
            line(Contact, "email", "email"),
            line(Opportunity, "name", "organizationName"),
        ]
    }

    #[test]
    fn the_default_mapping_is_valid() {
        assert!(check_mapping(&defaults()).is_empty());
    }

    #[test]
    fn bad_lines_are_named() {
        use MappingTarget::*;
        let mut m = defaults();
        m.push(line(Account, "revenue", "description"));
        m.push(line(Contact, "email", "email"));
        m.push(line(Contact, "roleLabel", "description"));
        m.push(line(Account, "website", "email"));
        m.push(line(Opportunity, "nextStep", "shoeSize"));
        let e = check_mapping(&m);
        let fields: Vec<_> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "entries.5.targetField",
                "entries.6.targetField",
                "entries.7.sourceField",
                "entries.8.sourceField",
                "entries.9.sourceField"
            ]
        );
        assert!(e[2].1.contains("2000"), "{e:?}");
    }

    #[test]
    fn required_targets_must_be_mapped() {
        let m: Vec<_> = defaults().into_iter().skip(1).collect();
        let e = check_mapping(&m);
        assert_eq!(e.len(), 1);
        assert!(e[0].1.contains("ACCOUNT.name"));
    }

    #[test]
    fn mapped_values_skip_blanks() {
        let lead = LeadValues {
            organization_name: Some(" Acme ".into()),
            fore_name: Some("".into()),
            surname: Some("Doe".into()),
            ..Default::default()
        };
        let m = defaults();
        let c = mapped(&m, MappingTarget::Contact, &lead);
        assert_eq!(c[0], ("foreName", "foreName", None));
        assert_eq!(c[1], ("surname", "surname", Some("Doe".into())));
        let a = mapped(&m, MappingTarget::Account, &lead);
        assert_eq!(a[0].2.as_deref(), Some("Acme"));
    }
}
