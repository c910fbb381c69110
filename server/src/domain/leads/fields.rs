//! The lead's fields and the fields a conversion can fill, with the rules of a valid conversion
//! mapping. Custom fields take part as `custom.<key>`, on the lead (sources) and on each target.
//! Pure: no database.

use super::kinds::{LeadFormField, MappingTarget};
use crate::domain::custom_fields::rules::{self as custom, CustomFieldType, CustomObject};

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

/// A live custom field a mapping may name as `custom.<key>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomSpec {
    pub key: String,
    pub label: String,
    pub field_type: CustomFieldType,
    /// The choices of a pick or multi-pick field.
    pub options: Vec<String>,
}

/// The live custom fields of the lead and of each conversion target.
#[derive(Clone, Debug, Default)]
pub struct CustomFields {
    pub lead: Vec<CustomSpec>,
    pub account: Vec<CustomSpec>,
    pub contact: Vec<CustomSpec>,
    pub opportunity: Vec<CustomSpec>,
}

impl CustomFields {
    /// The custom fields of `target`'s records.
    pub fn of(&self, target: MappingTarget) -> &[CustomSpec] {
        match target {
            MappingTarget::Account => &self.account,
            MappingTarget::Contact => &self.contact,
            MappingTarget::Opportunity => &self.opportunity,
        }
    }
}

/// The records whose custom fields a target's new record has: accounts, people, opportunities.
pub fn custom_object(target: MappingTarget) -> CustomObject {
    match target {
        MappingTarget::Account => CustomObject::Account,
        MappingTarget::Contact => CustomObject::Party,
        MappingTarget::Opportunity => CustomObject::Opportunity,
    }
}

/// The custom field's key a mapping name holds (`custom.region` → `region`).
pub fn custom_key(name: &str) -> Option<&str> {
    name.strip_prefix("custom.")
}

/// A field a mapping line names, built in or custom, as its rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// What people read: the custom field's label, the API name of a built-in one.
    pub label: String,
    /// The built-in kind it agrees with (`None`: a custom type only its own type takes).
    pub kind: Option<FieldKind>,
    pub custom: Option<CustomSpec>,
    pub max: Option<usize>,
    pub required: bool,
}

impl Field {
    fn built_in(f: &FieldSpec) -> Self {
        Field {
            name: f.name.to_string(),
            label: f.name.to_string(),
            kind: Some(f.kind),
            custom: None,
            max: f.max,
            required: f.required,
        }
    }

    fn custom(c: &CustomSpec) -> Self {
        use CustomFieldType as T;
        let (kind, max) = match c.field_type {
            T::Text => (Some(FieldKind::Text), Some(custom::MAX_TEXT)),
            T::LongText => (Some(FieldKind::Text), Some(custom::MAX_LONG_TEXT)),
            T::Email => (Some(FieldKind::Email), None),
            T::Phone => (Some(FieldKind::Phone), None),
            T::Url => (Some(FieldKind::Web), None),
            _ => (None, None),
        };
        Field {
            name: custom::grant_name(&c.key),
            label: c.label.clone(),
            kind,
            custom: Some(c.clone()),
            max,
            required: false,
        }
    }

    /// What the field holds, in messages: `TEXT`, or a custom type such as `MONEY`.
    pub fn holds(&self) -> String {
        match (&self.custom, self.kind) {
            (Some(c), None) => c.field_type.as_str().to_ascii_uppercase(),
            (_, Some(k)) => k.as_str().to_string(),
            (None, None) => String::new(),
        }
    }
}

/// The fields a mapping can read: the lead's built-in fields, then its custom fields.
pub fn source_fields(c: &CustomFields) -> Vec<Field> {
    SOURCE
        .iter()
        .map(Field::built_in)
        .chain(c.lead.iter().map(Field::custom))
        .collect()
}

/// The fields a mapping can fill on `target`: built-in, then custom.
pub fn target_fields(target: MappingTarget, c: &CustomFields) -> Vec<Field> {
    targets(target)
        .iter()
        .map(Field::built_in)
        .chain(c.of(target).iter().map(Field::custom))
        .collect()
}

/// Why `s` may not fill `t`, if it may not: kinds must agree (two custom fields: the same type,
/// the target offering every choice of the source), and a text must fit.
fn disagreement(s: &Field, t: &Field, target: MappingTarget) -> Option<String> {
    let to = format!("{}.{}", target.as_str(), t.name);
    match (&s.custom, &t.custom) {
        (Some(a), Some(b)) if a.field_type == b.field_type => {
            let missing: Vec<&str> = a
                .options
                .iter()
                .filter(|o| !b.options.contains(o))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                return Some(format!(
                    "{} offers choices {to} does not: {}",
                    s.name,
                    missing.join(", ")
                ));
            }
        }
        _ if s.kind.is_some() && s.kind == t.kind => {}
        _ => {
            return Some(format!(
                "{} holds {} but {to} takes {}",
                s.name,
                s.holds(),
                t.holds()
            ))
        }
    }
    match (s.max, t.max) {
        (Some(smax), Some(tmax)) if smax > tmax => Some(format!(
            "{} holds up to {smax} characters but {to} only {tmax}",
            s.name
        )),
        _ => None,
    }
}

