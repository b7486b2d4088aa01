//! `runbook schema`: the JSON Schema (draft 2020-12) of the runbook file, for editor
//! completion and checks as you type (`# yaml-language-server: $schema=...`).
//!
//! Written by hand from SPEC §2 and the key lists of `load::model`, rather than derived:
//! the model keeps spans on every value, and the schema says what the *file* may hold,
//! including the shorthands the loader accepts (`capture: name`, an option as a bare label,
//! an input as its description). A test checks that every key list matches the schema.
//! It declares draft 2020-12 but uses only keywords that mean the same in draft 7 (`$defs`
//! is reached through plain JSON pointers), because the YAML language server that editors
//! use implements draft 7.

use super::print_stdout;
use serde_json::{Value, json};

pub fn run() -> i32 {
    print_stdout(&format!("{:#}\n", schema()))
}

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const STEP_ID: &str = "^[a-z0-9][a-z0-9_-]*$";
const IDENTIFIER: &str = "^[A-Za-z_][A-Za-z0-9_]*$";

/// The schema of a runbook file.
pub fn schema() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "runbook",
        "description": "A runbook: one incident's steps as code, checked by `runbook lint` and walked through by `runbook run`.",
        "type": "object",
        "required": ["title", "steps"],
        "additionalProperties": false,
        "properties": {
            "version": {
                "description": "Format version; optional, defaults to 1.",
                "type": "integer",
                "enum": [1],
                "default": 1
            },
            "name": {
                "description": "The runbook's name, typed on the command line; defaults to the file stem.",
                "type": "string",
                "pattern": "^[a-z0-9][a-z0-9-]*$"
            },
            "title": {
                "description": "What is wrong, in one line.",
                "type": "string"
            },
            "description": {
                "description": "Markdown, shown when the run starts: when this runbook applies and what it does.",
                "type": "string"
            },
            "owner": {
                "description": "The team that keeps this runbook up to date.",
                "type": "string"
            },
            "severity": {
                "description": "The incident severity this runbook is for, such as `sev2`.",
                "type": "string"
            },
            "tags": {
                "description": "Words to find the runbook by.",
                "type": ["array", "null"],
                "items": { "type": "string" }
            },
            "links": {
                "description": "Named links shown at the start: dashboards, escalation pages.",
                "type": ["object", "null"],
                "additionalProperties": { "$ref": "#/$defs/scalar" }
            },
            "inputs": {
                "description": "Values the steps use as `{{ inputs.NAME }}`: from `--input NAME=VALUE`, then the input's `env` variable, then its `default`, then a prompt.",
                "type": ["object", "null"],
                "propertyNames": { "pattern": IDENTIFIER },
                "additionalProperties": { "$ref": "#/$defs/input" }
            },
            "env": {
                "$ref": "#/$defs/env",
                "description": "Environment of every step (values are templates)."
            },
            "shell": { "$ref": "#/$defs/shell" },
            "dir": {
                "description": "Working folder of every step; defaults to the runbook file's folder.",
                "type": "string"
            },
            "max_visits": {
                "description": "How many times one step may be entered in a run before the run stops (a loop through a decision); default 100.",
                "type": "integer",
                "minimum": 1
            },
            "inventory": {
                "description": "An Ansible inventory (INI or YAML) whose groups and hosts the steps' `on:` name, relative to the runbook's folder.",
                "type": "string"
            },
            "steps": {
                "description": "The steps, run in order unless `next`, a `choose` or `on_failure` leads elsewhere.",
                "type": "array",
                "minItems": 1,
                "items": { "$ref": "#/$defs/step" }
            }
        },
        "$defs": defs()
    })
}

