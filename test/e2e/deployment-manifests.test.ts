// Over 300 lines: every Kubernetes rule the deployment issue sets (probes, resources, HPAs, PDBs, network policies, secrets, the migration Job), each a short case over the rendered overlays.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as core from 'kubernetes-models/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import { ROLES } from '../../infra/role';
import { SUBGRAPH_NAMES } from '../../platform/topology';

const ROOT = join(__dirname, '..', '..');

/**
 * The Kubernetes manifests (infra/k8s), rendered as `kubectl apply -k` would render
 * each overlay and validated against the Kubernetes API schemas. kustomize is not
 * installed everywhere the tests run, so the small part of it the manifests use
 * is rendered here (and compared with kustomize itself where kubectl is installed).
 */

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any };

// --- the part of kustomize the manifests use ---------------------------------------

const KNOWN_FIELDS = new Set(['resources', 'namespace', 'images', 'generatorOptions', 'configMapGenerator', 'secretGenerator']);
const CLUSTER_SCOPED = new Set(['Namespace']);

function readYaml(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o);
}

/** kustomize's env file: KEY=VALUE lines, # comments. */
function envLines(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const i = line.indexOf('=');
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function generate(dir: string, kind: 'ConfigMap' | 'Secret', spec: { name: string; literals?: string[]; envs?: string[]; files?: string[] }): K8sObject {
  const data: Record<string, string> = {};
  for (const literal of spec.literals ?? []) {
    const i = literal.indexOf('=');
    data[literal.slice(0, i)] = literal.slice(i + 1);
  }
  for (const env of spec.envs ?? []) Object.assign(data, envLines(join(dir, env)));
  for (const file of spec.files ?? []) data[basename(file)] = readFileSync(join(dir, file), 'utf8');
  return kind === 'Secret'
    ? { apiVersion: 'v1', kind, metadata: { name: spec.name }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) }
    : { apiVersion: 'v1', kind, metadata: { name: spec.name }, data };
}

function setImages(value: unknown, images: Array<{ name: string; newName?: string; newTag?: string }>): void {
  if (Array.isArray(value)) value.forEach((v) => setImages(v, images));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of ['containers', 'initContainers']) {
      for (const c of (o[key] as Array<{ image: string }> | undefined) ?? []) {
        const rule = images.find((i) => c.image === i.name || c.image.startsWith(`${i.name}:`));
        if (rule) c.image = `${rule.newName ?? rule.name}:${rule.newTag ?? (c.image.split(':')[1] || 'latest')}`;
      }
    }
    Object.values(o).forEach((v) => setImages(v, images));
  }
}

/** Renders a kustomization directory: resources (files and directories), generators, images, namespace. */
function kustomize(dir: string): K8sObject[] {
  const k = readYaml(join(dir, 'kustomization.yaml'))[0] as unknown as Record<string, any>;
  const unknown = Object.keys(k).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length) throw new Error(`${dir}: the test's renderer does not implement ${unknown.join(', ')}`);
  const objects: K8sObject[] = [];
  for (const resource of (k.resources ?? []) as string[]) {
    const path = join(dir, resource);
    objects.push(...(statSync(path).isDirectory() ? kustomize(path) : readYaml(path)));
  }
  if ((k.configMapGenerator || k.secretGenerator) && k.generatorOptions?.disableNameSuffixHash !== true) {
    throw new Error(`${dir}: the test's renderer does not add name hashes; set generatorOptions.disableNameSuffixHash`);
  }
  for (const spec of k.configMapGenerator ?? []) objects.push(generate(dir, 'ConfigMap', spec));
  for (const spec of k.secretGenerator ?? []) objects.push(generate(dir, 'Secret', spec));
  if (k.images) for (const o of objects) setImages(o, k.images);
  if (k.namespace) for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  return objects;
}

/** A copy of infra/k8s with the git-ignored deploy-time files made from their examples. */
function preparedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'send-k8s-'));
  cpSync(join(ROOT, 'infra', 'k8s'), dir, { recursive: true });
  for (const overlay of readdirSync(join(dir, 'overlays'))) {
    for (const file of readdirSync(join(dir, 'overlays', overlay))) {
      if (file.endsWith('.env.example')) copyFileSync(join(dir, 'overlays', overlay, file), join(dir, 'overlays', overlay, file.replace(/\.example$/, '')));
    }
  }
  for (const file of ['supergraph.graphql', 'partner-supergraph.graphql', 'trusted-documents.json']) {
    copyFileSync(join(ROOT, 'schema', file), join(dir, 'overlays', 'partnership', file));
  }
  return dir;
}