/// Checks a whole mapping, naming each bad line by its index (`entries.N.targetField`, …) and each
/// missing required field (`entries`). Every target field at most once; kinds must agree; a text
/// source must fit its target; custom fields must be live ones of the lead or the target.
pub fn check_mapping(lines: &[MappingLine], custom: &CustomFields) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let mut seen: Vec<(MappingTarget, &str)> = Vec::new();
    let sources = source_fields(custom);
    for (i, l) in lines.iter().enumerate() {
        let fields = target_fields(l.target, custom);
        let Some(t) = fields.iter().find(|f| f.name == l.target_field) else {
            let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
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
        if seen.contains(&(l.target, l.target_field.as_str())) {
            errors.push((
                format!("entries.{i}.targetField"),
                format!("{}.{} is mapped twice", l.target.as_str(), t.name),
            ));
            continue;
        }
        seen.push((l.target, l.target_field.as_str()));
        let Some(s) = sources.iter().find(|f| f.name == l.source_field) else {
            errors.push((
                format!("entries.{i}.sourceField"),
                format!("a lead has no field {:?}", l.source_field),
            ));
            continue;
        };
        if let Some(why) = disagreement(s, t, l.target) {
            errors.push((format!("entries.{i}.sourceField"), why));
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

/// The values a mapping gives one target's built-in fields: `(target field, source field,
/// value)` in mapping order (custom targets are filled from the stored values: `convert`).
pub fn mapped<'a>(
    lines: &'a [MappingLine],
    target: MappingTarget,
    lead: &LeadValues,
) -> Vec<(&'a str, &'a str, Option<String>)> {
    lines
        .iter()
        .filter(|l| l.target == target && custom_key(&l.target_field).is_none())
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
        assert!(check_mapping(&defaults(), &CustomFields::default()).is_empty());
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
        let e = check_mapping(&m, &CustomFields::default());
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
        let e = check_mapping(&m, &CustomFields::default());
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

    fn spec(key: &str, field_type: CustomFieldType, options: &[&str]) -> CustomSpec {
        CustomSpec {
            key: key.into(),
            label: key.into(),
            field_type,
            options: options.iter().map(|o| o.to_string()).collect(),
        }
    }

    #[test]
    fn custom_fields_map_by_kind_type_choices_and_length() {
        use CustomFieldType as T;
        use MappingTarget::*;
        let custom = CustomFields {
            lead: vec![
                spec("budget", T::Money, &[]),
                spec("segment", T::Pick, &["smb", "enterprise"]),
                spec("notes", T::LongText, &[]),
                spec("twitter", T::Url, &[]),
            ],
            account: vec![
                spec("budget", T::Money, &[]),
                spec("segment", T::Pick, &["smb"]),
                spec("tagline", T::Text, &[]),
                spec("size", T::Number, &[]),
            ],
            contact: vec![spec("profile", T::Url, &[])],
            opportunity: vec![spec("segment", T::Pick, &["smb", "enterprise", "public"])],
        };
        let mut m = defaults();
        m.push(line(Account, "custom.budget", "custom.budget"));
        m.push(line(Opportunity, "custom.segment", "custom.segment"));
        m.push(line(Contact, "custom.profile", "custom.twitter"));
        m.push(line(Account, "custom.tagline", "industry"));
        m.push(line(Account, "website", "custom.twitter"));
        assert!(check_mapping(&m, &custom).is_empty());
        let ok = m.len();
        m.push(line(Account, "custom.segment", "custom.segment"));
        m.push(line(Account, "custom.size", "custom.budget"));
        m.push(line(Account, "custom.size", "industry"));
        m.push(line(Account, "custom.nope", "industry"));
        m.push(line(Opportunity, "nextStep", "custom.notes"));
        m.push(line(Opportunity, "custom.gone", "custom.gone"));
        m.push(line(Contact, "roleLabel", "custom.nope"));
        let e = check_mapping(&m, &custom);
        let fields: Vec<String> = e.iter().map(|(f, _)| f.clone()).collect();
        let at = |i: usize, f: &str| format!("entries.{}.{f}", ok + i);
        assert_eq!(
            fields,
            [
                at(0, "sourceField"),
                at(1, "sourceField"),
                at(2, "targetField"),
                at(3, "targetField"),
                at(4, "sourceField"),
                at(5, "targetField"),
                at(6, "sourceField"),
            ],
            "{e:?}"
        );
        assert!(
            e[0].1
                .contains("offers choices ACCOUNT.custom.segment does not: enterprise"),
            "{e:?}"
        );
        assert!(
            e[1].1
                .contains("holds MONEY but ACCOUNT.custom.size takes NUMBER"),
            "{e:?}"
        );
        assert!(e[4].1.contains("2000") && e[4].1.contains("200"), "{e:?}");
        let named = mapped(&m, Account, &LeadValues::default());
        assert!(named.iter().all(|(t, _, _)| custom_key(t).is_none()));
    }
}
