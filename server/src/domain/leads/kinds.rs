//! The closed vocabularies of leads, stored as their upper-case names.

use async_graphql::Enum;

pub use crate::domain::opportunities::kinds::lead_source;

stored_enum!(
    /// Where a lead stands.
    LeadStatus {
        New => "NEW",
        Contacted => "CONTACTED",
        Qualified => "QUALIFIED",
        /// Became an account, a contact and maybe an opportunity (only by conversion).
        Converted => "CONVERTED",
        /// Not worth pursuing; the reason says why.
        Disqualified => "DISQUALIFIED",
    }
);

stored_enum!(
    /// The record a conversion mapping line fills.
    MappingTarget { Account => "ACCOUNT", Contact => "CONTACT", Opportunity => "OPPORTUNITY" }
);

stored_enum!(
    /// A lead field a web form can ask for.
    LeadFormField {
        OrganizationName => "ORGANIZATION_NAME",
        ForeName => "FORE_NAME",
        Surname => "SURNAME",
        JobTitle => "JOB_TITLE",
        Email => "EMAIL",
        Phone => "PHONE",
        Website => "WEBSITE",
        Industry => "INDUSTRY",
        Area => "AREA",
        Description => "DESCRIPTION",
    }
);

impl LeadFormField {
    /// The field's API name, also the HTML input name and the CSV column.
    pub fn name(self) -> &'static str {
        match self {
            LeadFormField::OrganizationName => "organizationName",
            LeadFormField::ForeName => "foreName",
            LeadFormField::Surname => "surname",
            LeadFormField::JobTitle => "jobTitle",
            LeadFormField::Email => "email",
            LeadFormField::Phone => "phone",
            LeadFormField::Website => "website",
            LeadFormField::Industry => "industry",
            LeadFormField::Area => "area",
            LeadFormField::Description => "description",
        }
    }

    /// The field with this API name.
    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// A label for forms that give none.
    pub fn default_label(self) -> &'static str {
        match self {
            LeadFormField::OrganizationName => "Company",
            LeadFormField::ForeName => "First name",
            LeadFormField::Surname => "Last name",
            LeadFormField::JobTitle => "Job title",
            LeadFormField::Email => "E-mail",
            LeadFormField::Phone => "Phone",
            LeadFormField::Website => "Website",
            LeadFormField::Industry => "Industry",
            LeadFormField::Area => "Region",
            LeadFormField::Description => "Message",
        }
    }
}

stored_enum!(
    /// What came of a web form post.
    SubmissionOutcome {
        /// A new lead.
        Created => "CREATED",
        /// An open lead with the same e-mail exists; the post was added to it.
        Duplicate => "DUPLICATE",
        /// The honeypot was filled: dropped.
        Spam => "SPAM",
    }
);

stored_enum!(
    /// How an assignment rule picks an owner.
    AssignmentKind {
        /// The members of a team take turns.
        RoundRobin => "ROUND_ROBIN",
        /// The lead's area decides; a fallback owner takes the rest.
        ByArea => "BY_AREA",
    }
);
