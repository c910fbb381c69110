//! Mutations that take one argument, `input`: each domain declares the ones it
//! sends as an enum (root field and input type), and all of them share one
//! document shape, so every document the app can send is listed by type.

/// Declares a set of mutations, each a root field taking `input: <Type>!`.
/// Tests walk `ALL` to check every document against the schema.
macro_rules! input_mutations {
    (
        $(#[$meta:meta])*
        $vis:vis $name:ident {
            $($variant:ident = $field:literal, $input:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $(
                #[doc = concat!("`", $field, "(input: ", $input, "!)`.")]
                $variant,
            )+
        }

        impl $name {
            /// Every mutation of the set.
            #[cfg(test)]
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The root field, e.g. `createAccount`.
            pub fn field(self) -> &'static str {
                match self {
                    $($name::$variant => $field,)+
                }
            }

            /// The type of its `input` argument.
            pub fn input_type(self) -> &'static str {
                match self {
                    $($name::$variant => $input,)+
                }
            }
        }
    };
}

pub(crate) use input_mutations;

/// `mutation Write($input: <input_type>!) { <field>(input: $input) { <selection> } }`.
pub(crate) fn document(field: &str, input_type: &str, selection: &str) -> String {
    format!("mutation Write($input: {input_type}!) {{ {field}(input: $input) {{ {selection} }} }}")
}
