// Time aws-jwt-verify for bench/bench_tokens.py, in lockstep with the Python side.
// Protocol, one JSON object per line: the first line on stdin is the job (userPoolId, clientId,
// jwks, tokens); each further line {"use", "mode": "sync"|"async", "n"} runs n timed calls and
// answers {"samples": [ns, ...]}. EOF on stdin ends the process.
"use strict";

const readline = require("node:readline");
const { CognitoJwtVerifier } = require("aws-jwt-verify");

function write(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

function setUp(job) {
  const verifiers = {};
  const checks = {};
  for (const [use, spec] of Object.entries(job.tokens)) {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: job.userPoolId,
      tokenUse: spec.tokenUse,
      clientId: job.clientId,
    });
    verifier.cacheJwks(job.jwks);
    // Prove it really verifies before timing it.
    const payload = verifier.verifySync(spec.token);
    let rejectsTampered = false;
    try {
      verifier.verifySync(spec.tampered);
    } catch {
      rejectsTampered = true;
    }
    verifiers[use] = { verifier, token: spec.token };
    checks[use] = { sub: payload.sub, rejectsTampered };
  }
  return { verifiers, checks };
}

async function run({ verifier, token }, mode, n) {
  const samples = new Array(n);
  if (mode === "sync") {
    for (let i = 0; i < n; i++) {
      const start = process.hrtime.bigint();
      verifier.verifySync(token);
      samples[i] = Number(process.hrtime.bigint() - start);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const start = process.hrtime.bigint();
      await verifier.verify(token);
      samples[i] = Number(process.hrtime.bigint() - start);
    }
  }
  return samples;
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let state = null;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const message = JSON.parse(line);
    if (state === null) {
      state = setUp(message);
      write({ node: process.version, checks: state.checks });
    } else {
      write({ samples: await run(state.verifiers[message.use], message.mode, message.n) });
    }
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
