/**
 * Text names of staking enums as oasis-core's JSON shows them (Go TextMarshaler): threshold kinds and
 * slash reasons are integers in CBOR and these names in genesis files and runtime descriptors.
 */

/** Threshold kinds by their JSON names (`staking.ThresholdKind`). */
export const THRESHOLD_KIND_NAMES = Object.freeze({
  entity: 0,
  'node-validator': 1,
  'node-compute': 2,
  'node-observer': 3,
  'node-keymanager': 4,
  'runtime-compute': 5,
  'runtime-keymanager': 6,
  'keymanager-churp': 7,
});

/** Slash reasons by their JSON names (`staking.SlashReason`; 0x01–0x03 are the retired beacon reasons). */
export const SLASH_REASON_NAMES = Object.freeze({
  'consensus-equivocation': 0x00,
  'beacon-invalid-commit': 0x01,
  'beacon-invalid-reveal': 0x02,
  'beacon-nonparticipation': 0x03,
  'consensus-light-client-attack': 0x04,
  'runtime-incorrect-results': 0x80,
  'runtime-equivocation': 0x81,
  'runtime-liveness': 0x82,
});
