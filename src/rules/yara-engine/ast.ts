/**
 * The syntax tree of the YARA subset the portable engine runs (see content/rules/README.md,
 * "Portable YARA engine"). Produced by parse.ts, consumed by compile.ts.
 */

export interface Loc {
  readonly line: number;
  readonly column: number;
}

/** A rule-file problem: stable code (Y1xx syntax, Y2xx unsupported, Y3xx rejected), location. */
export class YaraLangError extends Error {
  override readonly name = 'YaraLangError';
  constructor(
    readonly code: string,
    message: string,
    readonly loc: Loc | null,
    /** The rule being read when it happened, when known. */
    readonly rule: string | null = null,
  ) {
    super(message);
  }
}

export const YARA_ERROR_CODES = {
  Y101: 'syntax error',
  Y102: 'invalid string, number or escape',
  Y103: 'duplicate identifier',
  Y104: 'undefined identifier',
  Y105: 'string declared but not used, or used but not declared',
  Y106: 'invalid regular expression',
  Y107: 'invalid hex string',
  Y108: 'invalid modifier combination',
  Y201: 'module not supported by the portable engine',
  Y202: 'include not supported by the portable engine',
  Y203: 'language feature not supported by the portable engine',
  Y301: 'regular expression rejected: it could backtrack without bound',
} as const;
export type YaraErrorCode = keyof typeof YARA_ERROR_CODES;

export interface StringMods {
  nocase: boolean;
  ascii: boolean;
  wide: boolean;
  fullword: boolean;
  private: boolean;
  /** Inclusive key range of `xor`, or null. */
  xor: readonly [number, number] | null;
  /** `base64` alphabet ('' for the standard one), or null. */
  base64: string | null;
  base64wide: string | null;
}

/** Regex syntax tree (also the target of hex strings and text strings). */
export type Re =
  | { readonly t: 'set'; readonly bytes: Uint8Array } // 256 entries of 0/1: one byte from the set
  | { readonly t: 'cat'; readonly items: readonly Re[] }
  | { readonly t: 'alt'; readonly items: readonly Re[] }
  | { readonly t: 'rep'; readonly item: Re; readonly min: number; readonly max: number; readonly lazy: boolean } // max -1: unbounded
  | { readonly t: 'group'; readonly item: Re }
  | { readonly t: 'bol' }
  | { readonly t: 'eol' }
  | { readonly t: 'wordb'; readonly neg: boolean };

export type StringKind = 'text' | 'hex' | 'regex';

export interface StringDef {
  /** `$name`, or `$` for an anonymous string. */
  readonly id: string;
  readonly kind: StringKind;
  readonly loc: Loc;
  /** Text: the bytes (latin1). */
  readonly text: string;
  /** Hex or regex: the parsed expression (regex already has nocase/dotall folded in). */
  readonly re: Re | null;
  readonly mods: StringMods;
}

export type Quant =
  | { readonly q: 'all' }
  | { readonly q: 'any' }
  | { readonly q: 'none' }
  | { readonly q: 'num'; readonly e: Expr }
  | { readonly q: 'pct'; readonly e: Expr };

/** A set of the rule's strings (indices), or of rules (for `N of (rule1, rule2*)`). */
export type StrSet = readonly number[];

export type CmpOp =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | 'icontains'
  | 'startswith'
  | 'istartswith'
  | 'endswith'
  | 'iendswith'
  | 'iequals';
export type ArithOp = '+' | '-' | '*' | '\\' | '%' | '&' | '|' | '^' | '<<' | '>>';
export type IntFn = 'uint8' | 'uint16' | 'uint32' | 'uint8be' | 'uint16be' | 'uint32be' | 'int8' | 'int16' | 'int32' | 'int8be' | 'int16be' | 'int32be';

/** String reference: an index into the rule's strings, or -1 for `$` inside `for … of`. */
export type SRef = number;

export type Expr =
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'filesize' }
  | { readonly k: 'and' | 'or'; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'not'; readonly a: Expr }
  | { readonly k: 'cmp'; readonly op: CmpOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'matches'; readonly a: Expr; readonly re: Re; readonly loc: Loc }
  | { readonly k: 'arith'; readonly op: ArithOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'neg' | 'bnot'; readonly a: Expr }
  | { readonly k: 'present'; readonly s: SRef }
  | { readonly k: 'at'; readonly s: SRef; readonly at: Expr }
  | { readonly k: 'in'; readonly s: SRef; readonly lo: Expr; readonly hi: Expr }
  | { readonly k: 'count'; readonly s: SRef }
  | { readonly k: 'count_in'; readonly s: SRef; readonly lo: Expr; readonly hi: Expr }
  | { readonly k: 'offset' | 'length'; readonly s: SRef; readonly idx: Expr }
  | { readonly k: 'int'; readonly fn: IntFn; readonly at: Expr }
  | { readonly k: 'rule'; readonly id: number }
  | { readonly k: 'ext'; readonly name: string }
  | { readonly k: 'var'; readonly slot: number }
  | { readonly k: 'of'; readonly quant: Quant; readonly set: StrSet; readonly lo: Expr | null; readonly hi: Expr | null; readonly at: Expr | null }
  | { readonly k: 'of_rules'; readonly quant: Quant; readonly rules: readonly number[] }
  | { readonly k: 'for_of'; readonly quant: Quant; readonly set: StrSet; readonly body: Expr }
  | {
      readonly k: 'for_in';
      readonly quant: Quant;
      readonly slot: number;
      readonly lo: Expr | null;
      readonly hi: Expr | null;
      readonly list: readonly Expr[] | null;
      readonly body: Expr;
    };

export interface RuleDef {
  readonly name: string;
  readonly namespace: string;
  readonly file: string;
  readonly loc: Loc;
  readonly isPrivate: boolean;
  readonly isGlobal: boolean;
  readonly tags: readonly string[];
  readonly meta: readonly (readonly [string, string | number | boolean])[];
  readonly strings: readonly StringDef[];
  readonly condition: Expr;
  /** Loop variable slots the condition needs. */
  readonly slots: number;
}
