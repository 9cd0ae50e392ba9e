// Builds the offline console into web/dist: CesiumJS's prebuilt Build/Cesium folder (from npm) under dist/cesium,
// then the app's own files from src/. No bundler: the app is plain ES modules over the global `Cesium`.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const cesiumBuild = join(root, 'node_modules', 'cesium', 'Build', 'Cesium');

if (!existsSync(join(cesiumBuild, 'Cesium.js'))) {
  console.error(`CesiumJS not found at ${cesiumBuild}: run "npm ci" in web/ first.`);
  process.exit(1);
}

const cesiumVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'cesium', 'package.json'), 'utf8')).version;

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
cpSync(cesiumBuild, join(dist, 'cesium'), { recursive: true });

// The SignalR browser client (npm @microsoft/signalr, its prebuilt UMD bundle: window.signalR), served from dist.
const signalrBuild = join(root, 'node_modules', '@microsoft', 'signalr', 'dist', 'browser');
if (!existsSync(join(signalrBuild, 'signalr.min.js'))) {
  console.error(`@microsoft/signalr not found at ${signalrBuild}: run "npm ci" in web/ first.`);
  process.exit(1);
}
mkdirSync(join(dist, 'vendor'), { recursive: true });
for (const name of ['signalr.min.js', 'signalr.min.js.map']) cpSync(join(signalrBuild, name), join(dist, 'vendor', name));

const src = join(root, 'src');
for (const name of readdirSync(src)) {
  cpSync(join(src, name), join(dist, name), { recursive: true });
}

writeFileSync(
  join(dist, 'build-info.json'),
  JSON.stringify({ app: 'yunlu-console', cesium: cesiumVersion }, null, 2) + '\n',
);
console.log(`web/dist: Yunlu console + CesiumJS ${cesiumVersion}`);
