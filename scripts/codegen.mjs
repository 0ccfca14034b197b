// Generates api/generated/graphql.ts (resolver types) from api/schema/*.graphql, and the
// Cockpit's typed operations (cockpit/src/generated/graphql.ts) from cockpit/src/operations,
// with graphql-codegen's core. `--check` fails instead when a committed file is out of date.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import * as add from '@graphql-codegen/add';
import * as typescript from '@graphql-codegen/typescript';
import * as typescriptResolvers from '@graphql-codegen/typescript-resolvers';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import { parse } from 'graphql';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Reads every .graphql file of a directory, in name order, as one SDL document. */
function readSchema(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

/** Resolver types of the Director API, whose schema is api/schema/*.graphql. */
const director = {
  name: 'api/generated/graphql.ts',
  schemaDir: path.join(root, 'api', 'schema'),
  target: path.join(root, 'api', 'generated', 'graphql.ts'),
  config: {
    useIndexSignature: true,
    contextType: '../context#GatewayContext',
    enumsAsTypes: true,
    mapperTypeSuffix: 'Model',
    useTypeImports: true,
    scalars: {
      Any: 'unknown',
      Labels: 'Record<string, unknown>',
      PageCursor: 'string',
      JSONSchema: 'string',
      JSON: 'string',
      CLOB: 'string',
      HttpHeaders: 'Record<string, readonly string[]>',
      QueryParams: 'Record<string, readonly string[]>',
      HttpHeadersSerialized: 'string',
      QueryParamsSerialized: 'string',
      Timestamp: 'string',
    },
    mappers: {
      Application: '../../domain/application#Application',
      ApplicationPage: '../../domain/application#ApplicationPage',
      ApplicationTemplate: '../../domain/application-template#ApplicationTemplate',
      ApplicationTemplatePage: '../../domain/application-template#ApplicationTemplatePage',
      IntegrationSystem: '../../domain/integration-system#IntegrationSystem',
      IntegrationSystemPage: '../../domain/integration-system#IntegrationSystemPage',
      Tenant: '../../domain/tenant-mapping#Tenant',
      Viewer: '../../domain/viewer#Viewer',
      HealthCheck: '../../domain/health-check#HealthCheck',
      HealthCheckPage: '../../domain/health-check#HealthCheckPage',
      LabelDefinition: '../../domain/label-definitions#LabelDefinition',
      Webhook: '../../domain/webhook#Webhook',
      Auth: '../../domain/auth#Auth',
      BasicCredentialData: '../../domain/auth#BasicCredentialData',
      OAuthCredentialData: '../../domain/auth#OAuthCredentialData',
      SystemAuth: '../director/system-auth-service#SystemAuthView',
      Bundle: '../../domain/bundle#Bundle',
      BundleInstanceAuth: '../../domain/bundle-instance-auth#BundleInstanceAuth',
      BundlePage: '../../domain/bundle#BundlePage',
      APIDefinition: '../../domain/bundle#APIDefinition',
      APIDefinitionPage: '../../domain/bundle#APIDefinitionPage',
      EventDefinition: '../../domain/bundle#EventDefinition',
      EventDefinitionPage: '../../domain/bundle#EventDefinitionPage',
      Document: '../../domain/bundle#Document',
      DocumentPage: '../../domain/bundle#DocumentPage',
      Runtime: '../../domain/runtime#Runtime',
      RuntimePage: '../../domain/runtime#RuntimePage',
      RuntimeContext: '../../domain/runtime-context#RuntimeContext',
      RuntimeContextPage: '../../domain/runtime-context#RuntimeContextPage',
      AutomaticScenarioAssignment: '../../domain/scenario-assignment#AutomaticScenarioAssignment',
      AutomaticScenarioAssignmentPage: '../../domain/scenario-assignment#AutomaticScenarioAssignmentPage',
    },
  },
};

/** Resolver types of the Connector API, whose schema is api/connector/connector.graphql. */
const connector = {
  name: 'api/generated/connector.ts',
  schemaDir: path.join(root, 'api', 'connector'),
  target: path.join(root, 'api', 'generated', 'connector.ts'),
  config: {
    useIndexSignature: true,
    contextType: '../connector/context#ConnectorContext',
    enumsAsTypes: true,
    mapperTypeSuffix: 'Model',
    useTypeImports: true,
  },
};

/** Resolver types of the Connector's internal API, whose schema is api/connector-internal/*.graphql. */
const connectorInternal = {
  name: 'api/generated/connector-internal.ts',
  schemaDir: path.join(root, 'api', 'connector-internal'),
  target: path.join(root, 'api', 'generated', 'connector-internal.ts'),
  config: {
    useIndexSignature: true,
    contextType: '../connector/internal#InternalConnectorContext',
    enumsAsTypes: true,
    mapperTypeSuffix: 'Model',
    useTypeImports: true,
  },
};

/** Resolver types of the Provisioner API, whose schema is api/provisioner/provisioner.graphql. */
const provisioner = {
  name: 'api/generated/provisioner.ts',
  schemaDir: path.join(root, 'api', 'provisioner'),
  target: path.join(root, 'api', 'generated', 'provisioner.ts'),
  config: {
    useIndexSignature: true,
    contextType: '../context#GatewayContext',
    enumsAsTypes: true,
    mapperTypeSuffix: 'Model',
    useTypeImports: true,
    scalars: { JSON: 'unknown', Labels: 'Record<string, unknown>' },
    mappers: {
      OperationStatus: '../../domain/provisioning#Operation',
      RuntimeStatus: '../provisioner/provisioner-service#RuntimeStatusView',
    },
  },
};

/** The Cockpit's operations (cockpit/src/operations/*.graphql) as typed documents for urql. */
const cockpit = {
  name: 'cockpit/src/generated/graphql.ts',
  schemaDir: director.schemaDir,
  operationsDir: path.join(root, 'cockpit', 'src', 'operations'),
  target: path.join(root, 'cockpit', 'src', 'generated', 'graphql.ts'),
  config: {
    enumsAsTypes: true,
    onlyOperationTypes: true,
    useTypeImports: true,
    scalars: director.config.scalars,
  },
};

/** The Cockpit's Provisioner operations (cockpit/src/operations/provisioner/*.graphql), sent to /provisioner/graphql. */
const cockpitProvisioner = {
  name: 'cockpit/src/generated/provisioner.ts',
  schemaDir: provisioner.schemaDir,
  operationsDir: path.join(root, 'cockpit', 'src', 'operations', 'provisioner'),
  target: path.join(root, 'cockpit', 'src', 'generated', 'provisioner.ts'),
  config: { ...cockpit.config, scalars: provisioner.config.scalars },
};

let stale = false;
for (const { name, schemaDir, operationsDir, target, config } of [
  director,
  connector,
  connectorInternal,
  provisioner,
  cockpit,
  cockpitProvisioner,
]) {
  const header = {
    add: {
      content: `/* Generated by graphql-codegen from ${path.relative(root, operationsDir ?? schemaDir)}: do not edit. */`,
    },
  };
  const generated = await codegen({
    filename: target,
    schema: parse(readSchema(schemaDir)),
    documents: operationsDir ? [{ document: parse(readSchema(operationsDir)) }] : [],
    plugins: operationsDir
      ? [header, { typescriptOperations: {} }, { typedDocumentNode: {} }]
      : [header, { typescript: {} }, { typescriptResolvers: {} }],
    pluginMap: { add, typescript, typescriptResolvers, typescriptOperations, typedDocumentNode },
    config,
  });
  const formatted = await prettier.format(generated, {
    ...(await prettier.resolveConfig(target)),
    filepath: target,
  });
  if (!process.argv.includes('--check')) writeFileSync(target, formatted);
  else if (!existsSync(target) || formatted !== readFileSync(target, 'utf8')) {
    console.error(`${name} is out of date with its schema: run npm run codegen`);
    stale = true;
  }
}
if (stale) process.exit(1);
