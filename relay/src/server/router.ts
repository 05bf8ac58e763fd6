import { isPairingToken } from '../protocol/pairingToken.ts';
import type { AnyRoute } from './route.ts';

const HEX32 = /^[0-9a-f]{32}$/;

/** Every path parameter's form; a mismatch is `request.invalid_path`, before any lookup. */
const PARAM_PATTERNS: Readonly<Record<string, (v: string) => boolean>> = {
  moltbotId: (v) => HEX32.test(v),
  deviceId: (v) => HEX32.test(v),
  conversationId: (v) => HEX32.test(v),
  messageId: (v) => HEX32.test(v),
  attachmentId: (v) => HEX32.test(v),
  token: (v) => isPairingToken(v.toUpperCase()),
};

export type Match =
  | { readonly kind: 'route'; readonly route: AnyRoute; readonly params: Record<string, string> }
  | { readonly kind: 'badParam'; readonly route: AnyRoute; readonly param: string }
  | { readonly kind: 'methodNotAllowed'; readonly allow: readonly string[] }
  | { readonly kind: 'none' };

interface Compiled {
  readonly route: AnyRoute;
  readonly segments: readonly string[];
}

/**
 * Matches a path against the route table. Literal segments win over parameters (so
 * `/identity/register` is never read as a moltbot id); a shape that matches with a malformed
 * parameter is reported as such rather than as an unknown route.
 */
export class Router {
  readonly #routes: readonly Compiled[];

  constructor(routes: readonly AnyRoute[]) {
    for (const r of routes) {
      for (const s of r.pattern.split('/').filter((x) => x.startsWith(':'))) {
        if (!Object.hasOwn(PARAM_PATTERNS, s.slice(1))) throw new Error(`no pattern for ${s}`);
      }
    }
    // Literal-first: more literal segments sort earlier.
    this.#routes = routes
      .map((route) => ({ route, segments: route.pattern.split('/').slice(1) }))
      .sort(
        (a, b) =>
          b.segments.filter((s) => !s.startsWith(':')).length -
          a.segments.filter((s) => !s.startsWith(':')).length,
      );
  }

  match(method: string, path: string): Match {
    const parts = path.split('/').slice(1);
    const allow: string[] = [];
    let badParam: Match | null = null;
    for (const c of this.#routes) {
      if (c.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let shape = true;
      let bad: string | null = null;
      c.segments.forEach((seg, i) => {
        const part = parts[i] as string;
        if (seg.startsWith(':')) {
          const name = seg.slice(1);
          if (!(PARAM_PATTERNS[name] as (v: string) => boolean)(part)) bad ??= name;
          params[name] = part;
        } else if (seg !== part) shape = false;
      });
      if (!shape) continue;
      if (c.route.method !== method) {
        if (bad === null) allow.push(c.route.method);
        continue;
      }
      if (bad !== null) {
        badParam ??= { kind: 'badParam', route: c.route, param: bad };
        continue;
      }
      return { kind: 'route', route: c.route, params };
    }
    if (allow.length > 0) return { kind: 'methodNotAllowed', allow: [...new Set(allow)].sort() };
    return badParam ?? { kind: 'none' };
  }
}