// --- what the overlays should hold -------------------------------------------------

const OVERLAYS = {
  council: { namespace: 'send-council', deployments: ['casework'] },
  icb: { namespace: 'send-icb', deployments: ['health'] },
  partnership: { namespace: 'send-partnership', deployments: ['governance', 'gateway', 'web'] },
} as const;
type OverlayName = keyof typeof OVERLAYS;

const MODELS: Record<string, Record<string, new (data: any) => { validate(): void }>> = {
  v1: core as any,
  'apps/v1': apps as any,
  'batch/v1': batch as any,
  'autoscaling/v2': autoscaling as any,
  'policy/v1': policy as any,
  'networking.k8s.io/v1': networking as any,
};

let copy: string;
const rendered = {} as Record<OverlayName, K8sObject[]>;
beforeAll(() => {
  copy = preparedCopy();
  for (const name of Object.keys(OVERLAYS) as OverlayName[]) rendered[name] = kustomize(join(copy, 'overlays', name));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const all = () => Object.values(rendered).flat();
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const matches = (selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined, labels: Record<string, string>): boolean => {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok = { In: has && e.values!.includes(labels[e.key]), NotIn: !has || !e.values!.includes(labels[e.key]), Exists: has, DoesNotExist: !has }[e.operator];
    if (!ok) return false;
  }
  return true;
};

describe('the Kubernetes manifests (infra/k8s)', () => {
  it('render for each overlay into objects that validate against the Kubernetes schemas', () => {
    for (const [name, objects] of Object.entries(rendered)) {
      expect({ name, count: objects.length > 10 }).toEqual({ name, count: true });
      for (const o of objects) {
        const Model = MODELS[o.apiVersion]?.[o.kind];
        expect({ object: `${o.kind}/${o.metadata.name}`, modelled: !!Model }).toEqual({ object: `${o.kind}/${o.metadata.name}`, modelled: true });
        expect(() => new Model(o).validate()).not.toThrow();
      }
    }
  });

  it('the schema check catches a broken object', () => {
    const deployment = structuredClone(find(rendered.council, 'Deployment', 'casework')!);
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new apps.Deployment(deployment).validate()).toThrow(/containerPort/);
  });

  it('put each organisation\'s deployables, and nothing else, in its own namespace', () => {
    for (const [name, overlay] of Object.entries(OVERLAYS) as Array<[OverlayName, (typeof OVERLAYS)[OverlayName]]>) {
      const objects = rendered[name];
      expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort()).toEqual([...overlay.deployments].sort());
      expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([overlay.namespace]);
      for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect({ object: `${o.kind}/${o.metadata.name}`, namespace: o.metadata.namespace }).toEqual({ object: `${o.kind}/${o.metadata.name}`, namespace: overlay.namespace });
      expect(find(objects, 'Namespace', overlay.namespace)!.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  it('give every Deployment a Service, a HorizontalPodAutoscaler and a PodDisruptionBudget that select its pods', () => {
    const deployments = all().filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['casework', 'gateway', 'governance', 'health', 'web']);
    for (const d of deployments) {
      const objects = all().filter((o) => o.metadata.namespace === d.metadata.namespace);
      const podLabels = d.spec.template.metadata.labels;
      expect(matches(d.spec.selector, podLabels)).toBe(true);
      const service = objects.find((o) => o.kind === 'Service' && matches({ matchLabels: o.spec.selector }, podLabels));
      expect(service?.metadata.name).toBe(d.metadata.name);
      const containerPorts = d.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name);
      for (const p of service!.spec.ports) expect(containerPorts).toContain(p.targetPort);
      const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === d.metadata.name);
      expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name });
      expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa!.spec.maxReplicas).toBeGreaterThan(hpa!.spec.minReplicas);
      const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && matches(o.spec.selector, podLabels));
      expect(pdb?.spec.minAvailable).toBeLessThan(hpa!.spec.minReplicas);
    }
  });

  it('probe, bound and lock down every container: started and live on /health/live, ready on /health/ready', () => {
    for (const o of all().filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      const pod = o.spec.template.spec;
      expect({ object: o.metadata.name, automount: pod.automountServiceAccountToken, runAsNonRoot: pod.securityContext.runAsNonRoot, seccomp: pod.securityContext.seccompProfile.type }).toEqual({ object: o.metadata.name, automount: false, runAsNonRoot: true, seccomp: 'RuntimeDefault' });
      for (const c of pod.containers) {
        expect(c.image).toBe('registry.example.org/send-partnership-gateway:0.1.0');
        expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(c.resources.limits.memory).toBeDefined();
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        if (o.kind === 'Job') continue;
        const ports = c.ports.map((p: { name: string }) => p.name);
        for (const [probe, path] of [['startupProbe', '/health/live'], ['livenessProbe', '/health/live'], ['readinessProbe', '/health/ready']] as const) {
          expect({ object: o.metadata.name, probe, path: c[probe]?.httpGet.path, port: ports.includes(c[probe]?.httpGet.port) }).toEqual({ object: o.metadata.name, probe, path, port: true });
        }
        expect(c.env.find((e: { name: string }) => e.name === 'NODE_ENV')?.value).toBe('production');
      }
    }
  });

  it('give each role every variable it needs, from Secrets and ConfigMaps that hold those keys', () => {
    const runs = all().filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
    expect(runs.length).toBe(8);
    for (const o of runs) {
      const [container] = o.spec.template.spec.containers;
      const role = ROLES.find((r) => r.name === container.args[0])!;
      expect(role).toBeDefined();
      const given = container.env.map((e: { name: string }) => e.name);
      expect({ object: o.metadata.name, missing: role.needs.filter((v) => !given.includes(v)) }).toEqual({ object: o.metadata.name, missing: [] });
      for (const e of container.env) {
        const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
        if (!ref) continue;
        const source = find(all().filter((x) => x.metadata.namespace === o.metadata.namespace), e.valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name);
        expect({ object: o.metadata.name, variable: e.name, found: !!source && ref.key in source.data }).toEqual({ object: o.metadata.name, variable: e.name, found: true });
      }
    }
  });

  it('migrate each database with a Job holding the owner login, which no serving pod holds', () => {
    for (const subgraph of SUBGRAPH_NAMES) {
      const job = find(all(), 'Job', `${subgraph}-migrate`)!;
      const deployment = find(all(), 'Deployment', subgraph)!;
      expect(job.metadata.namespace).toBe(deployment.metadata.namespace);
      const [migrate] = job.spec.template.spec.containers;
      expect(migrate.args).toEqual(['migrate', subgraph]);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      const secretOf = (container: { env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string } } }> }) => container.env.find((e) => e.name === 'DATABASE_URL')!.valueFrom!.secretKeyRef!.name;
      expect(secretOf(migrate)).toBe(`${subgraph}-migration`);
      const [serving] = deployment.spec.template.spec.containers;
      expect(serving.args).toEqual([subgraph]);
      expect(secretOf(serving)).toBe(`${subgraph}-runtime`);
      expect(JSON.stringify(deployment)).not.toContain(`${subgraph}-migration`);
      const decode = (secret: string) => new URL(Buffer.from(find(all(), 'Secret', secret)!.data.DATABASE_URL, 'base64').toString()).username;
      expect([decode(`${subgraph}-migration`), decode(`${subgraph}-runtime`)]).toEqual([`send_${subgraph}_owner`, `send_${subgraph}_app`]);
    }
  });

  it('hold no real secret: every Secret value is empty or a placeholder', () => {
    for (const secret of all().filter((o) => o.kind === 'Secret')) {
      for (const [key, value] of Object.entries(secret.data as Record<string, string>)) {
        const text = Buffer.from(value, 'base64').toString();
        expect({ secret: secret.metadata.name, key, placeholder: text === '' || text.includes('<password>') }).toEqual({ secret: secret.metadata.name, key, placeholder: true });
      }
    }
    const ignored = execFileSync('git', ['check-ignore', 'infra/k8s/overlays/council/casework-runtime.env', 'infra/k8s/overlays/partnership/supergraph.graphql', 'infra/k8s/overlays/partnership/partner-supergraph.graphql'], { cwd: ROOT, encoding: 'utf8' });
    expect(ignored.trim().split('\n')).toHaveLength(3);
  });

  it('point the web app at the gateway\'s Service in its own namespace', () => {
    const config = find(rendered.partnership, 'ConfigMap', 'web-config')!;
    const url = new URL(config.data.GATEWAY_URL);
    const gateway = find(rendered.partnership, 'Service', 'gateway')!;
    expect([url.hostname, Number(url.port), url.pathname]).toEqual([`gateway.${gateway.metadata.namespace}.svc.cluster.local`, gateway.spec.ports[0].port, '/graphql']);
    expect(new URL(config.data.WEB_PUBLIC_URL).protocol).toBe('https:');
  });

  it('serve the supergraph to the gateway from a ConfigMap at SUPERGRAPH_PATH, and point it at each subgraph\'s Service', () => {
    const gateway = find(rendered.partnership, 'Deployment', 'gateway')!;
    const [container] = gateway.spec.template.spec.containers;
    const path = container.env.find((e: { name: string }) => e.name === 'SUPERGRAPH_PATH').value as string;
    const mount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === dirname(path));
    const volume = gateway.spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    const configMap = find(rendered.partnership, 'ConfigMap', volume.configMap.name)!;
    expect(configMap.data[basename(path)]).toBe(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'));
    // Beside it, where the gateway looks for them: the partner contract and the registered operations.
    for (const file of ['partner-supergraph.graphql', 'trusted-documents.json']) expect(configMap.data[file]).toBe(readFileSync(join(ROOT, 'schema', file), 'utf8'));
    const config = find(rendered.partnership, 'ConfigMap', 'gateway-config')!;
    for (const subgraph of SUBGRAPH_NAMES) {
      const url = new URL(config.data[`${subgraph.toUpperCase()}_URL`]);
      const service = all().find((o) => o.kind === 'Service' && o.metadata.name === subgraph)!;
      expect(url.hostname).toBe(`${subgraph}.${service.metadata.namespace}.svc.cluster.local`);
      expect(Number(url.port)).toBe(service.spec.ports[0].port);
    }
  });

  /**
   * The network policies of all three overlays in one cluster, worked out pod by
   * pod: who may open a connection to whom. Besides the rendered pods, each
   * organisation's PostgreSQL (labelled as the policies document), a stray pod in
   * every namespace and an ingress controller elsewhere.
   */
  describe('network policies', () => {
    interface Pod { name: string; namespace: string; labels: Record<string, string>; ports: Array<{ name?: string; containerPort: number }> }
    const DATABASE_PORTS = [{ name: 'postgresql', containerPort: 5432 }];
    let pods: Pod[];
    let policies: K8sObject[];
    const namespaceLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });

    beforeAll(() => {
      policies = all().filter((o) => o.kind === 'NetworkPolicy');
      pods = all()
        .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
        .map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace!, labels: o.spec.template.metadata.labels, ports: o.spec.template.spec.containers.flatMap((c: { ports?: Pod['ports'] }) => c.ports ?? []) }));
      for (const [subgraph, ns] of [['casework', 'send-council'], ['health', 'send-icb'], ['governance', 'send-partnership']]) {
        pods.push({ name: `${subgraph}-database`, namespace: ns, labels: { 'send-partnership/database': subgraph }, ports: DATABASE_PORTS });
        pods.push({ name: `stray-${ns}`, namespace: ns, labels: { app: 'stray' }, ports: [] });
      }
      pods.push({ name: 'ingress-controller', namespace: 'ingress', labels: { app: 'ingress' }, ports: [] });
    });

    const peerMatches = (peer: any, policyNamespace: string, pod: Pod) => {
      if (peer.ipBlock) return false;
      const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(pod.namespace)) : pod.namespace === policyNamespace;
      return nsOk && matches(peer.podSelector, pod.labels);
    };
    const portMatches = (rulePorts: any[] | undefined, target: Pod, port: number) =>
      !rulePorts || rulePorts.some((p) => p.port === undefined || p.port === port || target.ports.some((c) => c.name === p.port && c.containerPort === port));
    /** Whether the policies let `from` open a connection to `to` on a port. */
    const allowed = (from: Pod, to: Pod, port: number): boolean => {
      const direction = (pod: Pod, type: 'Ingress' | 'Egress') => policies.filter((p) => p.metadata.namespace === pod.namespace && p.spec.policyTypes.includes(type) && matches(p.spec.podSelector, pod.labels));
      const ingress = direction(to, 'Ingress');
      const inOk = !ingress.length || ingress.some((p) => (p.spec.ingress ?? []).some((r: any) => (!r.from || r.from.some((peer: any) => peerMatches(peer, p.metadata.namespace!, from))) && portMatches(r.ports, to, port)));
      const egress = direction(from, 'Egress');
      const outOk = !egress.length || egress.some((p) => (p.spec.egress ?? []).some((r: any) => (!r.to || r.to.some((peer: any) => peerMatches(peer, p.metadata.namespace!, to))) && portMatches(r.ports, to, port)));
      return inOk && outOk;
    };
    const reaching = (target: string, port: number) => pods.filter((p) => p.name !== target && allowed(p, pods.find((t) => t.name === target)!, port)).map((p) => p.name).sort();

    it('let only the gateway reach a subgraph', () => {
      for (const subgraph of SUBGRAPH_NAMES) expect({ subgraph, from: reaching(subgraph, 4000) }).toEqual({ subgraph, from: ['gateway'] });
    });

    it('let only a subgraph and its migration reach its database', () => {
      for (const subgraph of SUBGRAPH_NAMES) expect({ subgraph, from: reaching(`${subgraph}-database`, 5432) }).toEqual({ subgraph, from: [subgraph, `${subgraph}-migrate`].sort() });
    });

    it('let clients reach the gateway', () => {
      expect(reaching('gateway', 4000)).toEqual(expect.arrayContaining(['ingress-controller', 'web']));
    });

    it('let people reach the web app, and the web app reach the gateway but no subgraph or database', () => {
      expect(reaching('web', 4000)).toEqual(expect.arrayContaining(['ingress-controller']));
      const web = pods.find((p) => p.name === 'web')!;
      expect(allowed(web, pods.find((p) => p.name === 'gateway')!, 4000)).toBe(true);
      for (const subgraph of SUBGRAPH_NAMES) {
        expect({ subgraph, reached: allowed(web, pods.find((p) => p.name === subgraph)!, 4000) }).toEqual({ subgraph, reached: false });
        expect({ database: subgraph, reached: allowed(web, pods.find((p) => p.name === `${subgraph}-database`)!, 5432) }).toEqual({ database: subgraph, reached: false });
      }
    });

    it('are worked out strictly enough to fail: without its policies, anything reaches casework', () => {
      const saved = policies;
      policies = policies.filter((p) => p.metadata.namespace !== 'send-council');
      try {
        expect(reaching('casework', 4000)).toContain('stray-send-icb');
      } finally {
        policies = saved;
      }
    });
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  (kubectl ? it : it.skip)('render as kustomize itself renders them (kubectl kustomize)', () => {
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    for (const name of Object.keys(OVERLAYS) as OverlayName[]) {
      const output = execFileSync('kubectl', ['kustomize', join(copy, 'overlays', name)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      // kustomize folds long base64 values over lines.
      const unfold = (o: K8sObject) => (o.kind === 'Secret' ? { ...o, data: Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, String(v).replace(/\s/g, '')])) } : o);
      const theirs = new Map(parseAllDocuments(output).map((d) => unfold(d.toJS() as K8sObject)).map((o) => [key(o), o]));
      const ours = new Map(rendered[name].map((o) => [key(o), o]));
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [k, o] of ours) expect({ object: k, same: isDeepStrictEqual(o, theirs.get(k)) }).toEqual({ object: k, same: true });
    }
  });
});

it('has an example for every git-ignored file an overlay needs', () => {
  for (const overlay of Object.keys(OVERLAYS)) {
    const dir = join(ROOT, 'infra', 'k8s', 'overlays', overlay);
    const k = readYaml(join(dir, 'kustomization.yaml'))[0] as unknown as Record<string, Array<{ envs?: string[] }>>;
    for (const env of (k.secretGenerator ?? []).flatMap((s) => s.envs ?? [])) expect({ overlay, env, example: existsSync(join(dir, `${env}.example`)) }).toEqual({ overlay, env, example: true });
  }
});