fn defs() -> Value {
    json!({
        "scalar": {
            "description": "A value; numbers and booleans are read as their text.",
            "type": ["string", "number", "boolean"]
        },
        "template": {
            "description": "A template: `{{ expression }}` is replaced by its value (`inputs.NAME`, `vars.NAME`, `steps.ID.exit_code`, `env.NAME`, `run.id`). A number or boolean is read as its text, as `runbook lint` does.",
            "type": ["string", "number", "boolean"]
        },
        "script": {
            "description": "A shell script (a template). A substituted value is passed as data, never as code. A number or boolean is read as its text, as `runbook lint` does.",
            "type": ["string", "number", "boolean"]
        },
        "expression": {
            "description": "A bare expression such as `vars.count | int > 10`. A number or boolean is read as its text, as `runbook lint` does.",
            "type": ["string", "number", "boolean"]
        },
        "duration": {
            "description": "A duration such as `30s`, `5m`, `1h 30m` or `5 minutes`, or a template that renders to one (`\"{{ inputs.wait }}\"`).",
            "type": "string",
            "examples": ["30s", "5m", "1h 30m"]
        },
        "stepId": {
            "description": "A step id: lower-case letters, digits, `-` and `_`; not `end`.",
            "type": "string",
            "pattern": STEP_ID,
            "not": { "const": "end" }
        },
        "target": {
            "description": "Where to go: a step id, or `end` to finish the run.",
            "anyOf": [
                { "const": "end", "description": "Finish the run." },
                { "$ref": "#/$defs/stepId" }
            ]
        },
        "variable": {
            "description": "A variable name, used as `vars.NAME`.",
            "type": "string",
            "pattern": IDENTIFIER
        },
        "env": {
            "type": ["object", "null"],
            "propertyNames": { "pattern": IDENTIFIER },
            "additionalProperties": { "$ref": "#/$defs/scalar" }
        },
        "shell": {
            "description": "How scripts run: `bash` (default: `bash --noprofile --norc -eo pipefail -c`), `sh` (`sh -e -c`), or a list giving the program and its leading arguments, such as `[python3, -c]`.",
            "anyOf": [
                { "enum": ["bash", "sh"] },
                { "type": "array", "minItems": 1, "items": { "type": "string" } }
            ]
        },
        "input": input(),
        "step": step(),
        "choose": choose(),
        "option": option(),
        "ask": ask(),
        "wait": wait(),
        "expect": expect(),
        "capture": capture(),
        "output": output(),
        "field": field(),
        "simulate": simulate(),
        "simulated": simulated(),
        "amount": {
            "description": "A count, or a percentage of the hosts.",
            "anyOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string", "pattern": "^[0-9]+%$" }
            ]
        }
    })
}

fn input() -> Value {
    json!({
        "anyOf": [
            { "type": "string", "description": "The input's description (a shorthand)." },
            { "type": "null", "description": "A required input with no description." },
            {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "description": { "type": "string", "description": "What the value is, shown at the prompt." },
                    "default": { "$ref": "#/$defs/scalar", "description": "The value when none is given." },
                    "required": { "type": "boolean", "description": "Whether a value must be given; true when there is no default." },
                    "choices": {
                        "description": "The only values allowed.",
                        "type": ["array", "null"],
                        "items": { "$ref": "#/$defs/scalar" }
                    },
                    "pattern": { "type": "string", "description": "A regex the value must match." },
                    "type": {
                        "description": "The value's type.",
                        "enum": ["string", "int", "bool"],
                        "default": "string"
                    },
                    "secret": { "type": "boolean", "description": "Never logged, masked in every output; reaches commands only through its `env` variable." },
                    "env": {
                        "description": "An environment variable: the default is taken from it, and (for a secret) the value is exported as it to every step.",
                        "type": "string",
                        "pattern": IDENTIFIER
                    }
                }
            }
        ]
    })
}

