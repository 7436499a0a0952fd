// Vite's `?url` imports (an asset's URL after the build), for the few files
// the page must load by address: maplibre's worker (FacilityMap.tsx).
declare module '*?url' {
  const url: string;
  export default url;
}
