import type { SoftAccessPoint } from '../network/soft-ap.js';
import type { FieldReader } from '../network/config-fields.js';
import type { OutboundPolicy } from '../network/network-stack.js';
import {
  StackError,
  type AddressChoice,
  type LinkKind,
  type ListenOptions,
  type NetworkStack,
  type Station,
  type TcpConnectOptions,
  type TlsConnectOptions,
  type UdpOpenOptions,
  type VirtualLink,
  type VirtualServer,
  type VirtualTlsLink,
} from '../network/types.js';
import type { MdnsAnnouncement } from '../network/mdns-registry.js';
import {
  OUTBOUND_PROTOCOLS,
  OutboundRuleError,
  parseOutboundRule,
  ruleMatches,
  type OutboundProtocol,
  type OutboundRule,
} from './outbound-rules.js';

/**
 * The world config's `outbound` section:
 * ```json
 * "outbound": { "allow": ["loopback", "tcp private:1883"], "deny": ["169.254.169.254"], "default": "deny" }
 * ```
 * A `deny` rule always wins over an `allow` rule. What no rule matches gets `default`; without
 * one, a protocol is denied only when some `allow` rule names it (an allow list means "only
 * these"), so `allow: ["tcp loopback"]` confines TCP and leaves UDP and DNS alone. No section at
 * all = everything allowed, as a real module on an open network.
 */
export interface OutboundConfig {
  readonly default?: 'allow' | 'deny';
  readonly allow: readonly OutboundRule[];
  readonly deny: readonly OutboundRule[];
}

export type OutboundDecision = { readonly allowed: boolean; readonly because: string };

export class OutboundGuard {
  constructor(
    readonly config: OutboundConfig,
    /** Told of every denial, with the rule that decided it (the trace). */
    private readonly onDenied: (text: string) => void = () => undefined,
  ) {}

  decide(protocol: OutboundProtocol, ip: string, port: number | null): OutboundDecision {
    const denied = this.config.deny.find((rule) => ruleMatches(rule, protocol, ip, port));
    if (denied) return { allowed: false, because: `deny "${denied.text}"` };
    const allowed = this.config.allow.find((rule) => ruleMatches(rule, protocol, ip, port));
    if (allowed) return { allowed: true, because: `allow "${allowed.text}"` };
    const fallback = this.defaultFor(protocol);
    return { allowed: fallback === 'allow', because: `default ${fallback}` };
  }

  defaultFor(protocol: OutboundProtocol): 'allow' | 'deny' {
    if (this.config.default) return this.config.default;
    return this.config.allow.some((rule) => rule.protocols.includes(protocol)) ? 'deny' : 'allow';
  }

  /** The network stack's outbound-policy seam (TCP, UDP, TLS destinations). */
  readonly policy: OutboundPolicy = (remote, kind: LinkKind) => this.check(kind, remote.ip, remote.port);

  /** Whether a name may resolve to `ip` (dns rules). */
  permitsAnswer(ip: string): boolean {
    return this.check('dns', ip, null);
  }

  private check(protocol: OutboundProtocol, ip: string, port: number | null): boolean {
    const decision = this.decide(protocol, ip, port);
    if (!decision.allowed) this.onDenied(`outbound policy denies ${protocol} ${ip}${port === null ? '' : `:${port}`} (${decision.because})`);
    return decision.allowed;
  }
}

export function parseOutboundSection(read: FieldReader, value: unknown): OutboundConfig {
  const section = read.object(value, 'outbound');
  read.onlyKeys(section, ['default', 'allow', 'deny'], 'outbound');
  const fallback = section.default;
  if (fallback !== undefined && fallback !== 'allow' && fallback !== 'deny') read.fail('outbound.default', 'must be "allow" or "deny"');
  const rules = (key: 'allow' | 'deny'): OutboundRule[] =>
    section[key] === undefined
      ? []
      : read.array(section[key], `outbound.${key}`).map((entry, index) => {
          const path = `outbound.${key}[${index}]`;
          try {
            return parseOutboundRule(read.string(entry, path, 1, 200));
          } catch (error) {
            if (error instanceof OutboundRuleError) return read.fail(path, error.message);
            throw error;
          }
        });
  return Object.freeze({
    ...(fallback === undefined ? {} : { default: fallback as 'allow' | 'deny' }),
    allow: Object.freeze(rules('allow')),
    deny: Object.freeze(rules('deny')),
  });
}

/** Builds a config from rule strings (tests, library users). */
export function outboundConfig(rules: { allow?: readonly string[]; deny?: readonly string[]; default?: 'allow' | 'deny' }): OutboundConfig {
  return {
    ...(rules.default === undefined ? {} : { default: rules.default }),
    allow: (rules.allow ?? []).map(parseOutboundRule),
    deny: (rules.deny ?? []).map(parseOutboundRule),
  };
}

/**
 * The DNS half of the policy, as a NetworkStack decorator: a name whose answer the `dns` rules
 * deny does not resolve (StackError('dns'): the firmware's DNS failure). Numeric addresses are not
 * lookups. TCP/UDP/TLS destinations are checked by the stack itself through `guard.policy`.
 */
export class DnsGuardedStack implements NetworkStack {
  constructor(
    private readonly inner: NetworkStack,
    private readonly guard: OutboundGuard,
  ) {}

  get station(): Station {
    return this.inner.station;
  }

  get softAp(): SoftAccessPoint {
    return this.inner.softAp;
  }

  async resolve(name: string, timeoutMs?: number, choice?: AddressChoice): Promise<string> {
    const ip = await this.inner.resolve(name, timeoutMs, choice);
    if (ip !== name && !this.guard.permitsAnswer(ip)) {
      throw new StackError('dns', `outbound policy denies the answer for "${name}" (${ip})`);
    }
    return ip;
  }

  connectTcp(options: TcpConnectOptions): Promise<VirtualLink> {
    return this.inner.connectTcp(options);
  }

  async connectTls(options: TlsConnectOptions): Promise<VirtualTlsLink> {
    return this.inner.connectTls(options);
  }

  openUdp(options: UdpOpenOptions): Promise<VirtualLink> {
    return this.inner.openUdp(options);
  }

  listen(options: ListenOptions): Promise<VirtualServer> {
    return this.inner.listen(options);
  }

  ping(ip: string, timeoutMs: number): Promise<number | null> {
    return this.inner.ping(ip, timeoutMs);
  }

  closeAll(): Promise<void> {
    return this.inner.closeAll();
  }

  announceMdns(announcement: MdnsAnnouncement | null): void {
    this.inner.announceMdns(announcement);
  }
}