fn step() -> Value {
    json!({
        "description": "One step. Exactly one kind: manual (`instructions` and/or `checklist`), `run`, `choose`, `ask` (may stand before a `run`), `wait`, or `runbook`.",
        "type": "object",
        "required": ["title"],
        "additionalProperties": false,
        "not": { "required": ["description", "instructions"] },
        "properties": {
            "id": { "$ref": "#/$defs/stepId", "description": "The step's id; defaults to `step-N`, but required when anything refers to it." },
            "title": { "type": "string", "description": "What the step does, in one line." },
            "section": { "type": "string", "description": "The part of the runbook the step belongs to (Diagnosis, Mitigation): shown above the step when it changes, and a heading of `show --format md`." },
            "description": { "$ref": "#/$defs/template", "description": "Markdown shown first (the same as `instructions`)." },
            "instructions": { "$ref": "#/$defs/template", "description": "Markdown shown first; on its own, a manual step." },
            "checklist": {
                "description": "Items the operator confirms one by one (or skips with a reason).",
                "type": "array",
                "items": { "$ref": "#/$defs/scalar" }
            },
            "run": { "$ref": "#/$defs/script", "description": "The command: shown, then run, skipped, edited or aborted." },
            "choose": { "$ref": "#/$defs/choose" },
            "ask": { "$ref": "#/$defs/ask" },
            "wait": { "$ref": "#/$defs/wait" },
            "runbook": { "type": "string", "description": "A sub-runbook (a name or a path) whose steps run here, nested." },
            "with": {
                "description": "The sub-runbook's inputs (values are templates).",
                "type": ["object", "null"],
                "propertyNames": { "pattern": IDENTIFIER },
                "additionalProperties": { "$ref": "#/$defs/scalar" }
            },
            "when": { "$ref": "#/$defs/expression", "description": "A condition; when false the step is skipped (and logged as such)." },
            "for_each": {
                "description": "The step runs once per item (`{{ item }}`): a list, or a template whose lines or JSON list are the items.",
                "anyOf": [
                    { "type": "array", "items": { "$ref": "#/$defs/scalar" } },
                    { "$ref": "#/$defs/template" }
                ]
            },
            "next": { "$ref": "#/$defs/target", "description": "The step after this one: a step id, or `end`." },
            "timeout": { "$ref": "#/$defs/duration", "description": "How long the command may run (a template such as `\"{{ inputs.wait }}\"` is read when the step runs)." },
            "duration": { "$ref": "#/$defs/duration", "description": "Let the command run this long, then stop it: being stopped then is its success." },
            "remind": { "$ref": "#/$defs/duration", "description": "Once the step is done, remind the operator of it at this interval while the run is open." },
            "retries": { "type": "integer", "minimum": 0, "description": "How many times a failed command is run again." },
            "retry_delay": { "$ref": "#/$defs/duration", "description": "The pause between retries." },
            "on_failure": {
                "description": "What a failure does: `ask` (default when interactive), `abort`, `continue`, or a step id to go to.",
                "anyOf": [
                    { "enum": ["ask", "abort", "continue"] },
                    { "$ref": "#/$defs/stepId" }
                ]
            },
            "expect": { "$ref": "#/$defs/expect" },
            "capture": { "$ref": "#/$defs/capture" },
            "outputs": {
                "description": "The `vars` this step sets through `$RUNBOOK_OUTPUT`, declared so they can be checked statically.",
                "type": ["array", "null"],
                "items": { "$ref": "#/$defs/output" }
            },
            "secret_env": {
                "description": "Names this step writes to `$RUNBOOK_ENV` whose values are secrets: masked everywhere from the moment they are set.",
                "type": ["array", "null"],
                "items": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" }
            },
            "rollback": {
                "description": "A script that undoes this step, offered when the run is aborted; or `{manual: \"what to do\"}`, an undoing a person does by hand.",
                "anyOf": [
                    { "$ref": "#/$defs/script" },
                    { "type": "object", "additionalProperties": false, "required": ["manual"], "properties": { "manual": { "$ref": "#/$defs/template" } } }
                ]
            },
            "dangerous": { "type": "boolean", "description": "The operator must type the confirmation phrase; `--yes` never confirms it." },
            "confirm": { "$ref": "#/$defs/template", "description": "The phrase to type for a dangerous step; defaults to the step id." },
            "readonly": { "type": "boolean", "description": "The command only observes: `--dry-run --allow-readonly` may run it." },
            "notes": { "type": "boolean", "description": "Ask the operator for an observation after the step." },
            "templates": { "type": "boolean", "description": "`false`: the step's text is used as written, `{{ }}` included (a Go, Helm or jq template in a script)." },
            "interactive": { "type": "boolean", "description": "The command runs attached to the terminal (editors, prompts, `psql`, `kubectl exec -it`): nothing is captured; without a terminal the run stops there." },
            "env": { "$ref": "#/$defs/env", "description": "Environment of this step (values are templates)." },
            "dir": { "type": "string", "description": "Working folder of this step." },
            "shell": { "$ref": "#/$defs/shell" },
            "simulate": { "$ref": "#/$defs/simulate" },
            "on": {
                "description": "The hosts the command (or a wait's check) runs on, over OpenSSH: a list of hosts or inventory groups, one group or host, or a template that renders one host per line.",
                "anyOf": [
                    { "type": "string" },
                    { "type": "array", "minItems": 1, "items": { "type": "string" } }
                ]
            },
            "serial": { "$ref": "#/$defs/amount", "description": "How many hosts a batch holds: a count, or a percentage of the hosts (`\"25%\"`, rounded up); all of them at once when not given." },
            "concurrency": { "type": "integer", "minimum": 1, "description": "How many hosts of a batch run at once; the whole batch when not given." },
            "max_failures": { "$ref": "#/$defs/amount", "description": "How many hosts may fail before the step stops starting hosts and fails: a count, or a percentage (`\"10%\"`, rounded down); 0 when not given." },
            "confirm_batches": { "type": "boolean", "description": "Ask the operator before each batch after the first (the canary pattern); `--yes` does not answer it for a dangerous step." }
        }
    })
}

