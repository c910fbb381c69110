//! Scalars of the API.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

/// An exact decimal number, sent as a string (`"1250000.00"`) so no client rounds it through a float.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal(pub String);

#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(s) => Ok(Decimal(s)),
            Value::Number(n) => Ok(Decimal(n.to_string())),
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}
