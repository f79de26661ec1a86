/** The knowledge-base model (content/kb, schema content/kb/schema.json) as the posture engine sees it. */

export interface KbMeta {
  readonly kbVersion: string;
  readonly kbDate: string;
  readonly schemaVersion: 1;
  readonly description?: string;
  readonly sources: Readonly<Record<string, string>>;
}

export interface KbProduct {
  readonly id: string;
  readonly name: string;
  /** major.minor, e.g. "15.2". */
  readonly version: string;
  /** Lowest third build part that belongs to this product (SE shares 15.2 with 2019). */
  readonly minBuild: number;
  readonly endOfSupport: string | null;
  readonly esuUntil?: string;
  readonly esuNote?: string;
  readonly supportNote?: string;
  readonly source: string;
}

export interface KbBuild {
  readonly build: string;
  readonly cu: string;
  readonly update?: string;
  /** This CU release is itself the build of that update for its CU. */
  readonly alsoUpdate?: string;
  readonly date: string;
  readonly source: string;
  readonly fixesOnly?: readonly string[];
}

export interface KbUpdate {
  readonly id: string;
  readonly kind: 'su' | 'hu' | 'ru';
  readonly date: string;
  readonly products: readonly string[];
  readonly cves: readonly string[];
  readonly productCves?: Readonly<Record<string, readonly string[]>>;
  readonly onlyCvesFor?: Readonly<Record<string, readonly string[]>>;
  readonly rereleaseOf?: string;
  readonly noCvesReason?: string;
  readonly note?: string;
  readonly source: string;
}

export interface KbCve {
  readonly id: string;
  readonly title: string;
  readonly cvss: number | null;
  readonly exploited: boolean;
  readonly kev: boolean;
  readonly family?: string;
  readonly needsConfiguration?: string;
  /** The fix is active once installed; only a setting override turns it off. */
  readonly fixedByDefault?: boolean;
  readonly source: string;
  readonly kevSource?: string;
  readonly cvssSource?: string;
  /** Microsoft's CVE record ties it to an SU whose HealthChecker table omits it. */
  readonly notInHealthChecker?: boolean;
  readonly configSource?: string;
}

export interface KbDirective {
  readonly id: string;
  readonly name: string;
  readonly issued?: string;
  readonly summary?: string;
  readonly requires: {
    readonly minUpdate: string;
    readonly products?: readonly string[];
    /** Products the directive says must be disconnected (no update makes them compliant). */
    readonly disconnectProducts?: readonly string[];
  };
  readonly deadline: string;
  readonly source: string;
}

/** One KB bundle: what `kb import` accepts as a single JSON file. */
export interface KbBundle {
  readonly meta: KbMeta;
  readonly products: readonly KbProduct[];
  readonly builds: Readonly<Record<string, readonly KbBuild[]>>;
  readonly updates: readonly KbUpdate[];
  readonly cves: readonly KbCve[];
  readonly directives?: readonly KbDirective[];
}

/** A loaded KB plus where it came from. */
export interface LoadedKb {
  readonly bundle: KbBundle;
  readonly origin: 'bundled' | 'imported';
  readonly path: string;
}
