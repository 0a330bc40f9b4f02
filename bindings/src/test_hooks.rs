//! Exports only the binding tests use; compiled with the `test-hooks` feature, never in an
//! app build.

use crate::core::LofavorCore;
use crate::error::LofavorError;

#[uniffi::export]
impl LofavorCore {
    /// Panics inside the core, to prove the shell gets an exception. Declared fallible so
    /// Swift marks it `throws`: uniffi turns a panic into a thrown error only in a throwing
    /// function (a non-throwing one would trap with `try!`).
    pub fn trigger_panic_for_tests(&self) -> Result<(), LofavorError> {
        self.inner.trigger_panic_for_tests();
        Ok(())
    }

    /// Panics inside a task on the core's runtime, awaited from the shell.
    pub async fn trigger_async_panic_for_tests(&self) -> Result<(), LofavorError> {
        Ok(self.inner.trigger_async_panic_for_tests().await?)
    }
}
