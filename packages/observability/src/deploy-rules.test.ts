import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics, registerDeploymentGauges } from './metrics.js';

const root = new URL('../../../', import.meta.url);
const HISTOGRAM_SUFFIXES = /_(bucket|sum|count)$/;
/** Series Prometheus itself provides. */
const PROMETHEUS_BUILTINS = new Set(['up']);
/** Names that could be confused with metrics: PromQL functions, keywords, label names in by(). */
const METRIC_NAME = /\b((?:agentbot|process|nodejs)_[a-z0-9_]+|up)\b(?!\s*\()/g;

function registeredNames(): Set<string> {
  const metrics = createMetrics({ defaultLabels: { service: 'test' } });
  registerDeploymentGauges(metrics.registry, { queueDepth: async () => ({}), liveWorkers: async () => 0 });
  const names = new Set(metrics.registry.getMetricsAsArray().map((metric) => metric.name));
  for (const builtin of PROMETHEUS_BUILTINS) names.add(builtin);
  return names;
}

function unknownMetrics(expressions: string[]): string[] {
  const names = registeredNames();
  const unknown = new Set<string>();
  for (const expression of expressions) {
    for (const [name] of expression.matchAll(METRIC_NAME)) {
      if (!names.has(name) && !names.has(name.replace(HISTOGRAM_SUFFIXES, ''))) unknown.add(name);
    }
  }
  return [...unknown];
}

interface Rule {
  alert: string;
  expr: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

describe('deploy/prometheus/alerts.yml', () => {
  const document = parse(readFileSync(new URL('deploy/prometheus/alerts.yml', root), 'utf8')) as {
    groups: Array<{ name: string; rules: Rule[] }>;
  };
  const rules = document.groups.flatMap((group) => group.rules);

  it('covers backlog, failure rate, no workers, stalled tasks and target down', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'AgentBotQueueBacklog',
        'AgentBotTaskFailureRate',
        'AgentBotNoWorkers',
        'AgentBotStalledJobs',
        'AgentBotTargetDown',
      ]),
    );
    for (const rule of rules) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
  });

  it('uses only metrics that packages/observability registers', () => {
    const expressions = rules.map((rule) => rule.expr);
    expect(expressions.join('\n')).toMatch(/agentbot_/);
    expect(unknownMetrics(expressions)).toEqual([]);
  });

  it('would catch a rule naming a metric that does not exist', () => {
    expect(unknownMetrics(['rate(agentbot_tasks_totl[5m])', 'agentbot_task_duration_seconds_bucket'])).toEqual([
      'agentbot_tasks_totl',
    ]);
  });
});

describe('deploy/grafana/agent-bot.json', () => {
  it('charts only metrics that packages/observability registers', () => {
    const dashboard = JSON.parse(readFileSync(new URL('deploy/grafana/agent-bot.json', root), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(expressions.length).toBeGreaterThan(5);
    expect(unknownMetrics(expressions)).toEqual([]);
  });
});
