// Validates every manifest in the given directory against the Kubernetes schemas bundled in kubernetes-models
// (no download at run time), then checks what the service needs of them. Prints one line per document and
// "N passed, N failed"; exits 1 on any failure.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2] ?? "k8s";
const results = [];
const documents = [];

for (const file of readdirSync(dir).filter((name) => name.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length > 0) {
      results.push([`${file}: YAML`, doc.errors.map((e) => e.message).join("; ")]);
      continue;
    }
    const object = doc.toJS();
    documents.push(object);
    const label = `${file}: ${object.kind}/${object.metadata?.name}`;
    results.push([label, await schemaErrors(object)]);
  }
}

const byKind = (kind) => documents.filter((object) => object.kind === kind);
const statefulSet = byKind("StatefulSet")[0];
const container = statefulSet?.spec?.template?.spec?.containers?.[0];
const probePath = (probe) => container?.[probe]?.httpGet?.path;
const probes = ["startupProbe", "livenessProbe", "readinessProbe"];
check("StatefulSet probes use the health endpoints",
  probePath("startupProbe") === "/q/health/started" && probePath("livenessProbe") === "/q/health/live"
    && probePath("readinessProbe") === "/q/health/ready");
check("StatefulSet container listens on 2886",
  container?.ports?.some((port) => port.containerPort === 2886 && port.name === "http"));
check("probes use the management port 2888",
  container?.ports?.some((port) => port.containerPort === 2888 && port.name === "management")
    && probes.every((probe) => container?.[probe]?.httpGet?.port === "management"));
check("StatefulSet has resource requests", container?.resources?.requests?.cpu && container?.resources?.requests?.memory);
const config = byKind("ConfigMap").find((map) => container?.envFrom?.some((from) => from.configMapRef?.name === map.metadata.name));
const secret = byKind("Secret").find((s) => container?.envFrom?.some((from) => from.secretRef?.name === s.metadata.name));
check("settings come from a ConfigMap and secrets from a Secret", config && secret);
check("the Secret holds the root password and the datasource credentials",
  ["TENANT_BACKUP_ROOT_PASSWORD", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"]
    .every((key) => key in (secret?.stringData ?? secret?.data ?? {})));
const dataDir = config?.data?.TENANT_BACKUP_DATA_DIR ?? "";
const claims = (statefulSet?.spec?.volumeClaimTemplates ?? []).map((claim) => claim.metadata.name);
check("the data dir is on a PersistentVolumeClaim",
  container?.volumeMounts?.some((mount) => claims.includes(mount.name) && dataDir.startsWith(mount.mountPath)));
check("no Service exposes the management port (health details and metrics)",
  byKind("Service").every((service) => service.spec.ports.every((port) =>
    port.port !== 2888 && port.targetPort !== 2888 && port.targetPort !== "management")));
check("a network address comes with a password: the ConfigMap listens on the pod network, the Secret has the password",
  config?.data?.QUARKUS_HTTP_HOST === "0.0.0.0" && "TENANT_BACKUP_ROOT_PASSWORD" in (secret?.stringData ?? secret?.data ?? {}));
check("a Service exposes 2886 to the pods",
  byKind("Service").some((service) => service.spec.clusterIP !== "None"
    && service.spec.ports.some((port) => port.port === 2886)
    && Object.entries(service.spec.selector).every(([k, v]) => statefulSet.spec.template.metadata.labels[k] === v)));

for (const [label, error] of results) {
  console.log(`${error ? "FAIL" : "ok  "} ${label}${error ? ": " + error : ""}`);
}
const failed = results.filter(([, error]) => error).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

async function schemaErrors(object) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  const module = `kubernetes-models/${group ? group + "/" : ""}${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch {
    return `no bundled schema for ${object.apiVersion} ${object.kind}`;
  }
  try {
    new Model(object).validate();
    return null;
  } catch (error) {
    return error.message;
  }
}

function check(description, ok) {
  results.push([`check: ${description}`, ok ? null : "not satisfied"]);
}
