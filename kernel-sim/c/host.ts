// How the front end reaches files. kernel-sim imports no Node built-ins, so the CLI, the
// debug adapter and tests hand it a host (Node fs, an in-memory map, a VS Code workspace).

export interface FileHost {
  /** Bytes of the file at `path` (forward slashes), or undefined if it does not exist. */
  readFile(path: string): Uint8Array | undefined;
}

/** The simulated system headers (kernel-sim/include): name ("wdm.h") → C text. */
export interface SimulatedHeaders {
  get(name: string): string | undefined;
}

/** In-memory FileHost, for tests and for sources already held in memory (editor buffers). */
export class MemoryFileHost implements FileHost {
  private readonly files = new Map<string, Uint8Array>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) this.set(path, content);
  }

  set(path: string, content: string | Uint8Array): void {
    this.files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  readFile(path: string): Uint8Array | undefined {
    return this.files.get(path);
  }
}

/** Decode source bytes: UTF-8 when valid (BOM dropped), else Latin-1 so any byte sequence reads. */
export function decodeSource(bytes: Uint8Array): string {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = start ? bytes.subarray(start) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('latin1').decode(body);
  }
}