fn choose() -> Value {
    json!({
        "description": "A decision: the operator picks an option, which leads to its `next`.",
        "type": "object",
        "required": ["options"],
        "additionalProperties": false,
        "properties": {
            "prompt": { "$ref": "#/$defs/template", "description": "The question." },
            "options": {
                "description": "At least two options.",
                "type": "array",
                "minItems": 2,
                "items": { "$ref": "#/$defs/option" }
            },
            "var": { "$ref": "#/$defs/variable", "description": "The chosen option's `value` is stored in `vars.<var>`." },
            "default": { "$ref": "#/$defs/scalar", "description": "The option `--yes` takes (its label or 1-based number); the terminal's menu starts on it." }
        }
    })
}

fn option() -> Value {
    json!({
        "anyOf": [
            { "type": "string", "description": "The option's label (a shorthand): it leads to the step after this one." },
            {
                "type": "object",
                "required": ["label"],
                "additionalProperties": false,
                "properties": {
                    "label": { "$ref": "#/$defs/scalar", "description": "What the operator picks; say where it leads." },
                    "next": { "$ref": "#/$defs/target" },
                    "value": { "$ref": "#/$defs/scalar", "description": "Stored in the `choose`'s `var` when picked." },
                    "end": { "enum": ["failed", "aborted"], "description": "The option ends the run with this status." },
                    "when": { "$ref": "#/$defs/expression", "description": "An expression: the first option whose `when` holds is taken without asking." }
                }
            }
        ]
    })
}

fn ask() -> Value {
    json!({
        "description": "A validated text prompt; the answer is stored in `vars.<var>`. `fields` asks several values in one step.",
        "type": "object",
        "anyOf": [{ "required": ["var"] }, { "required": ["fields"] }],
        "additionalProperties": false,
        "properties": {
            "fields": {
                "description": "More values asked in the same step, in order.",
                "type": "array",
                "items": { "$ref": "#/$defs/field" }
            },
            "var": { "$ref": "#/$defs/variable" },
            "prompt": { "$ref": "#/$defs/template" },
            "pattern": { "type": "string", "description": "A regex the answer must match." },
            "choices": {
                "description": "The only answers allowed.",
                "type": ["array", "null"],
                "items": { "$ref": "#/$defs/scalar" }
            },
            "secret": { "type": "boolean", "description": "Hide the answer as it is typed, and mask it in the journal." },
            "default": { "$ref": "#/$defs/scalar", "description": "The answer when none is given." }
        }
    })
}

fn field() -> Value {
    json!({
        "description": "One value of an `ask` with several fields.",
        "type": "object",
        "required": ["var"],
        "additionalProperties": false,
        "properties": {
            "var": { "$ref": "#/$defs/variable" },
            "prompt": { "$ref": "#/$defs/template" },
            "pattern": { "type": "string" },
            "choices": { "type": ["array", "null"], "items": { "$ref": "#/$defs/scalar" } },
            "secret": { "type": "boolean" },
            "default": { "$ref": "#/$defs/scalar" }
        }
    })
}

fn wait() -> Value {
    json!({
        "description": "Polls a command until a condition holds or the timeout.",
        "type": "object",
        "required": ["run", "until"],
        "additionalProperties": false,
        "properties": {
            "run": { "$ref": "#/$defs/script", "description": "The command polled." },
            "until": { "$ref": "#/$defs/expression", "description": "The condition; `output` is the command's trimmed stdout." },
            "interval": { "$ref": "#/$defs/duration", "description": "The pause between polls." },
            "timeout": { "$ref": "#/$defs/duration", "description": "How long to wait before the step fails." }
        }
    })
}

fn expect() -> Value {
    json!({
        "description": "What counts as success.",
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "exit": {
                "description": "The exit statuses that count as success.",
                "anyOf": [
                    { "type": "integer" },
                    { "type": "array", "items": { "type": "integer" } }
                ]
            },
            "stdout": { "type": "string", "description": "A regex stdout must match." }
        }
    })
}

