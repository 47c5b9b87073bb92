import { ProcConnector } from '@inotifykit/sys';
import fs from 'node:fs';
const c = ProcConnector.open();
const lat = []; let miss = 0, hit = 0;
c.start((b) => {
  for (const e of b.events) {
    if (e.type !== 'exec') continue;
    const d = Number(process.hrtime.bigint()) - e.timestampNs;
    let ok = true;
    try { fs.readFileSync(`/proc/${e.pid}/stat`, 'latin1'); } catch { ok = false; }
    if (ok) hit++; else miss++;
    lat.push([Math.round(d / 1000), ok, b.events.length]);
  }
}, () => {});
process.on('SIGTERM', () => { lat.sort((a,b)=>a[0]-b[0]); console.log('hit', hit, 'miss', miss, 'lat us p50', lat[lat.length>>1], 'p90', lat[Math.floor(lat.length*0.9)], 'max', lat[lat.length-1]); console.log('miss lat', lat.filter(l=>!l[1]).map(l=>l[0]).slice(0,20)); process.exit(0); });
