//! The fields of a record form, described by the domain as data: what each
//! is called in the schema, its label, how it is entered, and when it is
//! shown. [`super::form::record_form`] draws them with their validation
//! messages.

use crate::api::auth::User;
use crate::api::FieldErrors;
use crate::components::field::{input_id, FieldError, TextField};
use crate::components::money_field::MoneyField;
use crate::components::owner_field::OwnerField;
use crate::components::select_field::SelectField;
use leptos::prelude::*;

/// How a field is entered.
enum Kind {
    /// `<input type=…>`.
    Input(&'static str, RwSignal<String>),
    /// `<textarea>`.
    TextArea(RwSignal<String>),
    /// A drop-down: choices, the chosen value, the label of a first empty choice.
    Select(
        Signal<Vec<(String, String)>>,
        RwSignal<String>,
        &'static str,
    ),
    /// The owner picker: the chosen user id and the saved owner.
    Owner(RwSignal<String>, Signal<Option<User>>),
    /// Amount and currency: the message names of the group, its amount and currency;
    /// whether the user may change it.
    Money(
        &'static [&'static str; 3],
        RwSignal<String>,
        RwSignal<String>,
        bool,
    ),
    /// Anything else, drawn by the domain.
    Custom(AnyView),
}

/// One field of a form: what it is called in the schema (its DOM id is
/// `field-{name}`, its message `[data-field={name}]`), its label, how it is
/// entered, and when it is shown.
pub struct Field {
    name: &'static str,
    label: &'static str,
    kind: Kind,
    required: bool,
    hint: Option<&'static str>,
    when: Option<Signal<bool>>,
    messages: &'static [&'static str],
}

impl Field {
    fn of(name: &'static str, label: &'static str, kind: Kind) -> Self {
        Self {
            name,
            label,
            kind,
            required: false,
            hint: None,
            when: None,
            messages: &[],
        }
    }

    /// A single-line text input.
    pub fn text(name: &'static str, label: &'static str, value: RwSignal<String>) -> Self {
        Self::of(name, label, Kind::Input("text", value))
    }

    /// An input of the HTML type `input_type` (`email`, `url`, `tel`, `date`…).
    pub fn input(
        name: &'static str,
        label: &'static str,
        input_type: &'static str,
        value: RwSignal<String>,
    ) -> Self {
        Self::of(name, label, Kind::Input(input_type, value))
    }

    /// A multi-line text.
    pub fn area(name: &'static str, label: &'static str, value: RwSignal<String>) -> Self {
        Self::of(name, label, Kind::TextArea(value))
    }

    /// A drop-down of `(value, label)` choices; `empty` labels a first choice `""` (none when blank).
    pub fn select(
        name: &'static str,
        label: &'static str,
        options: Signal<Vec<(String, String)>>,
        value: RwSignal<String>,
        empty: &'static str,
    ) -> Self {
        Self::of(name, label, Kind::Select(options, value, empty))
    }

    /// The owner picker (`ownerId`); `current` is the saved record's owner.
    pub fn owner(value: RwSignal<String>, current: Signal<Option<User>>) -> Self {
        Self::of("ownerId", "Owner", Kind::Owner(value, current))
    }

