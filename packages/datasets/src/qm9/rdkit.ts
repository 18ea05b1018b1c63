import { fail, show } from '../internal/checks.js';

/** The part of RDKit-JS (@rdkit/rdkit MinimalLib) this package uses. */
export interface RDKitMol {
  is_valid(): boolean;
  get_json(): string;
  delete(): void;
}
export interface RDKitModule {
  version(): string;
  get_mol(input: string, details?: string): RDKitMol | null;
  disable_logging?(): void;
}

let loading: Promise<RDKitModule> | null = null;

/**
 * Uses an RDKit-JS module you initialised yourself (e.g. in a browser, where the .wasm must be located:
 * `useRDKit(initRDKitModule({ locateFile: () => '/RDKit_minimal.wasm' }))`) instead of the lazy default.
 */
export function useRDKit(module: RDKitModule | Promise<RDKitModule>): void {
  const p = Promise.resolve(module).then((rd) => {
    if (rd === null || typeof rd !== 'object' || typeof rd.get_mol !== 'function' || typeof rd.version !== 'function') {
      fail(`useRDKit: module must be an initialised RDKit-JS module (with get_mol and version), got ${show(rd)}`);
    }
    return rd;
  });
  p.catch(() => undefined); // reported to the caller of smilesToGraph/loadQM9
  loading = p;
}

/**
 * Loads RDKit's official WASM build lazily (a dynamic import, so users of the toy datasets never load it)
 * and caches the instance. Throws NnphysError when the optional package is missing or fails to start.
 */
export function loadRDKit(): Promise<RDKitModule> {
  if (loading === null) {
    loading = (async () => {
      let init: (opts?: object) => Promise<RDKitModule>;
      try {
        const mod = (await import('@rdkit/rdkit')) as unknown as { default?: unknown };
        init = (typeof mod.default === 'function' ? mod.default : mod) as typeof init;
      } catch (e) {
        fail(`smilesToGraph: could not load @rdkit/rdkit (needed for SMILES parsing): ${(e as Error).message}`);
      }
      const rd = await init();
      rd.disable_logging?.();
      return rd;
    })();
    loading.catch(() => {
      loading = null; // allow a retry after a failed load
    });
  }
  return loading;
}
