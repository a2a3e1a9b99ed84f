/**
 * The layering of issue 13 (docs/architecture.md), checked by `npm run lint:deps`.
 * Layers, bottom to top: a module imports its own layer or a lower one, never a higher one.
 * Type-only imports count as well (tsPreCompilationDeps): the layering is of the code, not only of what runs.
 * @type {import('dependency-cruiser').IConfiguration}
 */

const layers = [
  {
    name: 'base',
    paths: ['^src/(errors|package-files|version|benchmark-ids|stimulus-sizes)[.]ts$', '^src/(io|formats|parallel)/'],
    why: 'base (errors, package files, version, benchmark ids, io, formats, parallel) is what everything stands on:'
      + ' it knows no kernel, data set, stage or command',
  },
  {
    name: 'kernels',
    paths: ['^src/(audio|image|quantization|archives|selection|manifest)/'],
    why: 'kernels (audio, image, quantization, archives, selection, manifest) are pure recipes and formats:'
      + ' no data-set or benchmark definitions, no stages, no result printing, no commands',
  },
  {
    name: 'definitions',
    paths: ['^datasets/'],
    why: 'datasets/ declares data sets and benchmarks from kernels and base: it never imports the stages that read'
      + ' it, nor anything above them',
  },
  {
    name: 'stages',
    paths: ['^src/(download|output|prepare|merge|verify|scoring|inference|training)/'],
    why: 'stages (download, output, prepare, verify, scoring, inference) do the work: they never reach up into'
      + ' products (report, preview, export), the CLI, the library API or commands',
  },
  {
    name: 'products',
    paths: ['^src/(report|preview|export|check)/'],
    why: 'products (report, preview, export, check) are made from stage results: they never import the CLI, the library'
      + ' API (src/index.ts) or commands',
  },
  {
    name: 'interface',
    paths: ['^src/cli/', '^src/index[.]ts$'],
    why: 'the interface (src/cli, src/index.ts) serves the commands: it never imports one',
  },
  {name: 'commands', paths: ['^commands/']},
]

const pathsAbove = (index) => layers.slice(index + 1).flatMap((layer) => layer.paths)

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (even inside one folder) makes two modules one: move what they share to a lower module',
      from: {},
      to: {circular: true},
    },
    ...layers.slice(0, -1).map((layer, index) => ({
      name: `${layer.name}-imports-upward`,
      severity: 'error',
      comment: layer.why,
      from: {path: layer.paths},
      to: {path: pathsAbove(index)},
    })),
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'Every module of src/, commands/ and datasets/ belongs to a layer: add a new folder to the layers of'
        + ' .dependency-cruiser.cjs and docs/architecture.md',
      from: {path: '^(src|commands|datasets)/'},
      to: {path: '^(src|commands|datasets)/', pathNot: layers.flatMap((layer) => layer.paths)},
    },
  ],
  options: {
    // Only the project's own modules are layered: packages and node: built-ins stay out of the graph.
    includeOnly: '^(src|commands|datasets)/',
    tsConfig: {fileName: 'tsconfig.json'},
    tsPreCompilationDeps: true,
  },
}
