//! Session state the shells can observe: logged in (who), logged out (why), profile
//! refreshed. A shell registers a [`SessionListener`] and keeps the [`SessionSubscription`]
//! it gets back; dropping the subscription stops the deliveries.

use std::sync::Arc;

use tokio::sync::broadcast;

use super::member::Member;

/// Why there is no session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogoutReason {
    /// Nobody has logged in on this installation (or the last session was closed earlier).
    NotLoggedIn,
    /// The member logged out.
    MemberLoggedOut,
    /// The provider no longer accepts the session (its refresh was refused: revoked,
    /// expired, or a replayed refresh token made the provider end the grant). Log in again.
    SessionEnded,
}

/// A change of the session, as a listener hears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// A member is logged in (also the first event to a new listener when one is).
    LoggedIn {
        /// Who.
        member: Member,
    },
    /// There is no session (also the first event to a new listener when there is none).
    LoggedOut {
        /// Why.
        reason: LogoutReason,
    },
    /// The member's profile (name, membership) was fetched again and has changed or been
    /// confirmed.
    ProfileRefreshed {
        /// The member as now cached.
        member: Member,
    },
}

/// Hears session changes.
///
/// Events arrive one at a time, in order, on a thread of the core's runtime that holds no
/// lock of the core: a listener may call back into the core, but it should return quickly
/// (hand the event to the UI thread) because later events wait for it.
pub trait SessionListener: Send + Sync {
    /// One change of the session.
    fn on_session_event(&self, event: SessionEvent);
}

/// Keeps a listener registered. Dropping it (or calling [`SessionSubscription::cancel`])
/// stops the deliveries; nothing leaks if a shell forgets the listener.
#[derive(Debug)]
pub struct SessionSubscription {
    task: tokio::task::AbortHandle,
}

impl SessionSubscription {
    /// Stops the deliveries now.
    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for SessionSubscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The broadcast of session events of one core.
#[derive(Debug)]
pub(crate) struct SessionEvents {
    sender: broadcast::Sender<SessionEvent>,
}

impl SessionEvents {
    pub(crate) fn new() -> Self {
        // Session changes are rare; a listener that falls this far behind is told the
        // current state again instead.
        let (sender, _) = broadcast::channel(32);
        Self { sender }
    }

    /// Tells every listener.
    pub(crate) fn emit(&self, event: SessionEvent) {
        // No listener is not an error.
        let _ = self.sender.send(event);
    }

    /// Registers `listener` on `runtime`: it hears `current()` first, then every change.
    pub(crate) fn subscribe(
        &self,
        runtime: &tokio::runtime::Handle,
        listener: Arc<dyn SessionListener>,
        current: impl Fn() -> SessionEvent + Send + 'static,
    ) -> SessionSubscription {
        // Subscribed before the current state is read, so no change in between is missed.
        let mut receiver = self.sender.subscribe();
        let first = current();
        let task = runtime.spawn(async move {
            listener.on_session_event(first);
            loop {
                match receiver.recv().await {
                    Ok(event) => listener.on_session_event(event),
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        listener.on_session_event(current());
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        SessionSubscription {
            task: task.abort_handle(),
        }
    }
}
