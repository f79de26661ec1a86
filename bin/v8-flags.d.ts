export declare const DEFAULT_V8_FLAGS: readonly string[];
export declare function v8Flags(env?: NodeJS.ProcessEnv): readonly string[];
