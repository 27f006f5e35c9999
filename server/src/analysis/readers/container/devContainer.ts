// A VS Code dev container's definition (`.devcontainer/devcontainer.json`, `.devcontainer.json`):
// which Dockerfile it builds (`"dockerFile"`, or `"dockerfile"` under `"build"`) and whether it names
// a `target` stage. JSON with comments, read only for those two keys.

export interface DevContainer {
  /** The Dockerfile it builds, as written (relative to the JSON file's folder). */
  readonly dockerfile: string | undefined;
  /** Whether it builds a named stage (`"target"`), which a production image may build too. */
  readonly target: boolean;
}

export function readDevContainer(text: string): DevContainer {
  const m = /"docker[Ff]ile"\s*:\s*"([^"\n]{1,300})"/.exec(text);
  return { dockerfile: m?.[1], target: /"target"\s*:/.test(text) };
}
