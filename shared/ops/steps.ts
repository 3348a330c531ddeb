import { z } from 'zod';
import { StepCatalog, ToolInfo, TrustState } from '../schemas/steps';
import { Empty, op } from './define';

export const ToolName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/, 'a tool name is letters, digits, _, + or -');

export const stepsOps = {
  'steps.list': op(
    'Every step definition (built in, and in <workspace>/steps/), with the files that failed to load and why',
    Empty,
    StepCatalog,
  ),
  'steps.trustState': op(
    "Whether this workspace's own step definitions (<workspace>/steps/) may run, and what each would run",
    Empty,
    TrustState,
  ),
  'steps.trust': op(
    "Trust this workspace's own step definitions, exactly those shown: refused when their hash changed since",
    z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex') }).strict(),
    TrustState,
  ),
  'tools.list': op('Every tool the steps need: found or not, path, version, how to install it', Empty, z.array(ToolInfo)),
  'tools.setPath': op(
    "Point a tool at a custom executable (null clears it, back to PATH); saved in the user's settings",
    z.object({ name: ToolName, path: z.string().min(1).max(4096).nullable() }).strict(),
    ToolInfo,
  ),
  'tools.refresh': op('Probe every tool again (forget cached versions)', Empty, z.array(ToolInfo)),
} as const;
