//! The one integration-test binary (`autotests = false`): every module below runs the real
//! `gti` executable, but `architecture`, which reads the sources.

mod util;

mod architecture;
mod audit;
mod bad_input;
mod coinr_example_coin;
mod coinr_panel;
mod coinr_reference;
mod compare;
mod console;
mod conventions;
mod example;
mod expert;
mod explore;
mod failure;
mod hand_computed;
mod hdi;
mod hostile;
mod import_coinr;
mod import_columns;
mod init;
mod methodology_errors;
mod methods_aggregate;
mod methods_audit;
mod methods_cases;
mod methods_impute;
mod methods_support;
mod methods_weights;
mod properties;
mod release;
mod report;
mod reproducible;
mod safety;
mod screening;
mod sensitivity;
mod sheets;
mod shell;
mod survey;
mod survey_errors;
mod survey_roundtrip;
mod treat;
mod tutorial;
mod uncertainty;
mod verify;
mod xlsx;
