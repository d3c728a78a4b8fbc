// Generated from package.json by `npm run generate`. Do not edit.

/** This package's version (package.json), for the User-Agent header and the plugin's GetPluginInfo. */
export const PACKAGE_VERSION = "0.1.0";
