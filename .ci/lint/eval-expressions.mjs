// Evaluates GitHub Actions expressions with GitHub's own evaluator (@actions/expressions, pinned in
// package-lock.json), for the tests of the workflows' gates (GateExpressionsTest).
//
// Input (stdin): {"cases": [{"expression": "...", "contexts": {"github": {...}, "inputs": {...}, ...},
//                            "status": "success"|"failure"|"cancelled"}]}
// The expression is an `if:` as written in a workflow, with or without ${{ }}; as the runner does, an `if:`
// without a status function is read as `success() && (...)`. The status functions answer from the case's
// status (the result of the jobs it needs; default success).
// Output (stdout): {"results": [{"value": <the result as JSON>, "truthy": true|false} | {"error": "..."}]}
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";
import { readFileSync } from "node:fs";

const STATUS_FUNCTIONS = ["success", "failure", "cancelled", "always"];

function evaluate(c) {
  let expression = c.expression.trim();
  const wrapped = expression.match(/^\$\{\{([\s\S]*)\}\}$/);
  if (wrapped) {
    expression = wrapped[1].trim();
  }
  if (!STATUS_FUNCTIONS.some((f) => new RegExp(`\\b${f}\\s*\\(`).test(expression))) {
    expression = `success() && (${expression})`;
  }
  const status = c.status ?? "success";
  const answers = { success: status === "success", failure: status === "failure", cancelled: status === "cancelled", always: true };
  const functions = new Map(
    STATUS_FUNCTIONS.map((name) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(answers[name]) }]),
  );
  const contexts = c.contexts ?? {};
  const names = Object.keys(contexts);
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, names, [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver);
  const result = new Evaluator(parsed, context, functions).evaluate();
  return { value: JSON.parse(JSON.stringify(result, data.replacer)), truthy: truthy(result) };
}

const input = JSON.parse(readFileSync(0, "utf8"));
const results = input.cases.map((c) => {
  try {
    return evaluate(c);
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
});
process.stdout.write(JSON.stringify({ results }) + "\n");
