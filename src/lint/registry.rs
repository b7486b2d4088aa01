//! Every lint rule, in code order. A code is never reused, even when its rule is removed.

use super::rule::{Rule, RuleMeta};
use super::rules::*;

pub static RULES: &[&dyn Rule] = &[
    &yaml_syntax::YamlSyntax,
    &unknown_key::UnknownKey,
    &invalid_type::InvalidType,
    &missing_key::MissingKey,
    &duplicate_key::DuplicateKey,
    &invalid_name::InvalidName,
    &duplicate_step_id::DuplicateStepId,
    &step_kind::StepKindRule,
    &unknown_step_reference::UnknownStepReference,
    &unreachable_step::UnreachableStep,
    &unbroken_loop::UnbrokenLoop,
    &no_path_to_end::NoPathToEnd,
    &unknown_input::UnknownInput,
    &undefined_variable::UndefinedVariable,
    &possibly_undefined_variable::PossiblyUndefinedVariable,
    &unused_input::UnusedInput,
    &invalid_duration::InvalidDuration,
    &invalid_regex::InvalidRegex,
    &template_syntax::TemplateSyntax,
    &wait_without_timeout::WaitWithoutTimeout,
    &invalid_choose::InvalidChoose,
    &unknown_sub_runbook::UnknownSubRunbook,
    &recursive_sub_runbook::RecursiveSubRunbook,
    &sub_runbook_inputs::SubRunbookInputs,
    &secret_in_command::SecretInCommand,
    &raw_substitution::RawSubstitution,
    &destructive_command::DestructiveCommand,
    &dangerous_without_rollback::DangerousWithoutRollback,
    &missing_metadata::MissingMetadata,
    &shellcheck::ShellCheckRule,
    &unsafe_value::UnsafeValue,
    &value_in_code::ValueInCode,
    &protected_env::ProtectedEnv,
    &interactive_command::InteractiveCommand,
    &invisible_character::InvisibleCharacter,
    &fleet::FleetRule,
    &unfollowed_variable::UnfollowedVariable,
];

/// A rule's metadata by code (`RB008`, case-insensitive) or name (`step-kind`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES.iter().map(|r| r.meta()).find(|m| {
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn codes_are_unique_ordered_and_documented() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for rule in RULES {
            let doc = rule.meta().doc;
            for section in [
                "## What it does",
                "## Why this matters",
                "## Example",
                "## Use instead",
            ] {
                assert!(
                    doc.contains(section),
                    "{} lacks `{section}`",
                    rule.meta().code
                );
            }
        }
    }
}
