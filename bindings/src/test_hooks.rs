//! Exports only the binding tests use; compiled with the `test-hooks` feature, never in an
//! app build.

use crate::core::LofavorCore;
use crate::error::LofavorError;

#[uniffi::export]
impl LofavorCore {
    /// Panics inside the core, to prove the shell gets an exception.
    pub fn trigger_panic_for_tests(&self) {
        self.inner.trigger_panic_for_tests();
    }

    /// Panics inside a task on the core's runtime, awaited from the shell.
    pub async fn trigger_async_panic_for_tests(&self) -> Result<(), LofavorError> {
        Ok(self.inner.trigger_async_panic_for_tests().await?)
    }
}
