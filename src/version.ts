// The engine version written into every report (keep equal to package.json "version").
export const ENGINE_VERSION = "0.1.0";
