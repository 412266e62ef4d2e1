// TypeScript declarations for the global that pkg/consent-guard.js defines
// (window.consentGuard) and for its DOM events. Copied to
// pkg/consent-guard.d.ts by scripts/build.sh. Reference it from a project:
//   /// <reference path="./consent-guard.d.ts" />
// The ES-module build (pkg/esm/) has wasm-bindgen's own declarations.

export {};

declare global {
  /** A consent decision: the record kept in localStorage (README, "Consent record"). */
  interface ConsentGuardRecord {
    /** Format version. */
    v: 1;
    /** Random id: 32 lower-case hex digits. */
    id: string;
    action: "accept_all" | "reject_all" | "save_selection" | "withdraw" | "gpc" | "expired";
    /** When it was made, UTC, ISO 8601 ("2026-11-28T17:00:00Z"). */
    time: string;
    /** When it stops holding, UTC, ISO 8601. */
    expires: string;
    /** Every category of the cookie table: granted or not. */
    categories: Record<string, boolean>;
    /** Services allowed one by one, beyond their category. */
    services: string[];
    /** The cookie table's revision. */
    revision: number;
    /** The cookie table's material fingerprint. */
    fingerprint: string;
    /** The banner's language. */
    lang: string;
    /** The fingerprint of the texts shown. */
    textVersion: string;
    /** Whether the browser sent Global Privacy Control. */
    gpc: boolean;
    /** Integrity checksum of the record. */
    sum: string;
  }

  /** A cookie the site set that the cookie table does not declare. */
  interface ConsentGuardUndeclared {
    name: string;
    /** How it was seen: "document.cookie", "cookie jar", ... */
    via: string;
    /** UTC, ISO 8601. */
    time: string;
  }

  interface ConsentGuardEventMap {
    change: ConsentGuardRecord;
    undeclared: ConsentGuardUndeclared;
  }

  interface ConsentGuard {
    /** The library version. */
    readonly version: string;
    /** Open the first layer (the banner). */
    show(): void;
    /** Open the preferences dialog. */
    showPreferences(): void;
    acceptAll(): void;
    rejectAll(): void;
    /**
     * Grant exactly these categories (strictly-necessary is always granted).
     * False, and nothing changes, when an id is not in the cookie table.
     */
    accept(categories: readonly string[]): boolean;
    /** The current consent record, or null when the visitor has not chosen. */
    consent(): ConsentGuardRecord | null;
    /** After a single-page app re-rendered: refill cookie tables, re-check held items. */
    refresh(): void;
    /**
     * Call `callback` on each event of this type; returns a function that
     * unsubscribes. The same detail is dispatched on `document` as the
     * CustomEvent `consent-guard:<type>`.
     */
    on<K extends keyof ConsentGuardEventMap>(type: K, callback: (detail: ConsentGuardEventMap[K]) => void): () => void;
  }

  interface Window {
    readonly consentGuard: ConsentGuard;
  }
  // eslint-disable-next-line no-var
  var consentGuard: ConsentGuard;

  interface DocumentEventMap {
    "consent-guard:change": CustomEvent<ConsentGuardRecord>;
    "consent-guard:undeclared": CustomEvent<ConsentGuardUndeclared>;
  }
}
