//! [`Paged`]: the rows of a paged list endpoint as one async stream.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, TryStreamExt};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::session::MMSession;

/// Rows per page of reports, senders and suppressions (the API's page size).
pub const PAGE_SIZE: usize = 500;

/// Rows per page of the account list.
pub(crate) const ACCOUNT_PAGE_SIZE: usize = 25;

/// The rows of a paged listing, fetched page by page (`startindex` 0, 500, 1000, ...) as the
/// stream is polled; a page shorter than the page size is the last.
///
/// Nothing is sent before the first poll, and dropping the stream stops it. The first error
/// ends the stream. [`Paged::collect_all`] gathers everything into a `Vec`.
#[must_use = "a stream does nothing unless polled"]
pub struct Paged<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T>> + Send>>,
}

impl<T> fmt::Debug for Paged<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged").finish_non_exhaustive()
    }
}

impl<T> Stream for Paged<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T: Send + 'static> Paged<T> {
    /// Every row of every page, in order.
    ///
    /// # Errors
    /// The first error of any page.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        self.try_collect().await
    }
}

/// What one paged listing needs.
pub(crate) struct Listing {
    pub(crate) path: String,
    pub(crate) args: Map<String, Value>,
    /// Member of the reply's data that holds the rows (`senders`, `clicks`, ...).
    pub(crate) member: &'static str,
    pub(crate) page_size: usize,
}

pub(crate) fn paged<T, F>(session: MMSession, listing: Listing, parse: F) -> Paged<T>
where
    T: Send + 'static,
    F: Fn(Value) -> Result<T> + Send + Sync + 'static,
{
    let parse = std::sync::Arc::new(parse);
    let pages = stream::try_unfold(Some(0_usize), move |next| {
        let session = session.clone();
        let path = listing.path.clone();
        let mut args = listing.args.clone();
        let member = listing.member;
        let page_size = listing.page_size;
        let parse = std::sync::Arc::clone(&parse);
        async move {
            let Some(start) = next else {
                return Ok(None);
            };
            args.insert("startindex".to_owned(), Value::from(start));
            let mut data = session.get(&path, args).await?;
            let rows = match data.get_mut(member).map(Value::take) {
                Some(Value::Array(rows)) => rows,
                Some(Value::Null) | None => Vec::new(),
                Some(_) => {
                    return Err(Error::UnexpectedResponse(format!("{member} is not a list")));
                }
            };
            let fetched = rows.len();
            let rows: Vec<Result<T>> = rows.into_iter().map(|row| parse(row)).collect();
            let next = (fetched >= page_size && fetched > 0).then_some(start + fetched);
            Ok(Some((stream::iter(rows), next)))
        }
    });
    Paged {
        inner: Box::pin(pages.try_flatten()),
    }
}

/// A stream whose only item is `error`.
pub(crate) fn failed<T: Send + 'static>(error: Error) -> Paged<T> {
    Paged {
        inner: Box::pin(stream::once(async move { Err(error) })),
    }
}
