/**
 * What a facility can do for a referred patient (issue 16): the services a
 * nurse chooses from when referring. Emergency obstetric care follows the
 * WHO/UNFPA signal functions: basic (BEmONC) and comprehensive (CEmONC, which
 * adds surgery and blood transfusion).
 */
export const facilityCapabilities = ['emergency', 'bemonc', 'cemonc', 'surgery', 'oxygen', 'blood-bank', 'laboratory', 'x-ray', 'paediatrics'] as const;
export type FacilityCapability = (typeof facilityCapabilities)[number];

export const isFacilityCapability = (value: unknown): value is FacilityCapability => (facilityCapabilities as readonly unknown[]).includes(value);

/** Kinds of facility, from OSM's `amenity` and `healthcare` values. */
export const facilityKinds = ['hospital', 'clinic', 'health-centre', 'health-post', 'doctors', 'birthing-centre', 'laboratory', 'pharmacy', 'other'] as const;
export type FacilityKind = (typeof facilityKinds)[number];
