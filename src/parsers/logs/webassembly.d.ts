/**
 * The part of the WebAssembly JavaScript API that needle-scan.ts uses: Node has the global,
 * but the ES library the project compiles against does not declare it (only the DOM library
 * does, which a Node tool should not load).
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  function validate(bytes: Uint8Array): boolean;
}
