//! The resolver's view of a request, in one call.

use async_graphql::Context;

use crate::auth::RequestCtx;
use crate::error::AppResult;
use crate::state::AppState;

/// The application state and the request context of a resolver.
pub fn request<'a>(ctx: &'a Context<'_>) -> AppResult<(&'a AppState, &'a RequestCtx)> {
    Ok((ctx.data::<AppState>()?, ctx.data::<RequestCtx>()?))
}

/// The request context of a resolver (who asks), for resolvers that need no state.
pub fn caller<'a>(ctx: &'a Context<'_>) -> AppResult<&'a RequestCtx> {
    Ok(ctx.data::<RequestCtx>()?)
}

/// The application state of a resolver that acts on nobody's behalf (or checks the caller later).
pub fn state<'a>(ctx: &'a Context<'_>) -> AppResult<&'a AppState> {
    Ok(ctx.data::<AppState>()?)
}
