import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Input } from '@ui5/webcomponents-react/Input';
import { Label } from '@ui5/webcomponents-react/Label';
import { Option } from '@ui5/webcomponents-react/Option';
import { Select } from '@ui5/webcomponents-react/Select';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import type { ApiDefinitionInput, EventDefinitionInput, SpecFormat } from '../../generated/graphql';

/** What the API/event definition fields hold while being edited. */
export interface DefinitionDraft {
  name: string;
  description: string;
  targetURL: string;
  type: string;
  format: SpecFormat;
  data: string;
  fetchUrl: string;
}

export const emptyDraft = (kind: 'api' | 'event'): DefinitionDraft => ({
  name: '',
  description: '',
  targetURL: '',
  type: kind === 'api' ? 'OPEN_API' : 'ASYNC_API',
  format: 'YAML',
  data: '',
  fetchUrl: '',
});

function spec(d: DefinitionDraft) {
  const source = d.fetchUrl.trim()
    ? { fetchRequest: { url: d.fetchUrl.trim() } }
    : d.data.trim()
      ? { data: d.data }
      : undefined;
  return source ? { format: d.format, ...source } : undefined;
}

export function toApiInput(d: DefinitionDraft): ApiDefinitionInput {
  const s = spec(d);
  return {
    name: d.name.trim(),
    targetURL: d.targetURL.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    ...(s ? { spec: { ...s, type: d.type as 'OPEN_API' | 'ODATA' } } : {}),
  };
}

export function toEventInput(d: DefinitionDraft): EventDefinitionInput {
  const s = spec(d);
  return {
    name: d.name.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    ...(s ? { spec: { ...s, type: 'ASYNC_API' } } : {}),
  };
}

const SPEC_TYPES = { api: ['OPEN_API', 'ODATA'], event: ['ASYNC_API'] } as const;
const FORMATS: readonly SpecFormat[] = ['YAML', 'JSON', 'XML'];

/** Form items of an API or event definition: its spec is pasted in, or fetched from a URL. */
export function DefinitionFields({
  kind,
  draft,
  onChange,
}: {
  kind: 'api' | 'event';
  draft: DefinitionDraft;
  onChange: (d: DefinitionDraft) => void;
}) {
  const set = (patch: Partial<DefinitionDraft>) => onChange({ ...draft, ...patch });
  const noun = kind === 'api' ? 'API' : 'Event';
  return (
    <>
      <FormItem labelContent={<Label required>{noun} name</Label>}>
        <Input
          value={draft.name}
          accessibleName={`${noun} name`}
          onInput={(e) => set({ name: e.target.value })}
        />
      </FormItem>
      <FormItem labelContent={<Label>{noun} description</Label>}>
        <Input
          value={draft.description}
          accessibleName={`${noun} description`}
          onInput={(e) => set({ description: e.target.value })}
        />
      </FormItem>
      {kind === 'api' && (
        <FormItem labelContent={<Label required>Target URL</Label>}>
          <Input
            value={draft.targetURL}
            type="URL"
            accessibleName="Target URL"
            placeholder="https://…"
            onInput={(e) => set({ targetURL: e.target.value })}
          />
        </FormItem>
      )}
      <FormItem labelContent={<Label>Spec type and format</Label>}>
        <div className="inline-fields">
          <Select
            accessibleName="Spec type"
            onChange={(e) => set({ type: e.detail.selectedOption.textContent ?? draft.type })}
          >
            {SPEC_TYPES[kind].map((t) => (
              <Option key={t} selected={t === draft.type}>
                {t}
              </Option>
            ))}
          </Select>
          <Select
            accessibleName="Spec format"
            onChange={(e) => set({ format: e.detail.selectedOption.textContent as SpecFormat })}
          >
            {FORMATS.map((f) => (
              <Option key={f} selected={f === draft.format}>
                {f}
              </Option>
            ))}
          </Select>
        </div>
      </FormItem>
      <FormItem labelContent={<Label>Spec</Label>}>
        <TextArea
          value={draft.data}
          rows={6}
          className="mono"
          accessibleName="Spec"
          placeholder="Paste the spec, or give a URL to fetch it from below"
          onInput={(e) => set({ data: e.target.value })}
        />
      </FormItem>
      <FormItem labelContent={<Label>Fetch spec from</Label>}>
        <Input
          value={draft.fetchUrl}
          type="URL"
          accessibleName="Fetch spec from"
          placeholder="https://…/openapi.yaml"
          onInput={(e) => set({ fetchUrl: e.target.value })}
        />
      </FormItem>
    </>
  );
}
