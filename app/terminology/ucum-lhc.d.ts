// The part of @lhncbc/ucum-lhc (the NLM's UCUM library, which ships no types) that we use.
declare module '@lhncbc/ucum-lhc' {
  interface ValidationResult {
    status: 'valid' | 'invalid' | 'error';
    ucumCode: string | null;
    msg: string[];
  }
  interface ConversionResult {
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
  }
  interface UcumLhcUtils {
    validateUnitString(unit: string, suggest?: boolean): ValidationResult;
    /** `molecularWeight` (g/mol) is required between mass and amount of substance (mg/dL ↔ mmol/L). */
    convertUnitTo(fromUnit: string, fromValue: number, toUnit: string, options?: { suggest?: boolean; molecularWeight?: number; charge?: number }): ConversionResult;
  }
  const ucum: { UcumLhcUtils: { getInstance(): UcumLhcUtils } };
  export default ucum;
}
