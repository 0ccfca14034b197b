import { renderApplicationRegisterInput } from '../../domain/graphql-literal';

describe('an application input as the GraphQL literal Compass writes', () => {
  it('writes name and labels as Compass does', () => {
    expect(renderApplicationRegisterInput({ name: 'app', labels: { a: ['b'] } })).toBe(
      '{name: "app",labels: {a:["b"],},}',
    );
  });

  it('writes every field in Compass’s order, empty lists and maps left out', () => {
    expect(
      renderApplicationRegisterInput({
        baseUrl: 'https://erp.example.com',
        statusCondition: 'CONNECTED',
        integrationSystemID: 'is-1',
        healthCheckURL: 'https://{{host}}/health',
        description: 'ERP at {{host}}',
        providerName: 'ACME',
        name: '{{name}}',
        labels: {},
        webhooks: [],
      }),
    ).toBe(
      '{name: "{{name}}",providerName: "ACME",description: "ERP at {{host}}",healthCheckURL: "https://{{host}}/health",integrationSystemID: "is-1",statusCondition: CONNECTED,baseUrl: "https://erp.example.com"}',
    );
  });

  it('marshals label values: sorted bare keys, nested maps and lists, Go’s JSON for scalars', () => {
    expect(
      renderApplicationRegisterInput({
        name: 'a',
        labels: { tier: ['gold', 'silver'], region: 'eu', n: 1.5, nested: { b: true, a: '<x>&"y"' } },
      }),
    ).toBe(
      String.raw`{name: "a",labels: {n:1.5,nested:{a:"\u003cx\u003e\u0026\"y\"",b:true,},region:"eu",tier:["gold","silver"],},}`,
    );
  });

  it('writes webhooks with their auth', () => {
    expect(
      renderApplicationRegisterInput({
        name: 'a',
        webhooks: [
          {
            type: 'CONFIGURATION_CHANGED',
            url: 'https://h/w',
            auth: {
              credential: { basic: { username: 'u', password: 'p' } },
              additionalHeaders: { 'X-B': ['2'], 'X-A': ['1', '3'] },
              requestAuth: {
                csrf: {
                  tokenEndpointURL: 'https://h/csrf',
                  credential: { oauth: { clientId: 'c', clientSecret: 's', url: 'https://h/token' } },
                },
              },
            },
          },
          { type: 'REGISTER_APPLICATION', url: 'https://h/r' },
        ],
      }),
    ).toBe(
      '{name: "a",webhooks: [ {type: CONFIGURATION_CHANGED,url: "https://h/w", auth:{credential:  {basic: {username: "u",password: "p",},},additionalHeaders: {X-A: ["1","3" ],X-B: ["2" ],},requestAuth: {csrf: {tokenEndpointURL: "https://h/csrf",credential:  {oauth: {clientId: "c",clientSecret: "s",url: "https://h/token",},},},},},}, {type: REGISTER_APPLICATION,url: "https://h/r",} ],}',
    );
  });

  it('writes bundles with their APIs, events and documents, spec data quoted as Go quotes it', () => {
    expect(
      renderApplicationRegisterInput({
        name: 'a',
        bundles: [
          {
            name: 'b1',
            description: 'd',
            apiDefinitions: [
              {
                name: 'api',
                targetURL: 'https://h/api',
                spec: { type: 'OPEN_API', format: 'JSON', data: '{"a":"b"}' },
                version: { value: 'v1', deprecated: false },
              },
            ],
            eventDefinitions: [
              {
                name: 'ev',
                spec: {
                  type: 'ASYNC_API',
                  format: 'YAML',
                  data: 'x: 1\n\x01é',
                  fetchRequest: { url: 'https://h/spec', mode: 'SINGLE' },
                },
              },
            ],
            documents: [
              { title: 't', displayName: 'D', description: 'doc', format: 'MARKDOWN', data: '# hi' },
            ],
          },
          { name: 'b2' },
        ],
      }),
    ).toBe(
      String.raw`{name: "a", bundles: [{name: "b1"description: "d"apiDefinitions: [ {name: "api",targetURL: "https://h/api",spec:{data: "{\"a\":\"b\"}",type: OPEN_API,format: JSON,},version:{value: "v1",deprecated: false,},}],eventDefinitions: [ {name: "ev",spec: {data: "x: 1\n\x01é",type: ASYNC_API,fetchRequest:{url: "https://h/spec",mode: SINGLE,},format: YAML,},}], documents: [{title: "t",displayName: "D",description: "doc",format: MARKDOWN,data: "# hi",} ],},{name: "b2"} ],}`,
    );
  });
});
