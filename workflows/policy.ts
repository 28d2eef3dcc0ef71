import { DEFAULT_POLICY, type FlowPolicy } from '../domain';

// Replaced by the bundler (webpack DefinePlugin, worker/worker.ts) with the worker's policy; absent
// when this file is loaded outside a bundle.
declare const __USERMOD_FLOW_POLICY__: FlowPolicy | undefined;

/** The policy of the worker running this workflow code (domain/policy.ts). */
export const POLICY: FlowPolicy =
  typeof __USERMOD_FLOW_POLICY__ !== 'undefined' ? __USERMOD_FLOW_POLICY__ : DEFAULT_POLICY;
