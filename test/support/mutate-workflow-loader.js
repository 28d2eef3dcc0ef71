// A webpack loader for test/replay.test.ts: makes one deliberately non-deterministic change to a
// workflow's source (a new step before an existing one), to prove the replay test catches it.
module.exports = function mutate(source) {
  const { find, insert } = this.getOptions();
  if (!source.includes(find)) throw new Error(`mutate-workflow-loader: '${find}' not found in ${this.resourcePath}`);
  return source.replace(find, `${insert}\n${find}`);
};
