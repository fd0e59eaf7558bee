// Argdown's own JSON export of an Argdown file, as `argdown json IN OUTDIR` of @argdown/cli
// writes it (the same application and plugins, from @argdown/core), without the command line's
// PDF, image and file-watching packages. Used by tests/test_export_formats.py.
//
// Usage: node tests/argdown_json.js IN.argdown OUT.json
// Exit 0 with OUT written; 1 with the lexer's and parser's errors on stderr; 2 on bad usage.
"use strict";
const fs = require("fs");
const core = require("@argdown/core");

// The steps of `argdown json` (@argdown/cli, commands/JSONCommand.js: parse, build the model,
// colorize, export; no map), with the plugins @argdown/core's own application adds at each
// (dist/argdown.js, which the command line extends; it is not loaded itself, as it loads the
// Graphviz renderer too).
const argdown = new core.ArgdownApplication();
const steps = {
  "parse-input": [core.ParserPlugin],
  "build-model": [core.DataPlugin, core.ModelPlugin, core.ExplodeArgumentsPlugin, core.RegroupPlugin],
  colorize: [core.ColorPlugin],
  "export-json": [core.JSONExportPlugin],
};
for (const [step, plugins] of Object.entries(steps)) {
  for (const Plugin of plugins) {
    argdown.addPlugin(new Plugin(), step);
  }
}

if (process.argv.length !== 4) {
  process.stderr.write("usage: node tests/argdown_json.js IN.argdown OUT.json\n");
  process.exit(2);
}
const [input, output] = process.argv.slice(2);
const response = argdown.run({
  input: fs.readFileSync(input, "utf8"),
  inputPath: input,
  process: Object.keys(steps),
  logLevel: "none",
});
// the syntax errors, each with its place, then what a later step threw (the application carries
// on without the failed step's output and records the exception)
const problems = [...(response.lexerErrors || []), ...(response.parserErrors || [])].map((e) => {
  const where = e.token ? `line ${e.token.startLine}, column ${e.token.startColumn}` : `offset ${e.offset}`;
  return `${where}: ${e.message}`;
});
for (const e of response.exceptions || []) {
  problems.push(String(e && e.message ? e.message : e));
}
if (problems.length > 0 || typeof response.json !== "string") {
  for (const problem of problems) {
    process.stderr.write(`error: ${problem}\n`);
  }
  if (problems.length === 0) {
    process.stderr.write("error: no JSON was exported\n");
  }
  process.exit(1);
}
fs.writeFileSync(output, response.json, "utf8");
