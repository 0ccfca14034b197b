import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Tag } from '@ui5/webcomponents-react/Tag';
import { useQuery } from 'urql';
import { ErrorStrip, Loading } from '../../components/states';
import { ApiSpecDocument, DocumentDataDocument, EventSpecDocument } from '../../generated/graphql';

/** Which spec or document body to show. */
export type SpecTarget = { readonly kind: 'api' | 'event' | 'document'; readonly id: string };

/** JSON specs are re-indented for reading; YAML, XML and Markdown are shown as they are. */
function pretty(data: string, format: string): string {
  if (format !== 'JSON') return data;
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return data;
  }
}

function useSpec(applicationID: string, bundleID: string, target: SpecTarget) {
  const vars = { applicationID, bundleID };
  const [api] = useQuery({
    query: ApiSpecDocument,
    variables: { ...vars, apiID: target.id },
    pause: target.kind !== 'api',
  });
  const [event] = useQuery({
    query: EventSpecDocument,
    variables: { ...vars, eventID: target.id },
    pause: target.kind !== 'event',
  });
  const [doc] = useQuery({
    query: DocumentDataDocument,
    variables: { ...vars, documentID: target.id },
    pause: target.kind !== 'document',
  });
  const bundle = (target.kind === 'api' ? api : target.kind === 'event' ? event : doc).data?.application
    ?.bundle;
  const result = target.kind === 'api' ? api : target.kind === 'event' ? event : doc;
  if (bundle && 'apiDefinition' in bundle && bundle.apiDefinition) {
    const d = bundle.apiDefinition;
    return { ...result, title: d.name, data: d.spec?.data, type: d.spec?.type, format: d.spec?.format ?? '' };
  }
  if (bundle && 'eventDefinition' in bundle && bundle.eventDefinition) {
    const d = bundle.eventDefinition;
    return { ...result, title: d.name, data: d.spec?.data, type: d.spec?.type, format: d.spec?.format ?? '' };
  }
  if (bundle && 'document' in bundle && bundle.document) {
    const d = bundle.document;
    return { ...result, title: d.title, data: d.data, type: d.format, format: d.format };
  }
  return { ...result, title: '', data: undefined, type: undefined, format: '' };
}

/** Shows an OpenAPI, AsyncAPI or OData spec (or a document) as text with line numbers. */
export default function SpecViewer(props: {
  applicationId: string;
  bundleId: string;
  target: SpecTarget;
  onClose: () => void;
}) {
  const spec = useSpec(props.applicationId, props.bundleId, props.target);
  const text = spec.data ? pretty(spec.data, spec.format) : '';
  const lines = text.split('\n');
  return (
    <Dialog
      open
      className="spec-dialog"
      headerText={spec.title ? `Spec: ${spec.title}` : 'Spec'}
      resizable
      onClose={props.onClose}
      footer={
        <Bar
          design="Footer"
          endContent={
            <Button design="Emphasized" onClick={props.onClose}>
              Close
            </Button>
          }
        />
      }
    >
      <ErrorStrip error={spec.error} />
      {spec.fetching && !spec.data && <Loading />}
      {spec.type && (
        <div className="spec-meta">
          <Tag hideStateIcon>{spec.type}</Tag> <Tag hideStateIcon>{spec.format}</Tag>
        </div>
      )}
      {!spec.fetching && !spec.data && !spec.error && (
        <p className="muted">No spec data (yet): it may still be fetched.</p>
      )}
      {spec.data && (
        <pre className="spec" data-testid="spec-text" aria-label="Spec text" tabIndex={0}>
          {lines.map((line, i) => (
            <span key={i} className="spec-line">
              <span className="spec-no" aria-hidden>
                {i + 1}
              </span>
              {line}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
    </Dialog>
  );
}
