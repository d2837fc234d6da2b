//! The one integration-test binary (`autotests = false`): every module below runs the real
//! `gti` executable.

mod util;

mod bad_input;
mod coinr_reference;
mod example;
mod hand_computed;
mod methodology_errors;
mod reproducible;
