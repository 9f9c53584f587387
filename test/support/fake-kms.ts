// A fake AWS KMS on loopback, enough of it for envelope encryption: GenerateDataKey and Decrypt over
// the AWS JSON 1.1 protocol (POST /, `X-Amz-Target: TrentService.<Operation>`, content type
// application/x-amz-json-1.1, blobs as base64, SigV4-signed), with KMS's request and response fields
// and its errors (`__type` + `message`, HTTP 400). The encryption context is bound to the ciphertext
// blob as KMS binds it: Decrypt with any other context is InvalidCiphertextException. The real
// @aws-sdk/client-kms talks to it through its `endpoint` setting.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeKmsRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

export interface FakeKms {
  readonly endpoint: string;
  /** The one key's ARN; its bare id and `alias/verzek-test` name it too. */
  readonly keyArn: string;
  readonly keyId: string;
  readonly alias: string;
  /** Every request, in order (data keys in replies are not recorded). */
  readonly requests: FakeKmsRequest[];
  close(): Promise<void>;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const BLOB_VERSION = 1;
const ID_BYTES = 16;

/** KMS binds the context regardless of its key order. */
function contextBytes(context: Record<string, string>): Buffer {
  const names = Object.keys(context).sort();
  return Buffer.from(names.map((n) => `${n}=${context[n]}`).join('\n'), 'utf8');
}

function readContext(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KmsError('ValidationException', 'EncryptionContext must be a map of strings');
  }
  for (const v of Object.values(value)) {
    if (typeof v !== 'string')
      throw new KmsError('ValidationException', 'EncryptionContext values must be strings');
  }
  return value as Record<string, string>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}

export async function startFakeKms(options: { region?: string; account?: string } = {}): Promise<FakeKms> {
  const region = options.region ?? 'us-east-1';
  const keyId = randomUUID();
  const keyArn = `arn:aws:kms:${region}:${options.account ?? '000000000000'}:key/${keyId}`;
  const alias = 'alias/verzek-test';
  const aliasArn = `arn:aws:kms:${region}:${options.account ?? '000000000000'}:${alias}`;
  // The key material never leaves the fake, as it never leaves KMS.
  const material = randomBytes(32);
  const keyIdBytes = Buffer.from(keyId.replace(/-/g, ''), 'hex');
  const requests: FakeKmsRequest[] = [];

  const resolveKey = (value: unknown): string => {
    if (typeof value !== 'string' || value === '')
      throw new KmsError('ValidationException', 'KeyId is required');
    if ([keyId, keyArn, alias, aliasArn].includes(value)) return keyArn;
    throw new KmsError('NotFoundException', `Key '${value}' does not exist`);
  };

  /** Blob: version ‖ key id (16) ‖ iv (12) ‖ encrypted data key ‖ tag (16), the context as AAD. */
  const wrap = (plaintext: Buffer, context: Record<string, string>): Buffer => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', material, iv);
    cipher.setAAD(contextBytes(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([BLOB_VERSION]), keyIdBytes, iv, ciphertext, cipher.getAuthTag()]);
  };

  const unwrap = (blob: Buffer, context: Record<string, string>): { plaintext: Buffer; keyOwner: string } => {
    const invalid = new KmsError('InvalidCiphertextException', '');
    if (blob.length < 1 + ID_BYTES + 12 + 16 + 1 || blob[0] !== BLOB_VERSION) throw invalid;
    const owner = blob.subarray(1, 1 + ID_BYTES);
    if (!owner.equals(keyIdBytes)) throw invalid;
    const iv = blob.subarray(1 + ID_BYTES, 1 + ID_BYTES + 12);
    const body = blob.subarray(1 + ID_BYTES + 12);
    try {
      const decipher = createDecipheriv('aes-256-gcm', material, iv, { authTagLength: 16 });
      decipher.setAAD(contextBytes(context));
      decipher.setAuthTag(body.subarray(body.length - 16));
      const plaintext = Buffer.concat([
        decipher.update(body.subarray(0, body.length - 16)),
        decipher.final(),
      ]);
      return { plaintext, keyOwner: keyArn };
    } catch {
      throw invalid;
    }
  };

  const operations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    GenerateDataKey(body) {
      const arn = resolveKey(body.KeyId);
      const context = readContext(body.EncryptionContext);
      const spec = body.KeySpec;
      const count = body.NumberOfBytes;
      if ((spec === undefined) === (count === undefined)) {
        throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
      }
      let bytes: number;
      if (spec === 'AES_256') bytes = 32;
      else if (spec === 'AES_128') bytes = 16;
      else if (spec !== undefined)
        throw new KmsError('ValidationException', `Invalid KeySpec ${String(spec)}`);
      else if (typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= 1024)
        bytes = count;
      else throw new KmsError('ValidationException', 'NumberOfBytes must be between 1 and 1024');
      const plaintext = randomBytes(bytes);
      return {
        CiphertextBlob: wrap(plaintext, context).toString('base64'),
        Plaintext: plaintext.toString('base64'),
        KeyId: arn,
      };
    },
    Decrypt(body) {
      const context = readContext(body.EncryptionContext);
      if (typeof body.CiphertextBlob !== 'string' || body.CiphertextBlob === '') {
        throw new KmsError('ValidationException', 'CiphertextBlob is required');
      }
      if (body.EncryptionAlgorithm !== undefined && body.EncryptionAlgorithm !== 'SYMMETRIC_DEFAULT') {
        throw new KmsError('IncorrectKeyException', 'The key is not an asymmetric key');
      }
      const blob = Buffer.from(body.CiphertextBlob, 'base64');
      // A KeyId that is not the key the blob was made under: KMS answers IncorrectKeyException.
      if (body.KeyId !== undefined) {
        const incorrect = new KmsError(
          'IncorrectKeyException',
          'The key ID in the request does not identify the key used',
        );
        try {
          resolveKey(body.KeyId);
        } catch {
          throw incorrect;
        }
        if (blob.length > 1 + ID_BYTES && !blob.subarray(1, 1 + ID_BYTES).equals(keyIdBytes)) throw incorrect;
      }
      const { plaintext, keyOwner } = unwrap(blob, context);
      return {
        KeyId: keyOwner,
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const target = req.headers['x-amz-target'];
      const authorization = req.headers.authorization;
      try {
        if (req.method !== 'POST' || req.url !== '/') throw new KmsError('UnknownOperationException', '');
        if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
          throw new KmsError('SerializationException', 'Expected application/x-amz-json-1.1');
        }
        // SigV4 from the SDK, scoped to this service; the signature itself is not recomputed here.
        if (
          typeof authorization !== 'string' ||
          !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/kms\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/.test(
            authorization,
          )
        ) {
          throw new KmsError(
            'MissingAuthenticationTokenException',
            'Missing or malformed SigV4 authorization',
          );
        }
        const match = typeof target === 'string' ? /^TrentService\.(\w+)$/.exec(target) : null;
        const operation = match?.[1] ? operations[match[1]] : undefined;
        if (!match?.[1] || !operation) throw new KmsError('UnknownOperationException', '');
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(text || '{}') as Record<string, unknown>;
        } catch {
          throw new KmsError('SerializationException', 'Malformed JSON');
        }
        requests.push({ operation: match[1], body, authorization });
        reply(res, 200, operation(body));
      } catch (error) {
        if (error instanceof KmsError) {
          reply(res, 400, { __type: error.type, message: error.message }, error.type);
        } else {
          reply(
            res,
            500,
            { __type: 'KMSInternalException', message: 'internal error' },
            'KMSInternalException',
          );
        }
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    keyArn,
    keyId,
    alias,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
