{{/*
Names, labels and the small pieces every template shares. A component is one of
gateway-service, job-service, pipeline-worker, artifact-service, log-stream-service (the five
services, each with its native port), or a supporting one (kafka-topics, store, tools, tests,
kafka, postgresql, redis).
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "aegis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object's name: fullnameOverride, else "<release>" when the release name
already contains the chart name, else "<release>-<chart>". At most 30 characters, so that the
longest names stay valid DNS labels of 63: "<fullname>-log-stream-service-headless", and the
StatefulSet's revision label "<fullname>-log-stream-service-<hash of 10>".
*/}}
{{- define "aegis.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 30 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 30 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 30 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "<chart>-<version>" for the helm.sh/chart label. */}}
{{- define "aegis.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of a component's objects: include "aegis.componentName" (list $ "job-service") */}}
{{- define "aegis.componentName" -}}
{{- $root := index . 0 }}
{{- printf "%s-%s" (include "aegis.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object of a component: include "aegis.labels" (list $ "job-service") */}}
{{- define "aegis.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ include "aegis.chart" $root }}
{{ include "aegis.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: aegis
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The labels that select a component's pods (immutable in a workload's selector). */}}
{{- define "aegis.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "aegis.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* The native HTTP port of each service: container port and Service port alike. */}}
{{- define "aegis.port" -}}
{{- $ports := dict "gateway-service" 8080 "job-service" 8081 "pipeline-worker" 8082 "artifact-service" 8083 "log-stream-service" 8084 }}
{{- get $ports . }}
{{- end }}

{{/*
The management port of each service: /q/metrics in the Prometheus format, never on the service's own
port (application.properties). Distinct per service, as on one machine, so hostNetwork pods do not collide.
*/}}
{{- define "aegis.managementPort" -}}
{{- $ports := dict "gateway-service" 9080 "job-service" 9081 "pipeline-worker" 9082 "artifact-service" 9083 "log-stream-service" 9084 }}
{{- get $ports . }}
{{- end }}

{{/* The metrics container port of a service: include "aegis.metrics.containerPort" (list $ "job-service") */}}
{{- define "aegis.metrics.containerPort" -}}
{{- $root := index . 0 }}
{{- if $root.Values.metrics.enabled -}}
- name: metrics
  containerPort: {{ include "aegis.managementPort" (index . 1) }}
  protocol: TCP
{{- end }}
{{- end }}

{{/* The pod annotations that ask a Prometheus to scrape a service: include "aegis.metrics.podAnnotations" (list $ "job-service") */}}
{{- define "aegis.metrics.podAnnotations" -}}
{{- $root := index . 0 }}
{{- if and $root.Values.metrics.enabled $root.Values.metrics.podAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ include "aegis.managementPort" (index . 1) | quote }}
prometheus.io/path: /q/metrics
{{- end }}
{{- end }}

{{/*
The ingress rule of a service's NetworkPolicy that lets the scraper (networkPolicy.metricsFrom) reach
its management port: include "aegis.metrics.networkPolicyRule" (list $ "job-service")
*/}}
{{- define "aegis.metrics.networkPolicyRule" -}}
{{- $root := index . 0 }}
{{- if and $root.Values.metrics.enabled $root.Values.networkPolicy.metricsFrom -}}
- from:
    {{- toYaml $root.Values.networkPolicy.metricsFrom | nindent 4 }}
  ports:
    - port: {{ include "aegis.managementPort" (index . 1) }}
      protocol: TCP
{{- end }}
{{- end }}

{{/* The values block of a service: include "aegis.values" (list $ "job-service") | fromYaml */}}
{{- define "aegis.valuesKey" -}}
{{- $keys := dict "gateway-service" "gatewayService" "job-service" "jobService" "pipeline-worker" "pipelineWorker" "artifact-service" "artifactService" "log-stream-service" "logStreamService" }}
{{- get $keys . }}
{{- end }}

{{/*
The image reference "[registry/]repository:tag".
include "aegis.image" (dict "registry" "..." "repository" "..." "tag" "...")
*/}}
{{- define "aegis.image" -}}
{{- if .registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" .registry) .repository (toString .tag) }}
{{- else }}
{{- printf "%s:%s" .repository (toString .tag) }}
{{- end }}
{{- end }}

{{/* An Aegis service's image: include "aegis.serviceImage" (list $ .Values.jobService.image) */}}
{{- define "aegis.serviceImage" -}}
{{- $root := index . 0 }}
{{- $image := index . 1 }}
{{- include "aegis.image" (dict "registry" $root.Values.image.registry "repository" $image.repository "tag" (default (default $root.Chart.AppVersion $root.Values.image.tag) $image.tag)) }}
{{- end }}

{{/* The in-cluster URL of a service, or its override from serviceUrls. */}}
{{- define "aegis.serviceUrl" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $override := index . 2 }}
{{- if $override }}
{{- $override }}
{{- else }}
{{- printf "http://%s:%s" (include "aegis.componentName" (list $root $component)) (include "aegis.port" $component) }}
{{- end }}
{{- end }}

{{/* The ServiceAccount name of a component: include "aegis.serviceAccountName" (list $ "job-service") */}}
{{- define "aegis.serviceAccountName" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $sa := (get $root.Values (include "aegis.valuesKey" $component)).serviceAccount }}
{{- if $sa.create }}
{{- default (include "aegis.componentName" (list $root $component)) $sa.name }}
{{- else }}
{{- default "default" $sa.name }}
{{- end }}
{{- end }}

{{/* The namespace of the worker's tool Jobs (and of the Roles that reach them). */}}
{{- define "aegis.toolsNamespace" -}}
{{- default .Release.Namespace .Values.pipelineWorker.kubernetes.namespace }}
{{- end }}

{{/* Whether the worker runs tools as Kubernetes Jobs (and so needs its Role): "true" or "". */}}
{{- define "aegis.worker.usesKubernetes" -}}
{{- if eq .Values.pipelineWorker.executor "kubernetes" }}true{{ end }}
{{- end }}

{{/* Whether log-stream-service follows tool pods: asked for, and there are tool pods (the kubernetes executor). */}}
{{- define "aegis.logStream.followsPods" -}}
{{- if and .Values.logStreamService.podLogs.enabled (include "aegis.worker.usesKubernetes" .) }}true{{ end }}
{{- end }}

{{/*
The ServiceAccount a Role is bound to: never the namespace's default one, which every pod that names
no account runs as. include "aegis.boundServiceAccount" (list $ "pipeline-worker")
*/}}
{{- define "aegis.boundServiceAccount" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $key := include "aegis.valuesKey" $component }}
{{- $sa := (get $root.Values $key).serviceAccount }}
{{- if and (not $sa.create) (not $sa.name) }}
{{- fail (printf "%s.serviceAccount.name is required when %s.serviceAccount.create is false: its Role must not be bound to the namespace's default ServiceAccount" $key $key) }}
{{- end }}
{{- include "aegis.serviceAccountName" (list $root $component) }}
{{- end }}

{{/* The worker's tool image (the kubernetes executor's Jobs). */}}
{{- define "aegis.toolImage" -}}
{{- $image := .Values.pipelineWorker.kubernetes.image }}
{{- include "aegis.image" (dict "registry" (default .Values.image.registry $image.registry) "repository" $image.repository "tag" (default (default .Chart.AppVersion .Values.image.tag) $image.tag)) }}
{{- end }}

{{/* The ServiceAccount of the tool pods; empty leaves the namespace's default. */}}
{{- define "aegis.toolsServiceAccountName" -}}
{{- $sa := .Values.pipelineWorker.kubernetes.serviceAccount }}
{{- if $sa.create }}
{{- default (include "aegis.componentName" (list . "tools")) $sa.name }}
{{- else }}
{{- $sa.name }}
{{- end }}
{{- end }}

{{/* The store's PersistentVolumeClaim: store.existingClaim or the chart's own. */}}
{{- define "aegis.storeClaimName" -}}
{{- default (include "aegis.componentName" (list . "store")) .Values.store.existingClaim }}
{{- end }}

{{/* The dev credentials Secret (dev.secrets.create). */}}
{{- define "aegis.devSecretName" -}}
{{- include "aegis.componentName" (list . "dev-credentials") }}
{{- end }}

{{/* ---------------------------------------------------------------- addresses and secrets */}}

{{/* Kafka's bootstrap servers: kafka.bootstrapServers, else the dev broker. Required. */}}
{{- define "aegis.kafka.bootstrapServers" -}}
{{- if .Values.kafka.bootstrapServers }}
{{- .Values.kafka.bootstrapServers }}
{{- else if .Values.dev.kafka.enabled }}
{{- printf "%s:9092" (include "aegis.componentName" (list . "kafka")) }}
{{- else }}
{{- required "kafka.bootstrapServers is required: the Kafka brokers as host:port[,host:port] (or dev.kafka.enabled=true for a trial broker in the release)" .Values.kafka.bootstrapServers }}
{{- end }}
{{- end }}

{{/* The Secret with Kafka's JAAS configuration; required with a SASL_* protocol. */}}
{{- define "aegis.kafka.secretName" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}
{{- required (printf "kafka.existingSecret.name is required with kafka.securityProtocol %s: a Secret whose key %q holds the client's sasl.jaas.config" .Values.kafka.securityProtocol .Values.kafka.existingSecret.saslJaasConfigKey) .Values.kafka.existingSecret.name }}
{{- else }}
{{- .Values.kafka.existingSecret.name }}
{{- end }}
{{- end }}

{{/* Where the brokers' CA certificate is mounted when kafka.tls.caSecret.name is set. */}}
{{- define "aegis.kafka.caPath" -}}
/etc/aegis/kafka-ca
{{- end }}

{{/*
The environment every Kafka client of Aegis gets (all services but the gateway): the bootstrap
servers and the client's security settings. Quarkus passes every kafka.* setting, and so every
KAFKA_* variable, to each channel.
*/}}
{{- define "aegis.kafka.env" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "aegis.kafka.bootstrapServers" . | quote }}
{{- if ne .Values.kafka.securityProtocol "PLAINTEXT" }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ .Values.kafka.securityProtocol | quote }}
{{- end }}
{{- with .Values.kafka.saslMechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ . | quote }}
{{- end }}
{{- with include "aegis.kafka.secretName" . }}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.kafka.existingSecret.saslJaasConfigKey }}
{{- end }}
{{- if .Values.kafka.tls.caSecret.name }}
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: {{ printf "%s/%s" (include "aegis.kafka.caPath" .) .Values.kafka.tls.caSecret.key | quote }}
{{- end }}
{{- end }}

{{/* The volume and mount of the Kafka CA certificate, when there is one. */}}
{{- define "aegis.kafka.caVolume" -}}
{{- if .Values.kafka.tls.caSecret.name -}}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: {{ .Values.kafka.tls.caSecret.key }}
{{- end }}
{{- end }}
{{- define "aegis.kafka.caVolumeMount" -}}
{{- if .Values.kafka.tls.caSecret.name -}}
- name: kafka-ca
  mountPath: {{ include "aegis.kafka.caPath" . }}
  readOnly: true
{{- end }}
{{- end }}

{{/* PostgreSQL's host: database.host, else the dev PostgreSQL. Required. */}}
{{- define "aegis.database.host" -}}
{{- if .Values.database.host }}
{{- .Values.database.host }}
{{- else if .Values.dev.postgresql.enabled }}
{{- include "aegis.componentName" (list . "postgresql") }}
{{- else }}
{{- required "database.host is required: the PostgreSQL host (for CloudNativePG \"<cluster>-rw\"; or dev.postgresql.enabled=true for a trial database in the release)" .Values.database.host }}
{{- end }}
{{- end }}

{{/* The Secret with the database credentials, as a dict of name, usernameKey and passwordKey. */}}
{{- define "aegis.database.secret" -}}
{{- if .Values.database.existingSecret.name }}
{{- toYaml .Values.database.existingSecret }}
{{- else if .Values.dev.secrets.create }}
{{- toYaml (dict "name" (include "aegis.devSecretName" .) "usernameKey" "username" "passwordKey" "password") }}
{{- else }}
{{- toYaml (dict "name" (required "database.existingSecret.name is required: a Secret with the PostgreSQL user and password (keys database.existingSecret.usernameKey and passwordKey; a CloudNativePG \"<cluster>-app\" Secret fits), or dev.secrets.create=true for a trial" .Values.database.existingSecret.name) "usernameKey" .Values.database.existingSecret.usernameKey "passwordKey" .Values.database.existingSecret.passwordKey) }}
{{- end }}
{{- end }}

{{/* The environment of a PostgreSQL client (job-service, artifact-service). */}}
{{- define "aegis.database.env" -}}
{{- $secret := include "aegis.database.secret" . | fromYaml -}}
- name: AEGIS_DB_HOST
  value: {{ include "aegis.database.host" . | quote }}
- name: AEGIS_DB_PORT
  value: {{ .Values.database.port | quote }}
- name: AEGIS_DB_NAME
  value: {{ .Values.database.name | quote }}
- name: AEGIS_DB_USER
  valueFrom:
    secretKeyRef:
      name: {{ $secret.name }}
      key: {{ $secret.usernameKey }}
- name: AEGIS_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret.name }}
      key: {{ $secret.passwordKey }}
{{- end }}

{{/* The Redis URL of the gateway and log-stream-service: from a Secret, or a plain URL. Required. */}}
{{- define "aegis.redis.env" -}}
- name: AEGIS_REDIS_URL
{{- if .Values.redis.existingSecret.name }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret.name }}
      key: {{ .Values.redis.existingSecret.key }}
{{- else if .Values.redis.url }}
  value: {{ .Values.redis.url | quote }}
{{- else if and .Values.dev.redis.enabled .Values.dev.secrets.create }}
  valueFrom:
    secretKeyRef:
      name: {{ include "aegis.devSecretName" . }}
      key: redis-url
{{- else if .Values.dev.redis.enabled }}
  value: {{ printf "redis://%s:6379" (include "aegis.componentName" (list . "redis")) | quote }}
{{- else }}
  value: {{ required "redis.url or redis.existingSecret.name is required: the Redis of the gateway and log-stream-service (a Secret when the URL carries a password; or dev.redis.enabled=true for a trial Redis in the release)" .Values.redis.url | quote }}
{{- end }}
{{- end }}

{{/* The Secret and key of the gateway's token key (and of the helm test pod's). Required. */}}
{{- define "aegis.identity.secret" -}}
{{- $ref := .Values.gatewayService.identity.existingSecret }}
{{- if $ref.name }}
{{- toYaml $ref }}
{{- else if .Values.dev.secrets.create }}
{{- toYaml (dict "name" (include "aegis.devSecretName" .) "key" "token-secret") }}
{{- else }}
{{- toYaml (dict "name" (required "gatewayService.identity.existingSecret.name is required: a Secret whose key gatewayService.identity.existingSecret.key holds the HS256 key that signs bearer tokens (e.g. kubectl create secret generic aegis-identity --from-literal=token-secret=\"$(openssl rand -hex 32)\"), or dev.secrets.create=true for a trial" $ref.name) "key" $ref.key) }}
{{- end }}
{{- end }}

{{/* The internal key, as a container's environment: every service holds it. Required. */}}
{{- define "aegis.internalKey.env" -}}
{{- $ref := .Values.internalKey.existingSecret }}
{{- $name := $ref.name }}
{{- $key := $ref.key }}
{{- if not $name }}
{{- $name = include "aegis.devSecretName" . }}
{{- $key = "internal-key" }}
{{- if not .Values.dev.secrets.create }}
{{- $name = required "internalKey.existingSecret.name is required: a Secret whose key internalKey.existingSecret.key holds the key the services vouch for their callers to each other with (e.g. kubectl create secret generic aegis-internal --from-literal=internal-key=\"$(openssl rand -hex 32)\"), or dev.secrets.create=true for a trial" "" }}
{{- end }}
{{- end }}
# the key the services vouch for their callers to each other with
- name: AEGIS_INTERNAL_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $name }}
      key: {{ $key }}
{{- end }}

{{/* ------------------------------------------------------------------ pod building blocks */}}

{{/* The store's volume (in a pod's volumes). */}}
{{- define "aegis.store.volume" -}}
- name: store
  persistentVolumeClaim:
    claimName: {{ include "aegis.storeClaimName" . }}
{{- end }}

{{/* The store's mount, at the same path in every pod (the tool pods' too). */}}
{{- define "aegis.store.volumeMount" -}}
- name: store
  mountPath: {{ .Values.store.mountPath }}
{{- end }}

{{/* The folder of the BLAST database sources, on the store. */}}
{{- define "aegis.databases.sourceDir" -}}
{{- printf "%s/%s" (trimSuffix "/" .Values.store.mountPath) .Values.databases.sourceSubPath }}
{{- end }}

{{/* The three probes of a service, on its port: include "aegis.probes" (list $ 8081) */}}
{{- define "aegis.probes" -}}
{{- $root := index . 0 }}
{{- $port := index . 1 }}
{{- $p := $root.Values.probes -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: {{ $port }}
  initialDelaySeconds: {{ $p.startup.initialDelaySeconds }}
  periodSeconds: {{ $p.startup.periodSeconds }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: {{ $port }}
  periodSeconds: {{ $p.liveness.periodSeconds }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: {{ $port }}
  periodSeconds: {{ $p.readiness.periodSeconds }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
{{- end }}

{{/* A preStop sleep, so that Services and proxies stop sending before the service stops. */}}
{{- define "aegis.lifecycle" -}}
{{- if gt (int .preStopSleepSeconds) 0 -}}
lifecycle:
  preStop:
    exec:
      command: ["sleep", "{{ .preStopSleepSeconds }}"]
{{- end }}
{{- end }}

{{/* Soft topology spread of a component: include "aegis.topologySpread" (list $ "job-service") */}}
{{- define "aegis.topologySpread" -}}
{{- $root := index . 0 }}
{{- $spread := $root.Values.topologySpread }}
{{- if $spread.enabled -}}
topologySpreadConstraints:
{{- range $spread.topologyKeys }}
  - maxSkew: {{ $spread.maxSkew }}
    topologyKey: {{ . }}
    whenUnsatisfiable: {{ $spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "aegis.selectorLabels" (list $root (index $ 1)) | nindent 8 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The scheduling and pod-level settings shared by the five services:
include "aegis.podCommon" (list $ "job-service" .Values.jobService)
*/}}
{{- define "aegis.podCommon" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $v := index . 2 -}}
enableServiceLinks: false
{{- with $root.Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- if $root.Values.hostNetwork }}
hostNetwork: true
dnsPolicy: ClusterFirstWithHostNet
{{- end }}
terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
{{- with $v.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with include "aegis.topologySpread" (list $root $component) }}
{{ . }}
{{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The pod labels of a component: its selector labels, plus its podLabels. */}}
{{- define "aegis.podLabels" -}}
{{- $root := index . 0 -}}
{{ include "aegis.labels" (list $root (index . 1)) }}
{{- with (index . 2).podLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The ConfigMap of a service's plain settings (JAVA_OPTS, shutdown, its env map), shared lines. */}}
{{- define "aegis.configCommon" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $v := index . 2 -}}
QUARKUS_HTTP_PORT: {{ include "aegis.port" $component | quote }}
# every interface of the pod's own network namespace: the pod network, nothing of the node's
QUARKUS_HTTP_HOST: "0.0.0.0"
# /q/metrics on a port of its own, for the scraper alone (the NetworkPolicy; no Service of the public has it)
QUARKUS_MANAGEMENT_PORT: {{ include "aegis.managementPort" $component | quote }}
QUARKUS_MANAGEMENT_HOST: "0.0.0.0"
QUARKUS_SHUTDOWN_TIMEOUT: {{ $v.shutdownTimeout | quote }}
JAVA_OPTS: {{ $v.javaOpts | quote }}
QUARKUS_LOG_CONSOLE_JSON_ENABLED: {{ $root.Values.logging.json | quote }}
{{- with $root.Values.tracing }}
{{- if .enabled }}
# traces (OpenTelemetry) to the collector; the service's name is the span's service.name
QUARKUS_OTEL_SDK_DISABLED: "false"
QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {{ .endpoint | quote }}
QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: {{ .protocol | quote }}
QUARKUS_OTEL_TRACES_SAMPLER_ARG: {{ .sampleRatio | quote }}
QUARKUS_OTEL_RESOURCE_ATTRIBUTES: {{ printf "service.namespace=%s" $root.Release.Namespace | quote }}
{{- end }}
{{- end }}
{{- end }}


{{/* Security context of a supporting container (dev services, hooks, tests): non-root, no capabilities. */}}
{{- define "aegis.restrictedContainerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .gid }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}
