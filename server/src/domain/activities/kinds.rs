//! The closed vocabularies of activities.

use async_graphql::Enum;

stored_enum!(
    /// What kind of activity.
    ActivityKind {
        Call => "CALL",
        Meeting => "MEETING",
        Task => "TASK",
        /// A logged e-mail.
        Email => "EMAIL",
        Note => "NOTE",
    }
);

stored_enum!(
    /// Where an activity stands.
    ActivityStatus { Planned => "PLANNED", Done => "DONE", Cancelled => "CANCELLED" }
);

stored_enum!(
    /// The kind of record an activity is linked to.
    LinkType { Party => "PARTY", Opportunity => "OPPORTUNITY" }
);

stored_enum!(
    /// Who attends: a user of the CRM or a contact (a person party).
    AttendeeType { User => "USER", Contact => "CONTACT" }
);