    /// An amount of money (`{name}`, `{name}.amount`, `{name}.currency`), read-only unless `writable`.
    pub fn money(
        names: &'static [&'static str; 3],
        label: &'static str,
        (amount, currency): (RwSignal<String>, RwSignal<String>),
        writable: bool,
    ) -> Self {
        let mut field = Self::of(
            names[0],
            label,
            Kind::Money(names, amount, currency, writable),
        );
        field.messages = &names[1..];
        field
    }

    /// A field the domain draws itself; it shows the messages of `names`.
    pub fn custom(names: &'static [&'static str], view: AnyView) -> Self {
        let mut field = Self::of(
            names.first().copied().unwrap_or_default(),
            "",
            Kind::Custom(view),
        );
        field.messages = names.get(1..).unwrap_or_default();
        field
    }

    /// Marked as required.
    pub fn required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }

    /// With help text under the input.
    pub fn hint(self, hint: &'static str) -> Self {
        Self {
            hint: Some(hint),
            ..self
        }
    }

    /// Shown only while `when` is true.
    pub fn when(self, when: Signal<bool>) -> Self {
        Self {
            when: Some(when),
            ..self
        }
    }

    /// The values the field holds, each with what it is called and how a value reads:
    /// what a conflict's merge compares. A field the domain draws itself has none.
    pub(super) fn values(&self) -> Vec<Value> {
        let plain = |label, value| Value {
            label,
            value,
            reads: Reads::Plain,
        };
        match &self.kind {
            Kind::Input(_, v) | Kind::TextArea(v) => vec![plain(self.label, *v)],
            Kind::Select(options, v, _) => vec![Value {
                label: self.label,
                value: *v,
                reads: Reads::Choice(*options),
            }],
            Kind::Owner(v, current) => vec![Value {
                label: self.label,
                value: *v,
                reads: Reads::Owner(*current),
            }],
            Kind::Money(_, amount, currency, true) => {
                vec![plain(self.label, *amount), plain("Currency", *currency)]
            }
            Kind::Money(_, _, _, false) | Kind::Custom(_) => Vec::new(),
        }
    }

    /// The input names this field shows messages for.
    pub(super) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.name).chain(self.messages.iter().copied())
    }
}

/// How a value of a field reads to a person.
#[derive(Clone, Copy)]
pub(super) enum Reads {
    /// As it is.
    Plain,
    /// The label of the choice.
    Choice(Signal<Vec<(String, String)>>),
    /// The owner's name (the saved owner's; another id is "another user").
    Owner(Signal<Option<User>>),
}

/// One value of a form's field.
#[derive(Clone, Copy)]
pub(super) struct Value {
    pub label: &'static str,
    pub value: RwSignal<String>,
    pub reads: Reads,
}

impl Value {
    /// `v` as a person reads it.
    pub fn read(&self, v: &str) -> String {
        if v.is_empty() {
            return "(empty)".to_owned();
        }
        match self.reads {
            Reads::Plain => v.to_owned(),
            Reads::Choice(options) => options.with_untracked(|o| {
                o.iter()
                    .find(|(value, _)| value == v)
                    .map_or_else(|| v.to_owned(), |(_, text)| text.clone())
            }),
            Reads::Owner(current) => current.with_untracked(|c| match c {
                Some(u) if u.id == v => u.display_name.clone(),
                _ => "another user".to_owned(),
            }),
        }
    }
}

/// The hint of a record's code field: generated on create, unique always.
pub fn code_hint(is_new: bool) -> &'static str {
    if is_new {
        "Leave empty to have one generated."
    } else {
        "Unique short code."
    }
}

pub(super) fn field_view(
    field: Field,
    errors: RwSignal<FieldErrors>,
    read_only: Signal<bool>,
) -> AnyView {
    let Field {
        name,
        label,
        kind,
        required,
        hint,
        when,
        ..
    } = field;
    let drawn = match kind {
        Kind::Input(input_type, value) => {
            let draw = move || {
                view! { <TextField name label value errors required input_type hint disabled=read_only /> }
            };
            return match when {
                Some(when) => (move || when.get().then(draw)).into_any(),
                None => draw().into_any(),
            };
        }
        Kind::TextArea(value) => view! {
            <div class="field span-2">
                <label for=input_id(name)>{label}</label>
                <textarea id=input_id(name) name=name rows="3" disabled=read_only bind:value=value></textarea>
                <FieldError name errors />
            </div>
        }
        .into_any(),
        Kind::Select(options, value, empty) => {
            view! { <SelectField name label options value errors empty disabled=read_only /> }
                .into_any()
        }
        Kind::Owner(value, current) => {
            view! { <OwnerField value current errors disabled=read_only /> }.into_any()
        }
        Kind::Money(fields, amount, currency, writable) => {
            let disabled = Signal::derive(move || !writable || read_only.get());
            let id = format!("field-{name}");
            view! { <MoneyField fields legend=label id amount currency errors disabled /> }
                .into_any()
        }
        Kind::Custom(view) => view,
    };
    match when {
        // A drawn view cannot be drawn twice: hidden, not dropped.
        Some(when) => {
            view! { <div class="field-slot" hidden=move || !when.get()>{drawn}</div> }.into_any()
        }
        None => drawn,
    }
}
