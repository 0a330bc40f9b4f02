//! The core's one tokio runtime: network and background work of every capability runs on it,
//! whatever executor the caller awaits from (Kotlin coroutines, Swift tasks, another tokio
//! runtime). Shared by the core and the capability handles, so a handle a shell keeps
//! outlives the `Core` it came from without losing its runtime.

use std::future::Future;
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};

/// The runtime, shut down without blocking when the last holder lets go.
pub(crate) struct CoreRuntime {
    /// In an `Option` only so `Drop` can take it: dropping a runtime from inside another
    /// async context would panic, so it is shut down in the background instead.
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for CoreRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreRuntime").finish_non_exhaustive()
    }
}

impl CoreRuntime {
    /// Starts the runtime: two workers (phones have few cores, and the core's work is mostly
    /// waiting on the network).
    pub(crate) fn start() -> Result<Arc<Self>> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lofavor-core")
            .enable_all()
            .build()
            .map_err(|_| Error::new(ErrorKind::Internal, "cannot start the core's runtime"))?;
        Ok(Arc::new(Self {
            runtime: Some(runtime),
        }))
    }

    /// The runtime's handle, for tasks that outlive a call (session subscriptions).
    pub(crate) fn handle(&self) -> Result<&tokio::runtime::Handle> {
        self.runtime
            .as_ref()
            .map(tokio::runtime::Runtime::handle)
            .ok_or_else(|| Error::new(ErrorKind::Internal, "the core is shutting down"))
    }

    /// Runs `work` on the runtime and awaits it. A panic inside `work` comes back as an
    /// [`ErrorKind::Internal`] error, never as an abort across the FFI boundary.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        // Boxed, so tokio's task machinery is made once per result type rather than once per
        // call site: each exported async call would otherwise add its own copy to the library.
        let work: std::pin::Pin<Box<dyn Future<Output = Result<T>> + Send>> = Box::pin(work);
        match self.handle()?.spawn(work).await {
            Ok(result) => result,
            Err(e) if e.is_panic() => Err(Error::new(ErrorKind::Internal, "a core task panicked")),
            Err(_) => Err(Error::new(ErrorKind::Internal, "a core task was cancelled")),
        }
    }

    /// Runs blocking `work` (files, key derivation, image decoding) on the runtime's blocking
    /// threads and awaits it, so no caller's thread and no async worker waits on a disk. A
    /// panic comes back as an [`ErrorKind::Internal`] error.
    pub(crate) async fn blocking<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T> + Send + 'static,
    {
        let work: Box<dyn FnOnce() -> Result<T> + Send> = Box::new(work);
        match self.handle()?.spawn_blocking(work).await {
            Ok(result) => result,
            Err(e) if e.is_panic() => Err(Error::new(ErrorKind::Internal, "a core task panicked")),
            Err(_) => Err(Error::new(ErrorKind::Internal, "a core task was cancelled")),
        }
    }
}

impl Drop for CoreRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
