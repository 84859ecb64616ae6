import { describe, expect, it } from 'vitest';
import { checkDeploymentEnv, readDeploymentFiles } from './check-deployment-env.js';

describe('deployment env consistency', () => {
  it('docker-compose.yml, .env.example and packages/config agree', () => {
    expect(checkDeploymentEnv(readDeploymentFiles())).toEqual([]);
  });

  it('catches a compose variable the config does not read and an undocumented interpolation', () => {
    const files = readDeploymentFiles();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose interpolation, not a JS template
    const compose = files.compose.replace('  REDIS_URL: redis://redis:6379', '  REDIS_URI: redis://redis:${REDIS_PORT_TYPO}');
    const problems = checkDeploymentEnv({ ...files, compose });
    expect(problems).toEqual(
      expect.arrayContaining([
        'docker-compose.yml: gateway sets REDIS_URI, which packages/config does not read',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose interpolation, not a JS template
        'docker-compose.yml interpolates ${REDIS_PORT_TYPO}, which .env.example does not document',
      ]),
    );
  });

  it('catches a setting the app reads that compose does not pass into its container', () => {
    const files = readDeploymentFiles();
    const compose = files.compose
      .replace(/^\s+ANTHROPIC_API_KEY: .*\n/m, '')
      .replace(/^\s+TRUST_PROXY: .*\n/m, '')
      .replace(/^\s+GITHUB_APP_ID: .*\n/m, '');
    expect(checkDeploymentEnv({ ...files, compose }).sort()).toEqual([
      'docker-compose.yml: gateway needs GITHUB_APP_ID (packages/config reads it) but compose does not pass it',
      'docker-compose.yml: gateway needs TRUST_PROXY (packages/config reads it) but compose does not pass it',
      'docker-compose.yml: worker needs ANTHROPIC_API_KEY (packages/config reads it) but compose does not pass it',
      'docker-compose.yml: worker needs GITHUB_APP_ID (packages/config reads it) but compose does not pass it',
    ]);
  });

  it('catches compose hiding a path the image sets (an empty CLAUDE_BIN would replace the installed CLI)', () => {
    const files = readDeploymentFiles();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose interpolation, not a JS template
    const compose = files.compose.replace(/^(\s+)CLAUDE_MODEL: (.*)$/m, '$1CLAUDE_MODEL: $2\n$1CLAUDE_BIN: ${CLAUDE_BIN:-}');
    expect(checkDeploymentEnv({ ...files, compose })).toEqual([
      'docker-compose.yml: worker sets CLAUDE_BIN, which the image sets (/usr/local/bin/claude); leave it to the image',
    ]);
    const dockerfile = files.dockerfile.replace('DASHBOARD_DIR=/app/apps/dashboard/dist', 'DASHBOARD_DIR=/srv/dashboard');
    expect(checkDeploymentEnv({ ...files, dockerfile })).toEqual([
      'docker/Dockerfile: must set ENV DASHBOARD_DIR=/app/apps/dashboard/dist',
    ]);
  });

  it('catches a config variable missing from .env.example', () => {
    const files = readDeploymentFiles();
    const envExample = files.envExample.replace(/^WORKER_DRAIN_SECONDS=.*$/m, '');
    expect(checkDeploymentEnv({ ...files, envExample })).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose interpolation, not a JS template
      'docker-compose.yml interpolates ${WORKER_DRAIN_SECONDS}, which .env.example does not document',
      '.env.example does not document WORKER_DRAIN_SECONDS, which packages/config reads',
    ]);
  });

  it('catches a stop_grace_period shorter than the drain time', () => {
    const files = readDeploymentFiles();
    const compose = files.compose.replace('stop_grace_period: 45s', 'stop_grace_period: 10s');
    expect(checkDeploymentEnv({ ...files, compose })).toEqual([
      'docker-compose.yml: worker stop_grace_period (10 s) must exceed WORKER_DRAIN_SECONDS (30 s)',
    ]);
  });
});