fn capture() -> Value {
    json!({
        "description": "Keep the command's output in `vars`: a name (trimmed stdout), or `{var, from, pattern}`.",
        "anyOf": [
            { "$ref": "#/$defs/variable" },
            {
                "type": "object",
                "required": ["var"],
                "additionalProperties": false,
                "properties": {
                    "var": { "$ref": "#/$defs/variable" },
                    "from": { "enum": ["stdout", "stderr"], "default": "stdout" },
                    "pattern": { "type": "string", "description": "A regex with one capture group: the group is kept." },
                    "secret": { "type": "boolean", "description": "The value is a secret: masked everywhere from the moment it is captured; the captured stream is neither shown nor kept." }
                }
            }
        ]
    })
}

fn output() -> Value {
    json!({
        "description": "A `vars` name the step sets through `$RUNBOOK_OUTPUT`, or `{name, secret}`.",
        "anyOf": [
            { "$ref": "#/$defs/variable" },
            {
                "type": "object",
                "required": ["name"],
                "additionalProperties": false,
                "properties": {
                    "name": { "$ref": "#/$defs/variable" },
                    "secret": { "type": "boolean", "description": "The value is a secret: masked everywhere from the moment it is set." }
                }
            }
        ]
    })
}

fn simulate() -> Value {
    json!({
        "description": "What `runbook drill` uses instead of running the command: one result, or a list played in turn (a retry or a wait's n-th check takes the n-th; the last repeats).",
        "anyOf": [
            { "$ref": "#/$defs/simulated" },
            { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/simulated" } },
            { "type": "null" },
            {
                "description": "A step with `on:`: results of their own for some hosts, `default` for the others.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "hosts": {
                        "type": "object",
                        "additionalProperties": {
                            "anyOf": [
                                { "$ref": "#/$defs/simulated" },
                                { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/simulated" } }
                            ]
                        }
                    },
                    "default": {
                        "anyOf": [
                            { "$ref": "#/$defs/simulated" },
                            { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/simulated" } }
                        ]
                    }
                }
            }
        ]
    })
}

fn simulated() -> Value {
    json!({
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "stdout": { "$ref": "#/$defs/scalar" },
            "stderr": { "$ref": "#/$defs/scalar" },
            "exit": { "type": "integer", "default": 0 },
            "timeout": { "type": "boolean", "description": "The command runs past its `timeout`." },
            "outputs": { "$ref": "#/$defs/env", "description": "What the command writes to `$RUNBOOK_OUTPUT`." },
            "env": { "$ref": "#/$defs/env", "description": "What the command writes to `$RUNBOOK_ENV`." }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::schema;
    use crate::load::model::*;
    use serde_json::Value;

    /// The keys of an object schema, which must also forbid any other key.
    fn keys<'a>(schema: &'a Value, pointer: &str) -> Vec<&'a str> {
        let object = schema
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no schema at {pointer}"));
        assert_eq!(
            object["additionalProperties"],
            Value::Bool(false),
            "{pointer} must forbid unknown keys"
        );
        let mut keys: Vec<&str> = object["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no properties at {pointer}"))
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn every_key_list_is_in_the_schema() {
        let schema = schema();
        let lists: [(&str, &[&str]); 12] = [
            ("", RUNBOOK_KEYS),
            ("/$defs/input/anyOf/2", INPUT_KEYS),
            ("/$defs/step", STEP_KEYS),
            ("/$defs/choose", CHOOSE_KEYS),
            ("/$defs/option/anyOf/1", OPTION_KEYS),
            ("/$defs/ask", ASK_KEYS),
            ("/$defs/wait", WAIT_KEYS),
            ("/$defs/expect", EXPECT_KEYS),
            ("/$defs/capture/anyOf/1", CAPTURE_KEYS),
            ("/$defs/simulated", SIMULATE_KEYS),
            ("/$defs/output/anyOf/1", OUTPUT_KEYS),
            ("/$defs/field", FIELD_KEYS),
        ];
        for (pointer, list) in lists {
            let mut expected = list.to_vec();
            expected.sort_unstable();
            assert_eq!(keys(&schema, pointer), expected, "keys at `{pointer}`");
        }
    }

    #[test]
    fn every_reference_resolves() {
        fn walk(value: &Value, root: &Value) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref") {
                        let pointer = r.trim_start_matches('#');
                        assert!(root.pointer(pointer).is_some(), "dangling `{r}`");
                    }
                    map.values().for_each(|v| walk(v, root));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, root)),
                _ => {}
            }
        }
        let schema = schema();
        walk(&schema, &schema);
    }
}
