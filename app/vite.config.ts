import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {defineConfig, type Plugin} from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Adds to the build: the printable invoice page of the REST API (../print, reused as it is) and
 * sw.js with the list of every built file and a version hash of their contents.
 */
function shellFiles(): Plugin {
  return {
    name: 'shopbill-shell',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const name of ['index.html', 'invoice.js']) {
        this.emitFile({type: 'asset', fileName: `print/${name}`, source: readFileSync(here(`./print/${name}`))});
      }
      const files = [...new Set(['index.html', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png',
        'print/index.html', 'print/invoice.js',
        ...Object.keys(bundle)])].sort();
      const hash = createHash('sha256');
      for (const f of files) {
        const out = bundle[f];
        hash.update(f).update(!out ? '' : out.type === 'chunk' ? out.code : out.source);
      }
      const source = readFileSync(here("./src/sw.js"), 'utf8')
        .replace('__VERSION__', hash.digest('hex').slice(0, 16))
        .replace('__FILES__', JSON.stringify(files));
      this.emitFile({type: 'asset', fileName: 'sw.js', source});
    },
  };
}

export default defineConfig({
  base: '/app/',
  plugins: [shellFiles()],
  build: {outDir: 'dist', emptyOutDir: true, target: 'es2022'},
});
