//! The roadside-assistance certificate and what goes with it: the member's location in the
//! formats a Norwegian rescue dispatcher uses.

pub mod location;
