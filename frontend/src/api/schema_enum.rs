//! Enums of the schema, declared once with their wire names and labels.

/// Declares a schema enum: its wire names, a label for people, and the list of
/// all values in schema order (the order checkboxes and selects show them).
macro_rules! schema_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $first:ident = $first_wire:literal, $first_label:literal;
            $($variant:ident = $wire:literal, $label:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum $name {
            #[doc = $first_label]
            #[default]
            #[serde(rename = $first_wire)]
            $first,
            $(
                #[doc = $label]
                #[serde(rename = $wire)]
                $variant,
            )*
        }

        // Not every enum needs every helper.
        #[allow(dead_code)]
        impl $name {
            /// Every value, in schema order.
            pub const ALL: &'static [$name] = &[$name::$first, $($name::$variant),*];

            /// The schema name, e.g. for DOM ids and `<option>` values.
            pub fn as_str(self) -> &'static str {
                match self {
                    $name::$first => $first_wire,
                    $($name::$variant => $wire,)*
                }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self {
                    $name::$first => $first_label,
                    $($name::$variant => $label,)*
                }
            }

            /// The value named `wire` (see [`Self::as_str`]).
            pub fn parse(wire: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == wire)
            }
        }
    };
}

pub(crate) use schema_enum;
