/**
 * The fixed STIX ids of the TLP marking definitions: TLP 1.0 as predefined by STIX 2.1
 * (section 7.2.1.4) and TLP 2.0 as published in oasis-open/cti-stix-common-objects
 * (extension-definition-specifications/tlp-2.0).
 */
import type { Tlp } from './types.js';

export const TLP1_MARKINGS: Readonly<Record<string, Tlp>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP2_MARKINGS: Readonly<Record<Tlp, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP of a marking id, when it is one of the fixed ones. */
export function tlpOfMarking(id: string): Tlp | null {
  const one = TLP1_MARKINGS[id];
  if (one !== undefined) return one;
  const two = Object.entries(TLP2_MARKINGS).find(([, v]) => v === id);
  return two === undefined ? null : (two[0] as Tlp);
}
