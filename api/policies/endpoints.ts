import type { Endpoints } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';

// Placeholder so the app's feature list is wired; the feature's endpoints go here.
export function policyEndpoints(_api: Endpoints, _deps: AppDeps): void {}
