import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import { createFormatError } from '../../api/errors';
import { NotFoundError } from '../../domain/errors';

function logSink() {
  const lines: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  return { log, lines };
}

function resolverError(original: unknown): GraphQLError {
  return new GraphQLError('wrapped', { originalError: original as Error, path: ['x'] });
}

describe('formatError', () => {
  it('presents domain errors with Compass extensions', () => {
    const { log } = logSink();
    const out = createFormatError(log)(
      { message: 'wrapped', path: ['x'] },
      resolverError(new NotFoundError('application', 'a')),
    );
    expect(out).toEqual({
      message: 'Object not found [object=application; ID=a]',
      path: ['x'],
      extensions: { error: 'NotFound', error_code: 20 },
    });
  });

  it('maps a failed workflow update back to its error code', () => {
    const { log } = logSink();
    const failure = ApplicationFailure.create({
      message: 'Object name is not unique [object=Application]',
      type: 'NotUnique',
    });
    const err = new WorkflowUpdateFailedError('Workflow Update failed', failure);
    expect(createFormatError(log)({ message: 'x' }, resolverError(err))).toEqual({
      message: 'Object name is not unique [object=Application]',
      extensions: { error: 'NotUnique', error_code: 21 },
    });
  });

  it('hides unknown errors behind InternalError and logs them in full', () => {
    const { log, lines } = logSink();
    const out = createFormatError(log)(
      { message: 'connection string secret@db' },
      resolverError(new Error('secret@db down')),
    );
    expect(out).toEqual({
      message: 'Internal Server Error',
      extensions: { error: 'InternalError', error_code: 10 },
    });
    expect(lines.join('')).toContain('secret@db down');
  });

  it('treats GraphQL validation failures as InvalidData', () => {
    const { log } = logSink();
    const formatted = {
      message: 'Field "x" is not defined',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(createFormatError(log)(formatted, new GraphQLError(formatted.message))).toEqual({
      message: 'Field "x" is not defined',
      extensions: { error: 'InvalidData', error_code: 22 },
    });
  });
});
