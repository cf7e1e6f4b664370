{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "cockpit-ws-java.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release name plus chart name unless the release name already contains it. */}}
{{- define "cockpit-ws-java.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cockpit-ws-java.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cockpit-ws-java.labels" -}}
helm.sh/chart: {{ include "cockpit-ws-java.chart" . }}
{{ include "cockpit-ws-java.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cockpit-ws-java.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cockpit-ws-java.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Several replicas: a session is bound to the pod that created it, so clients must stick to one pod. */}}
{{- define "cockpit-ws-java.sticky" -}}
{{- if gt (int .Values.replicaCount) 1 }}true{{ end }}
{{- end }}

{{- define "cockpit-ws-java.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* COCKPIT_WEB_FOR_TLS_PROXY: config.forTlsProxy, or with "auto" whether the chart's Ingress terminates TLS. */}}
{{- define "cockpit-ws-java.forTlsProxy" -}}
{{- if eq (toString .Values.config.forTlsProxy) "auto" }}
{{- and .Values.ingress.enabled (not (empty .Values.ingress.tls)) }}
{{- else }}
{{- .Values.config.forTlsProxy }}
{{- end }}
{{- end }}
