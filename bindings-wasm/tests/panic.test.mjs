// A Rust panic (none is reachable in the library) reaches JavaScript as an Error with a
// code, not as a wasm trap. Runs in its own process: the instance is not reused afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { csrubric } from "./helpers.mjs";

test("a panic becomes Error { code: 'internal_panic' }", () => {
  let caught;
  try { csrubric.__panicForTests(); } catch (e) { caught = e; }
  assert.ok(caught instanceof Error);
  assert.ok(!(caught instanceof WebAssembly.RuntimeError));
  assert.equal(caught.code, "internal_panic");
  assert.match(caught.message, /deliberate panic for tests/);
});
