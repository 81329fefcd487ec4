// Files `rally init` writes. The repo config starts as comments only, so every value comes from
// the user-level config until the repo overrides it on purpose.

export const REPO_CONFIG_TEMPLATE = `# Repo-level rally config. It overrides your user config (~/.config/rally/config.toml)
# key by key: tables merge, while a scalar or list set here replaces the user's value.
# Uncomment what this repo needs. Reference: rally's README, "Configuration".

# schema_version = 2

# [defaults]
# iterations = 5
# mix = "cc cx"                        # agents when no --agent is given and no [routes] exist
# claude_model = "claude-haiku-4-5"

# [routes]                             # lap assignee (role) → agents; "default" is the fallback
# default = ["cc", "cx"]

# [harness.cc]
# env = { ANTHROPIC_BASE_URL = "http://127.0.0.1:8080" }   # point an agent at a gateway
# extra_args = ["--verbose"]

# [reliability]
# stall_threshold_secs = 900           # silence before an agent counts as frozen
# retry_budget = 5
`;

export const USER_CONFIG_TEMPLATE = `# User-level rally config: the base layer for every repo on this machine.
# A repo's .rally/config.toml overrides it key by key. Reference: rally's README, "Configuration".
schema_version = 2

[defaults]
# iterations = 5
# mix = "cc cx"
# claude_model = "claude-haiku-4-5"
# codex_model = "gpt-5.4-mini"
# opencode_model = "opencode/big-pickle"
`;

export const RALLY_GITIGNORE = "state/\n";

export const INSTRUCTIONS_TEMPLATE = `<!-- Rally Project Instructions
     Everything in this file is included in every agent prompt for this repo.
     Describe conventions, commands to run tests, and anything agents must not touch. -->
`;

export const RALLY_README = `# .rally/

This directory holds rally's workspace data for this repository.

Tracked in git:
- \`config.toml\` — repo-level configuration (overrides ~/.config/rally/config.toml).
- \`instructions.md\` — project instructions included in every agent prompt (optional).
- \`agents/builtin/\` — role prompts shipped with rally (regenerated on every relay; do not edit).
- \`agents/user/\` — your role prompt overrides (\`<ROLE>.md\`, case-insensitive).
- \`summary.jsonl\` — one line per recorded run summary.
- \`README.md\` — this file.

Not tracked (\`.rally/state/\`, gitignored):
- \`tries.jsonl\` — one record per agent try (harness, model, outcome, commit, usage).
- \`relays.jsonl\` — one record per relay (target iterations, agent mix, ended_at).
- \`messages.jsonl\`, \`agent_status.jsonl\`, \`hook-audit.jsonl\`, \`run-state.json\`, \`current_task.md\`.

Handy queries:
- Last try: \`tail -n 1 .rally/state/tries.jsonl | jq .\`
- Failed tries: \`jq -c 'select(.completed == false)' .rally/state/tries.jsonl\`
- Latest summary: \`tail -n 1 .rally/summary.jsonl | jq -r .summary\`
`;
