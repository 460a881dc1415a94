import { describe, expect, it } from 'vitest';
import { hooksOf, registerServiceTypeHooks, type ServiceTypeHooks } from './type-hooks.service.js';

describe('service type hooks', () => {
  it('should answer the hooks for every type before those of the type, once each however often they are registered', async () => {
    const calls: string[] = [];
    const general: ServiceTypeHooks = {
      beforeComplete: async () => {
        calls.push('every type');
      },
    };
    const loan: ServiceTypeHooks = {
      beforeComplete: async () => {
        calls.push('emergency loan');
      },
      onApproved: async () => undefined,
    };
    registerServiceTypeHooks('emergency_loan', loan);
    registerServiceTypeHooks('emergency_loan', loan);
    registerServiceTypeHooks('*', general);
    registerServiceTypeHooks('*', general);
    // The hooks under test ignore their arguments: none is built.
    for (const hook of hooksOf('emergency_loan', 'beforeComplete')) await hook({} as never, {} as never, {} as never, {} as never);
    expect(calls).toEqual(['every type', 'emergency loan']);
    expect(hooksOf('fee_relief', 'beforeComplete')).toHaveLength(1);
    expect(hooksOf('fee_relief', 'onApproved')).toHaveLength(0);
    expect(hooksOf('emergency_loan', 'onApproved')).toHaveLength(1);
  });
});
